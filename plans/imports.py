"""Reading a plan back from XLSX in the layout ``plans.exports`` writes (and clusters keep today).

Title rows, then the header row («№ п/п» …), then section rows («1. Нормативное обеспечение …»
in the first column, the rest empty) and item rows («1.1.», event, timeframe, organizers). A row
with only the event column continues the item above (a table broken across pages). Timeframes are
read the way plans write them: «1 кв. 2023 года», «1 кв. 2023 года 4 кв. 2023 года», «В течение
года», «Март 2023 года», «30 марта 2023 г.», «с 19 по 20 декабря 2023 г.».

Parsing collects every problem with its row number; nothing is written unless the file is clean.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from core.errors import DomainError
from core.sandbox import LimitExceeded, run_limited
from plans.models import MONTHS_NOMINATIVE, TimeframeKind

MB = 1024 * 1024
MAX_FILE_BYTES = 5 * MB  # as plans.forms.ImportForm
MAX_ROWS = 3000
MAX_CELL_CHARS = 10_000
# The zip inside the XLSX: a plan of a few hundred rows unpacks to well under a megabyte.
MAX_ZIP_MEMBERS = 200
MAX_UNPACKED_BYTES = 20 * MB
MAX_RATIO, RATIO_FROM_BYTES = 200, MB  # unpacked : packed, checked for members above a megabyte
TOO_COMPLEX = ("файл слишком сложен для разбора: чтение таблицы превысило допустимые время или память; "
               "сохраните в файле только лист плана")
MONTHS_GENITIVE = ["", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                   "октября", "ноября", "декабря"]
ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}
YEAR_TAIL = r"(?:\s*(?:года|год|г\.?))?"
QUARTER_RE = re.compile(r"(?P<q>[1-4]|IV|I{1,3})\s*(?:-?й\s*)?(?:квартал[а]?|кв\.?)\s*(?P<year>\d{4})?" + YEAR_TAIL, re.I)
GEN = "|".join(MONTHS_GENITIVE[1:])
NOM = "|".join(MONTHS_NOMINATIVE[1:])
MONTH_RE = re.compile(rf"(?P<month>{NOM})\s*(?P<year>\d{{4}})?{YEAR_TAIL}", re.I)
DATE_RE = re.compile(rf"(?:до\s+)?(?P<day>\d{{1,2}})\s+(?P<month>{GEN})\s+(?P<year>\d{{4}}){YEAR_TAIL}", re.I)
NUMERIC_DATE_RE = re.compile(r"(?:до\s+)?(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})" + YEAR_TAIL, re.I)
RANGE_RE = re.compile(
    rf"с\s+(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{GEN}))?(?:\s+(?P<y1>\d{{4}}){YEAR_TAIL})?\s+по\s+"
    rf"(?P<d2>\d{{1,2}})\s+(?P<m2>{GEN})\s+(?P<y2>\d{{4}}){YEAR_TAIL}",
    re.I,
)
NUMERIC_RANGE_RE = re.compile(
    r"с\s+(?P<a>\d{1,2}\.\d{1,2}\.\d{4})\s*(?:г\.?)?\s+по\s+(?P<b>\d{1,2}\.\d{1,2}\.\d{4})" + YEAR_TAIL, re.I
)
YEAR_RE = re.compile(r"в\s+течение\s+(?:всего\s+)?(?:(?P<year>\d{4})\s+)?года", re.I)
SECTION_RE = re.compile(r"^(?P<number>\d+)\.?\s+(?P<title>\S.*)$", re.S)
ITEM_NUMBER_RE = re.compile(r"^(?P<section>\d+)\.(?P<item>\d+)\.?$")
HINT = "«1 кв. 2023 года», «В течение года», «Март 2023 года», «30 марта 2023 г.», «с 19 по 20 декабря 2023 г.»"


class PlanImportError(DomainError):
    """The file has problems; ``errors`` lists (row number, message) — row 0 is the file as a whole."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(f"строка {row}: {message}" if row else message for row, message in errors))


@dataclass
class ParsedItem:
    row: int
    title: str
    timeframe: dict
    organizers_text: str


@dataclass
class ParsedSection:
    row: int
    title: str
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str
    period: str
    year: int | None
    sections: list[ParsedSection]

    @property
    def years(self) -> list[int]:
        return [item.timeframe["year"] for section in self.sections for item in section.items] or [self.year]


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[ \t\u00a0]+", " ", str(value)).strip()


def _timeframe(kind, year, quarters=(), month=None, date_from=None, date_to=None) -> dict:
    return {
        "timeframe_kind": kind, "year": year, "month": month, "date_from": date_from, "date_to": date_to,
        **{f"q{n}": n in quarters for n in range(1, 5)},
    }


def _date(day, month, year) -> datetime.date:
    return datetime.date(int(year), int(month), int(day))


def _month_number(name: str, table: list[str]) -> int:
    return table.index(name.lower())


