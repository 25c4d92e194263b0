"""An uploaded protocol → its text, line by line, at a bounded cost.

``.docx`` is read with python-docx after the archive itself was checked (entry count, unpacked
size, compression ratio: a zip bomb is refused before anything is unpacked); Word's automatic list
numbers, which are not in the text, are recovered from the numbering definitions; tables become one
line per row. ``.txt`` and ``.md`` are decoded as UTF-8 (or Windows-1251). Every limit is a
``ReadError`` with a message for the secretary.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.utils.translation import gettext as _

from core import ru
from core.errors import DomainError

MAX_FILE_BYTES = 5 * 1024 * 1024  # one uploaded file
MAX_FILES = 20  # files in one upload
MAX_UNPACKED_BYTES = 30 * 1024 * 1024  # a .docx's entries together, unpacked
MAX_ZIP_ENTRIES = 500
MAX_RATIO = 100  # unpacked / packed size of one entry larger than 1 MB
MAX_LINES = 5000  # paragraphs (and table rows) of one protocol
MAX_CHARS = 400_000  # characters of one protocol
MAX_LINE_CHARS = 10_000  # one paragraph
TEXT_EXTENSIONS = (".txt", ".md")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ReadError(DomainError):
    """The file cannot be imported; the message says why, in words for the secretary."""


def extension(name: str) -> str:
    match = re.search(r"\.[A-Za-z0-9]{1,5}$", name or "")
    return match.group().lower() if match else ""


def read_upload(name: str, data: bytes) -> str:
    """The text of an uploaded file, one paragraph a line."""
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    ext = extension(name)
    if ext == ".docx":
        return read_docx(data)
    if ext in TEXT_EXTENSIONS:
        return check_text(decode_text(data))
    if ext in (".doc", ".rtf", ".odt", ".pdf"):
        raise ReadError(_("%(ext)s files cannot be imported: save the protocol as .docx in Word and upload it again.")
                        % {"ext": ext})
    raise ReadError(_("Upload a .docx, .txt or .md file."))


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ReadError(_("The file is not text: upload a .docx, .txt or .md file."))
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(_("The file's encoding is not UTF-8 or Windows-1251."))


def check_text(text: str) -> str:
    """The limits every protocol's text keeps, pasted or read from a file."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if len(text) > MAX_CHARS:
        raise ReadError(_("The protocol is longer than %(chars)s characters: split it into several files.")
                        % {"chars": f"{MAX_CHARS:,}".replace(",", " ")})
    lines = text.split("\n")
    if sum(1 for line in lines if line.strip()) > MAX_LINES:
        raise ReadError(_("The protocol has more than %(lines)s paragraphs: split it into several files.")
                        % {"lines": MAX_LINES})
    return "\n".join(line[:MAX_LINE_CHARS] for line in lines)


