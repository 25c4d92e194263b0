"""One Russian catalogue a translator can work with (issue 18): every message of the portal is in
``locale/ru/LC_MESSAGES/django.po``, translated, none fuzzy, and no app keeps a catalogue of its own
that would shadow or duplicate it. `make messages` (makemessages + compilemessages) keeps it so."""

import pathlib

from django.conf import settings

CATALOGUE = pathlib.Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def entries():
    text = CATALOGUE.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not any(line.startswith("msgid ") for line in lines) or any(line.startswith("#~") for line in lines):
            continue
        msgid = "".join(_strings(lines, "msgid "))
        if not msgid:
            continue  # the header
        flags = " ".join(line for line in lines if line.startswith("#,"))
        translations = [s for key in ("msgstr ", "msgstr[") for s in [_strings(lines, key)] if s]
        yield msgid, flags, translations


def _strings(lines, key):
    out, inside = [], False
    for line in lines:
        if line.startswith(key):
            inside = True
            out.append(line.split('"', 1)[1].rsplit('"', 1)[0])
        elif inside and line.startswith('"'):
            out.append(line[1:-1])
        elif inside:
            inside = False
    return "".join(out)


def test_every_message_is_translated_and_none_is_fuzzy():
    rows = list(entries())
    assert len(rows) > 1000
    assert [msgid for msgid, _flags, translations in rows if not any(translations)] == []
    assert [msgid for msgid, flags, _ in rows if "fuzzy" in flags] == []


def test_no_app_keeps_a_catalogue_of_its_own():
    root = pathlib.Path(settings.BASE_DIR)
    extra = [str(p.relative_to(root)) for p in root.glob("*/locale/*/LC_MESSAGES/*.po") if p != CATALOGUE]
    assert extra == []