def parse_timeframe(value, default_year: int | None) -> dict:
    """A timeframe as written → the structured fields of ``PlanItem``; ``ValueError`` with a Russian message."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return _timeframe(TimeframeKind.DATE, value.year, date_from=value)
    text = _clean(value).rstrip(";,")
    if not text:
        raise ValueError("не указана дата проведения мероприятия")

    def year_or_default(found):
        year = int(found) if found else default_year
        if not year:
            raise ValueError(f"не указан год в сроке «{text}»")
        return year

    if m := YEAR_RE.fullmatch(text):
        return _timeframe(TimeframeKind.YEAR, year_or_default(m["year"]))
    try:
        if m := RANGE_RE.fullmatch(text):
            end = _date(m["d2"], _month_number(m["m2"], MONTHS_GENITIVE), m["y2"])
            start_month = _month_number(m["m1"], MONTHS_GENITIVE) if m["m1"] else end.month
            start = _date(m["d1"], start_month, m["y1"] or end.year)
            return _range(start, end, text)
        if m := NUMERIC_RANGE_RE.fullmatch(text):
            start, end = (datetime.datetime.strptime(m[k], "%d.%m.%Y").date() for k in ("a", "b"))
            return _range(start, end, text)
        if m := DATE_RE.fullmatch(text):
            day = _date(m["day"], _month_number(m["month"], MONTHS_GENITIVE), m["year"])
            return _timeframe(TimeframeKind.DATE, day.year, date_from=day)
        if m := NUMERIC_DATE_RE.fullmatch(text):
            day = _date(m["day"], m["month"], m["year"])
            return _timeframe(TimeframeKind.DATE, day.year, date_from=day)
    except ValueError as error:
        if "срок" in str(error) or "период" in str(error):
            raise
        raise ValueError(f"несуществующая дата в сроке «{text}»") from None
    if m := MONTH_RE.fullmatch(text):
        return _timeframe(TimeframeKind.MONTH, year_or_default(m["year"]), month=_month_number(m["month"], MONTHS_NOMINATIVE))
    quarters, years = _quarters(text)
    if quarters:
        if len(set(years) - {None}) > 1:
            raise ValueError(f"кварталы разных лет в одном сроке «{text}»: разделите мероприятие")
        year = year_or_default(next((y for y in years if y), None))
        return _timeframe(TimeframeKind.QUARTERS, year, quarters=sorted(set(quarters)))
    raise ValueError(f"не удалось распознать срок «{text}» (пишется так: {HINT})")


def _range(start, end, text) -> dict:
    if end < start:
        raise ValueError(f"период «{text}» заканчивается раньше, чем начинается")
    return _timeframe(TimeframeKind.RANGE, start.year, date_from=start, date_to=end)


def _quarters(text: str) -> tuple[list[int], list[int | None]]:
    """All quarters in the text, provided nothing but separators lies between them."""
    quarters, years, rest, position = [], [], [], 0
    for m in QUARTER_RE.finditer(text):
        rest.append(text[position:m.start()])
        position = m.end()
        q = m["q"].upper()
        quarters.append(ROMAN_QUARTERS.get(q) or int(q))
        years.append(int(m["year"]) if m["year"] else None)
    rest.append(text[position:])
    leftover = re.sub(r"[\s,;и]+", "", "".join(rest), flags=re.I)
    return (quarters, years) if quarters and not leftover else ([], [])


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


def parse_plan_xlsx(file) -> ParsedPlan:
    """Parse an uploaded workbook (its first sheet). Raises ``PlanImportError`` with every problem found.

    The archive is inspected before openpyxl opens it (:func:`check_archive`), and the parse runs in
    a child process under a CPU-time and memory limit (``core.sandbox``): a workbook built to cost
    minutes of CPU or gigabytes of memory is refused with a message instead.
    """
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise PlanImportError([(0, f"файл больше {MAX_FILE_BYTES // MB} МБ")])
    check_archive(data)
    try:
        outcome = run_limited(_parse_in_child, data, label="plan-import")
    except LimitExceeded:
        raise PlanImportError([(0, TOO_COMPLEX)]) from None
    if isinstance(outcome, list):  # the child's PlanImportError, as its (row, message) list
        raise PlanImportError(outcome)
    return outcome


def check_archive(data: bytes) -> None:
    """Refuse a workbook whose zip directory promises too much: the members' declared sizes bound
    what zipfile will ever unpack (it stops at the declared size), so they are checked here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PlanImportError([(0, "файл не читается как таблица XLSX")]) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise PlanImportError([(0, f"в файле XLSX больше {MAX_ZIP_MEMBERS} частей: это не таблица плана")])
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise PlanImportError([(0, f"распакованная таблица заняла бы {unpacked // MB} МБ (допускается не больше "
                                   f"{MAX_UNPACKED_BYTES // MB} МБ): сохраните в файле только лист плана")])
    for member in members:
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise PlanImportError([(0, "файл XLSX сжат неправдоподобно сильно (похоже на «zip-бомбу»): "
                                       "сохраните таблицу заново в Excel или LibreOffice")])


