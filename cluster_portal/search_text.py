"""Russian text for the search fallback (SQLite): folding, a crude stemmer, snippets.

PostgreSQL searches with its own ``russian`` configuration (``cluster_portal.search``). SQLite has
no full-text search for Russian and its ``lower()`` and ``LIKE`` fold ASCII only, so the fallback
registers ``portal_fold(text)`` on every SQLite connection (``cluster_portal.apps``): lower case with
«ё» as «е». A query word is folded and stemmed here («решение» → «решени»), and a document matches
when its folded text contains every stem: «решения», «решении», «решение» all do.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Markers PostgreSQL's ts_headline puts around a match (private-use code points: no typed text has
# them), replaced by <mark> after the text around them is escaped.
START, STOP = "\ue000", "\ue001"

WORD = re.compile(r"[0-9a-zа-яё]+(?:-[0-9a-zа-яё]+)*", re.IGNORECASE)
# Inflectional endings of nouns, adjectives, participles and verbs, tried longest first; one is cut.
ENDINGS = sorted(
    """
    иями ями ами иях ях ах ией ией ием ем ом ам ям ов ев ей ий ый ой ая яя ое ее ие ые ия ья ье ью ию ую юю
    ого его ому ему ыми ими ых их ую ешь ет ют ут ат ят ит ишь ать ять ить еть уть ться тся ла ло ли ть
    вшись вши ший щий щая щее щие ный ная ное ные нный нная нное нные
    а я о е ы и у ю ь й
    """.split(),
    key=len,
    reverse=True,
)
# Letters a stem keeps: a one-letter ending leaves at least 3 («цели» → «цел»), a longer one 4
# («решение» → «решен», but «отчет» stays whole rather than «отч»).
MIN_STEM, MIN_STEM_LONG_ENDING = 3, 4
MAX_TERMS = 12


def fold(text: str | None) -> str | None:
    """Lower case with «ё» as «е» (the SQL function ``portal_fold``); NULL stays NULL."""
    if text is None:
        return None
    return str(text).lower().replace("ё", "е")


def stem(word: str) -> str:
    """``word`` folded, with one inflectional ending cut where enough letters stay (``MIN_STEM``)."""
    word = fold(word)
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= (MIN_STEM if len(ending) == 1 else MIN_STEM_LONG_ENDING):
            return word[: -len(ending)]
    return word


def query_stems(query: str) -> list[str]:
    """The stems of the query's words, in order, without repeats (at most ``MAX_TERMS``).
    Words after a minus («-проект») are left out: the fallback has no «not»."""
    stems: list[str] = []
    for match in WORD.finditer(query):
        start = match.start()
        if start and query[start - 1] == "-":
            continue
        value = stem(match.group())
        if value and value not in stems:
            stems.append(value)
    return stems[:MAX_TERMS]


def snippet(text: str, stems: list[str], width: int = 240) -> SafeString:
    """Escaped ``text`` around the first word that starts with one of ``stems``, matching words in <mark>."""
    text = " ".join((text or "").split())
    words = list(WORD.finditer(text))
    hits = [m for m in words if any(fold(m.group()).startswith(s) for s in stems)]
    start = 0
    if hits and hits[0].start() > width // 3:
        start = text.rfind(" ", 0, hits[0].start() - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + width // 2)
    parts, position = [], start
    for match in hits:
        if match.start() < start or match.end() > end:
            continue
        parts.append(escape(text[position:match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)


def headline(marked: str | None) -> SafeString:
    """PostgreSQL's ts_headline output (matches between ``START`` and ``STOP``) as safe HTML."""
    html = escape(" ".join((marked or "").split()))
    return mark_safe(html.replace(START, "<mark>").replace(STOP, "</mark>"))