def _check_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ReadError(_("The file is not a Word document (.docx): open it in Word and save it as .docx.")) from None
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ReadError(_("The document is refused: its archive has too many parts."))
    if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        raise ReadError(_("The document is refused: unpacked it is larger than %(mb)s MB (a zip bomb?).")
                        % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)})
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise ReadError(_("The document is refused: one of its parts unpacks %(ratio)s times larger (a zip bomb?).")
                            % {"ratio": entry.file_size // max(entry.compress_size, 1)})
    if "word/document.xml" not in {e.filename for e in entries}:
        raise ReadError(_("The file is not a Word document (.docx): open it in Word and save it as .docx."))


def read_docx(data: bytes) -> str:
    _check_archive(data)
    import docx  # python-docx; imported here so that text imports do not load it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # lxml's XMLSyntaxError, KeyError of a missing part …: not a document we can read
        raise ReadError(_("The file is not a Word document (.docx): open it in Word and save it as .docx.")) from None
    numbering = Numbering(document)
    lines: list[str] = []
    chars = 0
    for element in _blocks(document.element.body):
        if element.tag == f"{W}p":
            new = [numbering.prefix(element) + _paragraph_text(element)]
        elif element.tag == f"{W}tbl":
            new = _table_lines(element)
        else:
            continue
        lines.extend(new)
        chars += sum(len(line) for line in new)
        if len(lines) > MAX_LINES * 2 or chars > MAX_CHARS:
            break  # check_text words the refusal
    return check_text("\n".join(lines))


def _blocks(parent):
    """Paragraphs and tables in document order, also those inside content controls (``w:sdt``)."""
    for element in parent.iterchildren():
        if element.tag == f"{W}sdt":
            content = element.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        else:
            yield element


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == f"{W}tab" else "\n")
    return "".join(parts)


def _table_lines(table) -> list[str]:
    """One line per row: «1 | Иванов И.И. | директор» → «1. Иванов И.И., директор»."""
    lines = []
    for row in table.iter(f"{W}tr"):
        cells = [" ".join(_paragraph_text(p) for p in cell.iter(f"{W}p")).strip() for cell in row.iter(f"{W}tc")]
        cells = [c for c in cells if c]
        if not cells:
            continue
        if re.fullmatch(r"\d{1,3}\.?", cells[0]) and len(cells) > 1:
            lines.append(f"{cells[0].rstrip('.')}. " + ", ".join(cells[1:]))
        else:
            lines.append(", ".join(cells))
    return lines


class Numbering:
    """Word's automatic list numbers («1.», «1.1.», «I.», «а)»), counted as Word counts them."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) → (format, text, start)
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            part = document.part.numbering_part
        except (KeyError, NotImplementedError, AttributeError):
            return
        root = part.element
        abstract = {}
        for node in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    fmt.get(f"{W}val") if fmt is not None else "decimal",
                    text.get(f"{W}val") if text is not None else "",
                    int(start.get(f"{W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                num_id, abstract_id = num.get(f"{W}numId"), ref.get(f"{W}val")
                # Lists of one definition count on; a list that overrides its start restarts (Word's «начать заново»).
                starts = {int(o.get(f"{W}ilvl", "0")): int(s.get(f"{W}val", "1"))
                          for o in num.iter(f"{W}lvlOverride") if (s := o.find(f"{W}startOverride")) is not None}
                self.abstract_of[num_id] = f"num-{num_id}" if starts else abstract_id
                for ilvl, (fmt, text, start) in abstract.get(abstract_id, {}).items():
                    self.levels[(num_id, ilvl)] = (fmt, text, starts.get(ilvl, start))
        for style in document.styles.element.iter(f"{W}style"):
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                num_id = num_pr.find(f"{W}numId")
                ilvl = num_pr.find(f"{W}ilvl")
                if num_id is not None:
                    self.style_num[style.get(f"{W}styleId")] = (
                        num_id.get(f"{W}val"), int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0)

    def prefix(self, p) -> str:
        num_pr = p.find(f"{W}pPr/{W}numPr")
        num_id, ilvl = None, 0
        if num_pr is not None:
            node, level = num_pr.find(f"{W}numId"), num_pr.find(f"{W}ilvl")
            num_id = node.get(f"{W}val") if node is not None else None
            ilvl = int(level.get(f"{W}val", "0")) if level is not None else 0
        else:
            style = p.find(f"{W}pPr/{W}pStyle")
            if style is not None and style.get(f"{W}val") in self.style_num:
                num_id, ilvl = self.style_num[style.get(f"{W}val")]
        if not num_id or num_id == "0" or (num_id, ilvl) not in self.levels:
            return ""
        key = self.abstract_of.get(num_id, num_id)
        counters = self.counters.setdefault(key, [0] * 9)
        fmt, text, start = self.levels[(num_id, ilvl)]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return "- "
        if fmt == "none":
            return ""

        def level_value(m):
            level = int(m.group(1)) - 1
            level_fmt = self.levels.get((num_id, level), ("decimal", "", 1))[0]
            return _format_number(counters[level] or self.levels.get((num_id, level), ("", "", 1))[2], level_fmt)

        return re.sub(r"%(\d)", level_value, text).strip() + " "


RUSSIAN_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        value = ru.roman(n)
        return value if fmt == "upperRoman" else value.lower()
    if fmt in ("lowerLetter", "upperLetter"):
        value = chr(ord("a") + (n - 1) % 26)
        return value if fmt == "lowerLetter" else value.upper()
    if fmt in ("russianLower", "russianUpper"):
        value = RUSSIAN_LETTERS[(n - 1) % len(RUSSIAN_LETTERS)]
        return value if fmt == "russianLower" else value.upper()
    return str(n)