def _parse_in_child(data: bytes):
    """In the limited child: the plan, or the list of problems (PlanImportError does not pickle as is)."""
    try:
        return _parse_workbook(data)
    except PlanImportError as error:
        return error.errors


def _parse_workbook(data: bytes) -> ParsedPlan:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException …: not a workbook we can read
        raise PlanImportError([(0, "файл не читается как таблица XLSX")]) from None
    if not workbook.worksheets:
        raise PlanImportError([(0, "в файле XLSX нет ни одного листа")])
    sheet = workbook.worksheets[0]
    rows = []
    for number, row in enumerate(sheet.iter_rows(max_col=4, values_only=True), start=1):
        if number > MAX_ROWS:
            raise PlanImportError([(0, f"в файле больше {MAX_ROWS} строк")])
        cells = list(row) + [None] * (4 - len(row))
        if any(isinstance(cell, str) and len(cell) > MAX_CELL_CHARS for cell in cells):
            raise PlanImportError([(number, f"в ячейке больше {MAX_CELL_CHARS} знаков")])
        rows.append((number, cells))
    workbook.close()
    return parse_rows(rows)


def parse_rows(rows) -> ParsedPlan:
    errors: list[tuple[int, str]] = []
    header_index = next(
        (i for i, (_n, cells) in enumerate(rows) if _clean(cells[0]).lower().replace(" ", "").startswith("№")), None
    )
    if header_index is None:
        raise PlanImportError([(0, "не найдена строка заголовка таблицы («№ п/п», «Направление/мероприятие», "
                                   "«Дата проведения мероприятия», «Организаторы/участники мероприятий»)")])
    titles, period = [], ""
    for _n, cells in rows[:header_index]:
        text = " ".join(_clean(c) for c in cells if _clean(c))
        if not text or text.lower().startswith("утвержд"):
            continue
        if re.match(r"^на\s", text, re.I):
            period = text
        else:
            titles.append(text)
    year_match = re.search(r"\b(20\d{2})\b", period) or re.search(r"\b(20\d{2})\b", " ".join(titles))
    default_year = int(year_match.group(1)) if year_match else None

    sections: list[ParsedSection] = []
    last_item: ParsedItem | None = None
    for number, cells in rows[header_index + 1:]:
        a, b, c, d = (_clean(x) if not isinstance(x, (datetime.date, datetime.datetime)) else x for x in cells[:4])
        if not any([a, b, c, d]):
            continue
        section_match = SECTION_RE.match(a) if isinstance(a, str) else None
        if section_match and not (b or c or d) and not ITEM_NUMBER_RE.match(a):
            if int(section_match["number"]) != len(sections) + 1:
                errors.append((number, f"номер раздела «{section_match['number']}.» не по порядку "
                                       f"(ожидался «{len(sections) + 1}.»)"))
            sections.append(ParsedSection(row=number, title=section_match["title"].strip()))
            last_item = None
            continue
        bare_number = re.fullmatch(r"(\d+)\.?", a) if isinstance(a, str) else None
        if bare_number and b and not c and not d:  # «1.» | «Нормативное обеспечение …» | | 
            section_match = bare_number
            sections.append(ParsedSection(row=number, title=b))
            last_item = None
            continue
        if not a and b and not c and not d:
            if last_item is None:
                errors.append((number, "строка с текстом без номера и срока не продолжает никакое мероприятие"))
            else:
                last_item.title = f"{last_item.title} {b}"
            continue
        if a and not ITEM_NUMBER_RE.match(a):
            errors.append((number, f"номер «{a}» не похож ни на раздел («1. Наименование»), ни на мероприятие («1.1.»)"))
            continue
        if not sections:
            errors.append((number, "мероприятие стоит до первого раздела"))
            continue
        item_match = ITEM_NUMBER_RE.match(a) if a else None
        if item_match and int(item_match["section"]) != len(sections):
            errors.append((number, f"номер «{a}» не относится к разделу {len(sections)}."))
        if not b:
            errors.append((number, "не указано мероприятие (столбец «Направление/мероприятие»)"))
        try:
            timeframe = parse_timeframe(c, default_year)
        except ValueError as error:
            errors.append((number, str(error)))
            timeframe = None
        if not d:
            errors.append((number, "не указаны организаторы/участники"))
        last_item = ParsedItem(row=number, title=b, timeframe=timeframe, organizers_text=d)
        sections[-1].items.append(last_item)
    if not sections and not errors:
        errors.append((0, "в таблице нет ни одного раздела («1. Наименование раздела»)"))
    if errors:
        raise PlanImportError(errors)
    title = _sentence_case(" ".join(titles)) or "План работы"
    return ParsedPlan(title=title, period=period or (f"на {default_year} год" if default_year else ""),
                      year=default_year, sections=sections)
