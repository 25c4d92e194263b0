"""Text of a protocol → a structured protocol, with the source line of every part and a flag on
every field the parser was unsure of. Pure: no database, no Django models.

The styles recognised are those of real protocols (``shared/seeds`` and DESIGN.md): per-item
«СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ», «Вопрос №1: … РЕШЕНИЕ:», the ministry style (Roman items, the
speaker in brackets, «Заслушав …, РЕШИЛИ:»), one «РЕШИЛИ» block for all items (with «ВОПРОС 1.»
sub-headings or numbers «1.1.» naming the item), decisions with sub-points, votes, deadlines in
every form and the signature blocks.

Every regular expression here is anchored or bounded per line, and lines are capped by
``reading``: the cost is linear in the text.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
    "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
MONTH = r"(?:" + "|".join(MONTHS) + r")"
YEAR_SUFFIX = r"(?:\s*(?:г\.?|года|год)(?![а-яё]))?"
DATE_NUM = r"(?P<{p}d>\d{{1,2}})\.(?P<{p}m>\d{{1,2}})\.(?P<{p}y>\d{{4}}|\d{{2}})" + YEAR_SUFFIX
DATE_WORDS = r"«?(?P<{p}d>\d{{1,2}})»?\s+(?P<{p}m>" + MONTH + r")\s+(?P<{p}y>\d{{4}})" + YEAR_SUFFIX


def _date_re(prefix: str) -> str:
    return f"(?:{DATE_NUM.format(p=prefix)}|{DATE_WORDS.format(p=prefix + 'w')})"


DATE = _date_re("a")
TIME = r"(?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?:\s*(?:\(\s*(?:мск|МСК|по московскому времени)\s*\)|мск|МСК))?"
ROMAN_RE = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"

KIND_WORDS = [  # the title of the protocol → Meeting.kind
    (r"президиум", "presidium"),
    (r"рабоч\w+ групп", "working_group"),
    (r"видео|ВКС|совещани", "conference_call"),
    (r"координационного совета|совета", "council"),
    (r"кластер", "cluster"),
]

# A decision's leading verb → Decision.kind.
DECISION_KINDS = [
    (r"принять\s+к\s+сведению|принять\s+информацию\s+к\s+сведению|информацию\s+принять\s+к\s+сведению", "note"),
    (r"одобрить", "approve"),
    (r"утвердить|согласовать|принять", "adopt"),
    (r"рекомендовать", "recommend"),
    (r"поручить|обязать", "assign"),
]
# Leading verbs whose object is the addressee: «Рекомендовать <кому> <сделать>».
ADDRESSING_VERBS = {"рекомендовать", "поручить", "обязать", "предложить", "просить"}

UNSURE, ERROR = "unsure", "error"


@dataclass
class Flag:
    field: str  # "date", "chair", "decision 1.2: deadline" …
    line: int | None
    message: str
    level: str = UNSURE


@dataclass
class Person:
    """A person as the protocol writes them: «А.Н. Рудометкина», «Чуранов Василий Сергеевич»."""

    last_name: str
    first_name: str = ""
    patronymic: str = ""


@dataclass
class AttendanceLine:
    line: int
    text: str  # the whole line as written
    name: Person | None
    position_text: str
    mode: str = "in_person"
    invited: bool = False
    group: str = ""  # «от ООО «Ромашка»»


@dataclass
class SpeakerLine:
    line: int
    text: str
    name: Person | None
    position_text: str
    summary: str = ""


@dataclass
class Deadline:
    date: str | None = None  # ISO
    time: str | None = None  # HH:MM, Moscow
    start: str | None = None  # ISO, a range's first day
    words: str = ""  # «в установленные сроки»
    line: int | None = None
    written: str = ""


@dataclass
class ParsedDecision:
    line: int
    number_as_written: str
    text: str
    kind: str = "other"
    vote: str = "none"
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstained: int | None = None
    deadline: Deadline | None = None
    addressee: str = ""  # the party the decision names at its start («ОГБПОУ СмолАПО разработать …»)
    responsible_written: list = field(default_factory=list)  # «Ответственный: …» parts
    bracket_names: list = field(default_factory=list)  # «(О.М. Зарянкина)»
    subpoints: list = field(default_factory=list)  # lettered parts kept in the text: [(«а», text)]
    is_subpoint: bool = False  # «2.1.» under «2.»: a decision of its own, a sub-point of the one above
    item: int = 0  # the agenda item's order (1-based)
    order: int = 0
    number: str = ""  # as the portal will number it («1.5»; «2» for an item's only decision)
    place: int = 0  # among the item's decisions, or among its decision's sub-points
    flags: list = field(default_factory=list)


@dataclass
class ParsedItem:
    line: int
    order: int
    number_as_written: str
    title: str
    speakers: list = field(default_factory=list)
    discussion: str = ""
    decision_intro: str = ""  # «Заслушав выступление …» before «РЕШИЛИ:»
    decisions: list = field(default_factory=list)


@dataclass
class Signature:
    line: int
    role: str
    name: Person | None
    name_text: str


@dataclass
class ParsedProtocol:
    heading: str = ""  # lines above «ПРОТОКОЛ» (the authority, the cluster)
    number: str = ""
    number_line: int | None = None
    title: str = ""
    kind: str = "council"
    date: str | None = None
    date_line: int | None = None
    start_time: str | None = None
    end_time: str | None = None
    city: str = ""
    place: str = ""
    format: str = "in_person"
    chair: Person | None = None
    chair_text: str = ""
    chair_title: str = "chair"
    chair_line: int | None = None
    secretary: Person | None = None
    secretary_text: str = ""
    secretary_line: int | None = None
    attendance: list = field(default_factory=list)
    attendance_total: int | None = None
    attendance_online: int | None = None
    attendance_note: str = ""
    attendance_line: int | None = None
    items: list = field(default_factory=list)
    # «per_item» when the text restarts decision numbers in every item («1.», «2.» under item 2 too)
    decision_numbering: str = ""
    # «heard» when every item's decisions follow «Заслушав …, РЕШИЛИ:»; «single_block» for one «РЕШИЛИ»
    # block after the items; «question» for items headed «Вопрос №1: …» with «РЕШЕНИЕ:»; empty: as the body lays them out
    protocol_layout: str = ""
    # «full» when the heading writes its date «30 марта 2023 года», «short» for «30 марта 2023 г.»; empty: numeric
    date_form: str = ""
    signatures: list = field(default_factory=list)
    flags: list = field(default_factory=list)

    def flag(self, field_name, line, message, level=UNSURE):
        self.flags.append(Flag(field_name, line, message, level))

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


# ---------------------------------------------------------------- lines


def clean_line(line: str) -> str:
    """Markdown emphasis and headings off, no-break spaces and runs of spaces as one space."""
    line = line.replace("\u00a0", " ").replace("\t", " ").replace("\u200b", "")
    line = re.sub(r"\*\*|__", "", line)
    line = re.sub(r"^#{1,6}\s+", "", line)
    return re.sub(r" {2,}", " ", line).strip()


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """(source line number, cleaned text) of every non-empty line."""
    return [(n, cleaned) for n, raw in enumerate(text.splitlines(), start=1) if (cleaned := clean_line(raw))]


def normalize_text(text: str) -> str:
    """What a secretary would have typed: «2017г» → «2017 г.», spaced dashes as «—»."""
    text = re.sub(r"\b(\d{4})\s?г(?![а-яё])\.?", r"\1 г.", text)
    text = re.sub(r"(?<=[^\s\n])[ ]+[-–—][ ]*(?=\S)|(?<=[^\s\n])[ ]*[–—][ ]+(?=\S)", " — ", text)
    return text.strip()


# ---------------------------------------------------------------- dates, deadlines, names


def _match_date(m: re.Match, prefix: str) -> datetime.date | None:
    groups = m.groupdict()
    if groups.get(f"{prefix}d"):
        day, month, year = int(groups[f"{prefix}d"]), int(groups[f"{prefix}m"]), int(groups[f"{prefix}y"])
        year += 2000 if year < 100 else 0
    elif groups.get(f"{prefix}wd"):
        day, month, year = int(groups[f"{prefix}wd"]), MONTHS[groups[f"{prefix}wm"].lower()], int(groups[f"{prefix}wy"])
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def date_form_of(written: str) -> str:
    """How a date in words ends (``members.DateForm``): «… 2023 года» full, «… 2023 г.» short; else empty."""
    if not re.search(MONTH, written, re.I):
        return ""
    if re.search(r"год[а]?\s*$", written, re.I):
        return "full"
    return "short" if re.search(r"г\.?\s*$", written, re.I) else ""


def find_date(text: str) -> tuple[datetime.date | None, re.Match | None]:
    m = re.search(DATE, text, re.I)
    return (_match_date(m, "a"), m) if m else (None, None)


RANGE_SAME_MONTH = re.compile(
    r"с\s+(?P<d1>\d{1,2})\s+по\s+(?P<d2>\d{1,2})\s+(?P<m>" + MONTH + r")\s+(?P<y>\d{4})" + YEAR_SUFFIX, re.I)
RANGE_WORDS = re.compile(
    r"с\s+(?P<d1>\d{1,2})\s+(?P<m1>" + MONTH + r")(?:\s+(?P<y1>\d{4})" + YEAR_SUFFIX + r")?\s+по\s+(?P<d2>\d{1,2})\s+(?P<m2>"
    + MONTH + r")\s+(?P<y2>\d{4})" + YEAR_SUFFIX, re.I)
RANGE_NUM = re.compile(r"(?:с\s+)?" + _date_re("a") + r"\s*(?:по|[-–—])\s*" + _date_re("b"), re.I)
TIME_BEFORE = re.compile(r"(?:до\s+)?" + TIME + r"\s*(?:ч\.?\s*)?" + _date_re("a"), re.I)
TIME_AFTER = re.compile(_date_re("a") + r",?\s*(?:до\s+)?" + TIME, re.I)

def _day(d: datetime.date | None) -> str | None:
    return d.isoformat() if d else None


def parse_deadline(text: str, line: int | None = None) -> Deadline | None:
    """``_parse_deadline``, with a range that ends before it starts kept as words (the secretary fixes it)."""
    deadline = _parse_deadline(text, line)
    if deadline and deadline.start and deadline.date and deadline.start > deadline.date:
        return Deadline(words=deadline.written, line=line, written=deadline.written)
    return deadline


def _parse_deadline(text: str, line: int | None = None) -> Deadline | None:
    """«до 30 ноября 2017 г.», «до 12:00 (мск) 13 ноября 2023 г.», «с 19 по 20 декабря 2023 г.»,
    «01.02.2024 – 10.02.2024», «в установленные сроки» … (None when there is nothing)."""
    written = text.strip().rstrip(".;")
    if not written:
        return None
    if m := RANGE_SAME_MONTH.search(text):
        month, year = MONTHS[m["m"].lower()], int(m["y"])
        try:
            start, end = datetime.date(year, month, int(m["d1"])), datetime.date(year, month, int(m["d2"]))
        except ValueError:
            return Deadline(words=written, line=line, written=written)
        return Deadline(date=_day(end), start=_day(start), line=line, written=written)
    if m := RANGE_WORDS.search(text):
        year2 = int(m["y2"])
        try:
            end = datetime.date(year2, MONTHS[m["m2"].lower()], int(m["d2"]))
            start = datetime.date(int(m["y1"] or year2), MONTHS[m["m1"].lower()], int(m["d1"]))
        except ValueError:
            return Deadline(words=written, line=line, written=written)
        return Deadline(date=_day(end), start=_day(start), line=line, written=written)
    if m := RANGE_NUM.search(text):
        start, end = _match_date(m, "a"), _match_date(m, "b")
        if start and end:
            return Deadline(date=_day(end), start=_day(start), line=line, written=written)
    for pattern in (TIME_BEFORE, TIME_AFTER):
        if m := pattern.search(text):
            day = _match_date(m, "a")
            hours, minutes = int(m["hh"]), int(m["mm"])
            if day and hours < 24 and minutes < 60:
                return Deadline(date=_day(day), time=f"{hours:02d}:{minutes:02d}", line=line, written=written)
    day, _m = find_date(text)
    if day:
        return Deadline(date=_day(day), line=line, written=written)
    return Deadline(words=written, line=line, written=written)


INITIALS = r"[А-ЯЁ]\.\s?(?:[А-ЯЁ](?:\.|(?![а-яёА-ЯЁ])))?"
SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
NAME_WORD = r"[А-ЯЁ][а-яё]+"
PERSON_PATTERNS = [
    re.compile(rf"^(?P<i>{INITIALS})\s*(?P<s>{SURNAME})\b"),  # А.Н. Рудометкин
    re.compile(rf"^(?P<s>{SURNAME})\s+(?P<i>{INITIALS})"),  # Рудометкин А.Н.
    re.compile(rf"^(?P<s>{SURNAME})\s+(?P<f>{NAME_WORD})(?:\s+(?P<p>{NAME_WORD}(?:вич|вна|ична|вны|вича|вичу|вне|вной|ича|ичу|чна)))?\b"),
]


NOT_SURNAMES = {"представитель", "представители", "сотрудник", "сотрудники", "директор", "начальник", "заместитель",
                "руководитель", "ректор", "министр", "глава", "губернатор", "председатель", "секретарь", "департамент",
                "члены", "участники", "информацию", "принять", "утвердить", "заслушав", "от"}


def parse_person(text: str) -> tuple[Person | None, str]:
    """The person at the start of ``text`` and what follows («, директор …»)."""
    text = text.strip()
    if text.split(" ", 1)[0].lower() in NOT_SURNAMES:
        return None, text
    for n, pattern in enumerate(PERSON_PATTERNS):
        m = pattern.match(text)
        if not m:
            continue
        if n < 2:
            initials = re.findall(r"[А-ЯЁ]", m["i"])
            person = Person(m["s"], initials[0] + "." if initials else "", initials[1] + "." if len(initials) > 1 else "")
        else:
            person = Person(m["s"], m["f"], m["p"] or "")
        rest = text[m.end():].strip().lstrip(",–—-:").strip()
        return person, rest
    return None, text


# ---------------------------------------------------------------- the header


NUMBER_RE = re.compile(r"^протокол\b\s*(?:№\s*(?P<n>[^\s,]+))?(?P<rest>.*)$", re.I)
CHAIR_RE = re.compile(
    r"^(?P<t>председательствующ\w*|председательствовал\w*|председатель(?:\s+(?:заседания|совещания))?)\s*[:–—-]\s*(?P<v>.+)$",
    re.I)
SECRETARY_RE = re.compile(r"^секретарь(?:\s+(?:заседания|совещания))?\s*[:–—-]\s*(?P<v>.+)$", re.I)
ATTENDANCE_RE = re.compile(r"^присутствовал[иа]?(?:\s+на\s+заседании)?\s*:?\s*(?P<rest>.*)$", re.I)
INVITED_RE = re.compile(r"^приглаш[её]нн?ы[ей]?\s*:?\s*(?P<rest>.*)$", re.I)
ONLINE_RE = re.compile(r"^(?:в\s+режиме\s+(?:ВКС|видео[-\w\s]*связи)|онлайн[-\s]подключение|онлайн|"
                       r"дистанционно|по\s+видеосвязи)\s*:?\s*(?P<rest>.*)$", re.I)
GROUP_RE = re.compile(r"^от\s+(?P<org>.+?)\s*:\s*(?P<rest>.*)$", re.I)
HEADCOUNT_RE = re.compile(r"^(?P<total>\d+)\s*чел(?:овек|\.)?\s*(?P<note>\([^)]*\))?", re.I)
ONLINE_COUNT_RE = re.compile(r"(?:в\s+режиме\s+ВКС|онлайн|дистанционно)[^\d]{0,20}(?P<n>\d+)\s*чел", re.I)
AGENDA_RE = re.compile(r"^повестка(?:\s+дня)?(?:\s+заседания)?\s*:?\s*(?P<rest>.*)$", re.I)
PLACE_RE = re.compile(r"^место\s+проведения\s*:?\s*(?P<v>.+)$", re.I)
DATE_FIELD_RE = re.compile(r"^дата(?:\s+проведения)?\s*:?\s*(?P<v>.+)$", re.I)
TIME_FIELD_RE = re.compile(r"^время(?:\s+проведения)?\s*:?\s*(?P<v>.*)$", re.I)
START_RE = re.compile(r"начало\s*[:–—-]?\s*(?:в\s+)?(?P<hh>\d{1,2})[.:](?P<mm>\d{2})", re.I)
END_RE = re.compile(r"окончание\s*[:–—-]?\s*(?:в\s+)?(?P<hh>\d{1,2})[.:](?P<mm>\d{2})", re.I)
SPAN_RE = re.compile(r"с\s+(?P<h1>\d{1,2})[.:](?P<m1>\d{2})\s+до\s+(?P<h2>\d{1,2})[.:](?P<m2>\d{2})", re.I)
CITY_RE = re.compile(r"^(?P<city>(?:г\.|город|пос\.|с\.)\s?[А-ЯЁ][\w-]+(?:\s[А-ЯЁ][\w-]+)?)\s*[,.]?\s*(?P<rest>.*)$")
FORMAT_RE = re.compile(r"^форма\s+проведения\s*:?\s*(?P<v>.+)$", re.I)

# Where the body of the protocol begins (after the agenda).
HEARD_RE = re.compile(r"^(?:(?P<n>\d+|" + ROMAN_RE + r")\.\s*)?(?P<kw>слушали|докладчик(?:и)?|выступили|(?:решили|решение|постановили)"
                      r"(?=\s*[:.]|\s*$))\s*[:.]?\s*(?P<rest>.*)$", re.I)
QUESTION_RE = re.compile(r"^(?:вопрос|по\s+вопросу)\s*№?\s*(?P<n>\d+|" + ROMAN_RE + r")\s*[:.)]?\s*(?P<rest>.*)$", re.I)
ORDINALS = {"первому": 1, "второму": 2, "третьему": 3, "четвертому": 4, "четвёртому": 4, "пятому": 5,
            "шестому": 6, "седьмому": 7, "восьмому": 8, "девятому": 9, "десятому": 10}
ORDINAL_RE = re.compile(r"^по\s+(?P<w>" + "|".join(ORDINALS) + r")\s+вопросу\s*(?:повестки(?:\s+дня)?)?\s*[:.]?\s*(?P<rest>.*)$",
                        re.I)
HEARD_PHRASE_RE = re.compile(r"^(?P<heard>(?:заслушав|рассмотрев|обсудив)\b.*?)[,:]?\s*(?P<kw>решили|постановили)\s*[:.]?\s*(?P<rest>.*)$",
                             re.I)
ROMAN_ITEM_RE = re.compile(r"^(?P<n>" + ROMAN_RE + r")\.\s+(?P<rest>\S.*)$")
ARABIC_ITEM_RE = re.compile(r"^(?P<n>\d{1,2})[.)]\s+(?P<rest>\S.*)$")
DECISION_NUMBER_RE = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})(?:\.|\))\s*(?P<rest>\S.*)$")
SUBPOINT_RE = re.compile(r"^(?P<n>[а-е]|\d{1,2})\)\s+(?P<rest>\S.*)$")
DEADLINE_LINE_RE = re.compile(r"^(?:срок(?:\s+исполнения)?|сроки)\s*[:–—-]\s*(?P<v>.+)$", re.I)
RESPONSIBLE_LINE_RE = re.compile(r"^(?:ответственн\w*|исполнител\w*)(?:\s+за\s+исполнение)?\s*[:–—-]\s*(?P<v>.+)$", re.I)
VOTE_LINE_RE = re.compile(r"^(?:голосовали|итоги\s+голосования|результаты\s+голосования|решение\s+принято|принято)\b"
                          r"\s*:?\s*(?P<v>.*)$|^единогласно\.?$", re.I)
SIGNATURE_ROLE_RE = re.compile(r"^(?P<role>председатель|председательствующий|секретарь|заместитель\s+\w+|"
                               r"директор|руководитель|начальник|министр|ректор|глава)\b(?!\s*[:–—-])", re.I)
SIGNATURE_NAME_RE = re.compile(rf"^(?:{INITIALS}\s?{SURNAME}|{SURNAME}\s{INITIALS})$")


def _time(hh, mm) -> str | None:
    hh, mm = int(hh), int(mm)
    return f"{hh:02d}:{mm:02d}" if hh < 24 and mm < 60 else None


def _roman_value(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for a, b in zip(text, text[1:] + " "):
        total += -values[a] if b in values and values[b] > values[a] else values[a]
    return total


def _item_number(text: str) -> int | None:
    return int(text) if text.isdigit() else _roman_value(text.upper())


def is_body_start(text: str) -> bool:
    return bool(HEARD_RE.match(text) or QUESTION_RE.match(text) or ORDINAL_RE.match(text) or HEARD_PHRASE_RE.match(text))


class Parser:
    def __init__(self, lines: list[tuple[int, str]]):
        self.lines = lines
        self.i = 0
        self.p = ParsedProtocol()

    # -------------------------------------------------------- driver

    def parse(self) -> ParsedProtocol:
        self.header()
        self.agenda()
        self.body()
        self.finish()
        return self.p

    def peek(self, offset=0):
        j = self.i + offset
        return self.lines[j] if j < len(self.lines) else (None, None)

    # -------------------------------------------------------- header, attendance

    def header(self):
        p = self.p
        heading, title = [], []
        seen_protocol = False
        while self.i < len(self.lines):
            n, text = self.lines[self.i]
            if AGENDA_RE.match(text) and not AGENDA_RE.match(text)["rest"][:1].isdigit() or is_body_start(text):
                break
            if m := NUMBER_RE.match(text):
                if not seen_protocol:
                    seen_protocol = True
                    p.number, p.number_line = (m["n"] or "").rstrip(".,"), n
                    rest = m["rest"].strip()
                    if rest:
                        self.header_rest(n, rest, title)
                    self.i += 1
                    continue
            if not seen_protocol and not DATE_FIELD_RE.match(text) and not CITY_RE.match(text):
                heading.append(text)
                self.i += 1
                continue
            if self.header_field(n, text):
                pass
            elif not p.date and find_date(text)[0]:
                self.header_rest(n, text, title)
            elif title and (text[:1].islower() or not p.date):
                title.append(text)  # the title goes on until the date
            else:
                if not p.date and find_date(text)[0]:
                    self.header_rest(n, text, title)
                elif text[:1].islower() or not title and text.lower().startswith(("заседани", "совещани")):
                    title.append(text)
                else:
                    p.flag("heading", n, _("Line not recognised: «%(text)s»") % {"text": text[:80]})
            self.i += 1
        p.heading = " ".join(heading)
        if not seen_protocol and heading:
            # No «ПРОТОКОЛ» line: what preceded the fields is the title.
            p.flag("number", None, _("No «ПРОТОКОЛ» line found"))
        p.title = normalize_text(" ".join(title))
        for pattern, kind in KIND_WORDS:
            if re.search(pattern, p.title, re.I):
                p.kind = kind
                break
        else:
            p.flag("kind", p.number_line, _("The title does not say what kind of meeting it was: check it"))
        if not p.date:
            p.flag("date", None, _("The meeting date is not found"), ERROR)
        if not p.chair_text:
            p.flag("chair", None, _("The text names no chair"))
        if p.attendance_online and (p.attendance_total or 0) > p.attendance_online:
            p.format = "hybrid"
        elif p.attendance_online or p.attendance and all(a.mode == "online" for a in p.attendance):
            p.format = "online"
        elif any(a.mode == "online" for a in p.attendance):
            p.format = "hybrid"

    def header_rest(self, n, text, title):
        """«г. Смоленск, 30 марта 2023 года», «от 30.03.2023 № 2», a title on the «ПРОТОКОЛ» line."""
        p = self.p
        if m := CITY_RE.match(text):
            p.city = m["city"]
            text = m["rest"]
        day, m = find_date(text)
        if day and not p.date:
            p.date, p.date_line = day.isoformat(), n
            p.date_form = date_form_of(m.group(0))
            text = (text[:m.start()] + text[m.end():]).strip()
        if m2 := re.search(r"№\s*(?P<n>[^\s,]+)", text):
            if not p.number:
                p.number, p.number_line = m2["n"].rstrip(".,"), n
            text = (text[:m2.start()] + text[m2.end():]).strip()
        text = re.sub(r"^(?:от|,)\s*|\s*(?:от|,)$", "", text).strip()
        if m3 := CITY_RE.match(text):
            p.city = p.city or m3["city"]
            text = m3["rest"].strip()
        if text and text[:1].islower():
            title.append(text)

    def header_field(self, n, text) -> bool:
        p = self.p
        if m := CHAIR_RE.match(text):
            title = m["t"].lower()
            p.chair_title = "presiding" if title.startswith(("председательствующ", "председательствовал")) else "chair"
            p.chair_text, p.chair_line = m["v"].strip(), n
            p.chair, _rest = parse_person(p.chair_text)
            if p.chair is None:
                p.flag("chair", n, _("No surname found for the chair: «%(text)s»") % {"text": p.chair_text[:80]})
            return True
        if m := SECRETARY_RE.match(text):
            p.secretary_text, p.secretary_line = m["v"].strip(), n
            p.secretary, _rest = parse_person(p.secretary_text)
            if p.secretary is None:
                p.flag("secretary", n, _("No surname found for the secretary: «%(text)s»") % {"text": p.secretary_text[:80]})
            return True
        if m := DATE_FIELD_RE.match(text):
            day, _m = find_date(m["v"])
            if day:
                p.date, p.date_line = day.isoformat(), n
                p.date_form = date_form_of(_m.group(0))
            else:
                p.flag("date", n, _("Date not recognised: «%(text)s»") % {"text": m["v"][:60]}, ERROR)
            self.times(m["v"])
            return True
        if m := TIME_FIELD_RE.match(text):
            self.times(m["v"])
            return True
        if START_RE.search(text) or END_RE.search(text):
            self.times(text)
            return True
        if m := PLACE_RE.match(text):
            p.place = m["v"].strip()
            if cm := CITY_RE.match(p.place):
                p.city = p.city or cm["city"]
            return True
        if m := FORMAT_RE.match(text):
            value = m["v"].lower()
            p.format = "online" if "вкс" in value or "видео" in value or "дистанц" in value else (
                "hybrid" if "смешан" in value or "очно-" in value else "in_person")
            return True
        if m := ATTENDANCE_RE.match(text):
            self.attendance(n, m["rest"])
            return True
        if (m := CITY_RE.match(text)) and not p.city:
            self.header_rest(n, text, [])
            return True
        return False

    def times(self, text):
        p = self.p
        if m := SPAN_RE.search(text):
            p.start_time, p.end_time = _time(m["h1"], m["m1"]), _time(m["h2"], m["m2"])
        if m := START_RE.search(text):
            p.start_time = _time(m["hh"], m["mm"])
        if m := END_RE.search(text):
            p.end_time = _time(m["hh"], m["mm"])

    def attendance(self, n, rest):
        """«Присутствовали:» and the list under it: numbered or not, grouped «от …», online, invited."""
        p = self.p
        p.attendance_line = n
        mode, invited, group = "in_person", False, ""
        if rest:
            if m := HEADCOUNT_RE.match(rest):
                p.attendance_total = int(m["total"])
                p.attendance_note = (m["note"] or "").strip()
                if om := ONLINE_COUNT_RE.search(rest):
                    p.attendance_online = int(om["n"])
            else:
                self.attendee(n, rest, mode, invited, group)
        while self.i + 1 < len(self.lines):
            n, text = self.lines[self.i + 1]
            if AGENDA_RE.match(text) or is_body_start(text) or CHAIR_RE.match(text) or SECRETARY_RE.match(text) \
                    or PLACE_RE.match(text) or DATE_FIELD_RE.match(text) or TIME_FIELD_RE.match(text):
                return
            self.i += 1
            if m := INVITED_RE.match(text):
                invited, group, mode = True, "", "in_person"
                if m["rest"]:
                    self.attendee(n, m["rest"], mode, invited, group)
                continue
            if m := ONLINE_RE.match(text):
                mode, group = "online", ""
                if m["rest"] and not HEADCOUNT_RE.match(m["rest"]):
                    self.attendee(n, m["rest"], mode, invited, group)
                continue
            if (m := GROUP_RE.match(text)) and not m["rest"]:
                group = m["org"].strip()
                continue
            if m := ATTENDANCE_RE.match(text):  # a second «Присутствовали» heading (members / guests)
                continue
            if text.endswith(":") and len(text) < 120:  # «Члены Координационного совета:», a group's heading
                continue
            if HEADCOUNT_RE.match(text):
                m = HEADCOUNT_RE.match(text)
                p.attendance_total = int(m["total"])
                p.attendance_note = (m["note"] or "").strip()
                continue
            self.attendee(n, text, mode, invited, group)

    def attendee(self, n, text, mode, invited, group):
        text = re.sub(r"^\d{1,3}[.)]\s*", "", text).strip().rstrip(";,")
        if text.endswith(".") and not re.search(r"(?:^|[\s.])[А-ЯЁ]\.$", text):
            text = text[:-1]
        text = re.sub(r"^[-–—•]\s*", "", text)
        if not text:
            return
        person, rest = parse_person(text)
        position = rest.strip().lstrip("–—-,").strip()
        if group and position and group not in position:
            position = f"{position}, {group}"
        elif group and not position:
            position = group
        line = AttendanceLine(n, text, person, position, mode, invited, group)
        if person is None:
            self.p.flag(f"attendance {n}", n, _("No name found in the attendance line «%(text)s»") % {"text": text[:80]})
        self.p.attendance.append(line)

    # -------------------------------------------------------- agenda

    def agenda(self):
        p = self.p
        if self.i >= len(self.lines):
            return
        n, text = self.lines[self.i]
        m = AGENDA_RE.match(text)
        if not m:
            p.flag("agenda", None, _("No agenda found: the items are taken from the text of the protocol"))
            return
        self.i += 1
        rest = m["rest"].strip()
        if rest:
            self.lines.insert(self.i, (n, rest))
        seen = set()
        while self.i < len(self.lines):
            n, text = self.lines[self.i]
            if is_body_start(text):
                return
            m = ROMAN_ITEM_RE.match(text) or ARABIC_ITEM_RE.match(text)
            number = _item_number(m["n"]) if m else None
            if m and number is not None:
                if number in seen:  # the items begin again: the body of the protocol
                    return
                seen.add(number)
                self.add_item(n, m["n"], m["rest"])
            elif p.items and not self.item_heading(text):
                p.items[-1].title = f"{p.items[-1].title} {text}"
            elif not p.items:
                self.add_item(n, "", text)
                p.flag("agenda", n, _("An agenda item without a number"))
            else:
                return
            self.i += 1

    def add_item(self, n, number, title):
        speakers = []
        # The ministry style names the speaker in brackets: «О … (Иванов И.И., Петров П.П.)».
        if m := re.search(r"\s*\((?P<who>[^()]{3,300})\)\s*\.?$", title):
            names = [parse_person(part.strip()) for part in re.split(r"[;,]\s*(?=[А-ЯЁ])", m["who"])]
            if names and all(person for person, _rest in names):
                speakers = [SpeakerLine(n, part, person, rest) for (person, rest), part in
                            zip(names, re.split(r"[;,]\s*(?=[А-ЯЁ])", m["who"]))]
                title = title[:m.start()].rstrip()
                if not title.endswith("."):
                    title += "."
        item = ParsedItem(n, len(self.p.items) + 1, number, normalize_text(title), speakers)
        self.p.items.append(item)
        return item

    def item_heading(self, text) -> bool:
        return bool(is_body_start(text) or ROMAN_ITEM_RE.match(text))

    # -------------------------------------------------------- body

    def body(self):
        p = self.p
        self.item: ParsedItem | None = None
        self.block: list[ParsedDecision] = []  # decisions of the current «РЕШИЛИ» block (votes apply to them)
        self.global_block = False
        self.questions = False  # items headed «Вопрос №1: …»
        self.solution_word = False  # «РЕШЕНИЕ:» rather than «РЕШИЛИ:»
        self.in_signatures = False
        self.section = None  # "heard", "spoke", "decided"
        self.visited: set[int] = set()
        self.headings_in_block = False
        while self.i < len(self.lines):
            n, text = self.lines[self.i]
            self.i += 1
            if self.signature_start(text):
                self.signatures()
                continue
            self.body_line(n, text)
        if not p.items:
            p.flag("agenda", None, _("No agenda items found"), ERROR)

    def goto_item(self, n, number_text, rest):
        number = _item_number(number_text)
        items = self.p.items
        if number and number <= len(items):
            self.item = items[number - 1]
            if rest and not self.item.title:
                self.item.title = normalize_text(rest)
        else:
            self.item = self.add_item(n, number_text, rest or f"Вопрос {number_text}")
            self.p.flag(f"item {self.item.order}", n, _("The item is not in the agenda: added"))
        self.visited.add(self.item.order)
        self.headings_in_block = self.global_block
        self.section = None
        self.block = []

    def body_line(self, n, text):
        p = self.p
        if m := QUESTION_RE.match(text):
            self.questions = True
            in_decisions = self.section == "decided"
            self.goto_item(n, m["n"], m["rest"].strip())
            if in_decisions and not m["rest"].strip():  # «ВОПРОС 1.» as a sub-heading of one «РЕШИЛИ» block
                self.section = "decided"
                self.headings_in_block = True
            return
        if m := ORDINAL_RE.match(text):
            self.goto_item(n, str(ORDINALS[m["w"].lower()]), "")
            text = m["rest"].strip()
            if not text:
                return
        if m := HEARD_PHRASE_RE.match(text):
            if self.item is None:
                self.item = p.items[0] if p.items else self.add_item(n, "", "")
            heard = m["heard"].strip().rstrip(",")
            self.item.decision_intro = f"{self.item.decision_intro} {heard}".strip()
            self.start_decisions(n)
            if m["rest"].strip():
                self.decision_line(n, m["rest"].strip())
            return
        if m := HEARD_RE.match(text):
            kw, rest = m["kw"].lower(), m["rest"].strip()
            if m["n"]:
                self.goto_item(n, m["n"], "")
            if kw == "слушали" or kw.startswith("докладчик"):
                if self.item is None:
                    self.item = p.items[0] if p.items else self.add_item(n, "", "")
                    if len(p.items) > 1:
                        p.flag("speakers", n, _("«СЛУШАЛИ» once for all items: the speakers are put under item 1, "
                                                "move them to their items in the editor"))
                self.section = "heard"
                if rest:
                    self.speakers(n, rest)
            elif kw == "выступили":
                self.section = "spoke"
                if rest:
                    self.discussion(rest)
            else:  # РЕШИЛИ / РЕШЕНИЕ / ПОСТАНОВИЛИ
                self.solution_word = self.solution_word or kw.startswith("решение")
                # One block for several items: no item yet, or earlier items were heard without decisions.
                self.global_block = self.item is None or any(
                    item.order < self.item.order and not item.decisions for item in p.items if item.order in self.visited)
                self.start_decisions(n)
                if rest:
                    self.decision_line(n, rest)
            return
        # An item heading repeated in the body: «II. О …» or «2. О …» followed by «СЛУШАЛИ».
        m = ROMAN_ITEM_RE.match(text)
        if m and _roman_value(m["n"]) and not DECISION_NUMBER_RE.match(text):
            self.goto_item(n, m["n"], m["rest"])
            return
        m = ARABIC_ITEM_RE.match(text)
        if m and self.next_is_section() and "." not in m["n"]:
            self.goto_item(n, m["n"], m["rest"])
            return
        if self.section == "heard":
            self.speakers(n, text)
        elif self.section == "spoke":
            self.discussion(text)
        elif self.section == "decided":
            self.decision_line(n, text)
        else:
            p.flag("text", n, _("A line outside the parts of a protocol is left out: «%(text)s»") % {"text": text[:80]})

    def next_is_section(self) -> bool:
        _n, text = self.peek()
        return bool(text and (HEARD_RE.match(text) or HEARD_PHRASE_RE.match(text)))

    def start_decisions(self, n):
        self.section = "decided"
        self.block = []

    def current_item(self, n) -> ParsedItem:
        """The item a line belongs to: item 1 (or a new one) when no heading came before."""
        if self.item is None:
            self.item = self.p.items[0] if self.p.items else self.add_item(n, "", "")
        return self.item

    def speakers(self, n, text):
        self.current_item(n)
        parts = [part.strip() for part in re.split(r";\s*", text) if part.strip().strip(".")]
        for part in parts:
            part = re.sub(r"^\d{1,2}[.)]\s*|^[-–—•]\s*", "", part)
            summary = ""
            if m := re.search(r"\s[–—-]\s(?P<s>.+)$", part):
                summary, part = m["s"].strip(), part[:m.start()].strip()
            if part.endswith(".") and not re.search(r"(?:^|[\s.])[А-ЯЁ]\.$", part):
                part = part[:-1]
            person, rest = parse_person(part)
            self.item.speakers.append(SpeakerLine(n, part, person, rest.strip(), summary))
            if person is None:
                self.p.flag(f"speaker {n}", n, _("No name found in «СЛУШАЛИ»: «%(text)s»") % {"text": part[:80]})

    def discussion(self, text):
        self.current_item(None)
        self.item.discussion = f"{self.item.discussion}\n{text}".strip()

    # -------------------------------------------------------- decisions

    def decision_line(self, n, text):
        p = self.p
        if self.item is None:
            self.item = p.items[0] if p.items else self.add_item(n, "", "")
        last = self.block[-1] if self.block else None
        if m := DEADLINE_LINE_RE.match(text):
            if last is None:
                p.flag("deadline", n, _("A deadline with no decision before it"), ERROR)
                return
            last.deadline = parse_deadline(m["v"], n)
            return
        if m := RESPONSIBLE_LINE_RE.match(text):
            if last is None:
                p.flag("responsible", n, _("A responsible party with no decision before it"), ERROR)
                return
            last.responsible_written += [re.sub(r"(?<![А-ЯЁ])\.$", "", part.strip()) for part in re.split(r"[;,]\s*(?![^()]*\))", m["v"])
                                         if part.strip()]
            return
        if m := VOTE_LINE_RE.match(text):
            self.vote(n, m.group("v") if m.group("v") is not None else text)
            return
        if m := DECISION_NUMBER_RE.match(text):
            number = m["n"]
            top = next((d for d in reversed(self.block) if not d.is_subpoint), None)
            if top is not None and top.number_as_written and number.startswith(top.number_as_written.rstrip(".") + "."):
                # «2.1.» under «2.» (or «1.2.1.» under «1.2.»): a sub-point with its own deadline and parties
                subpoint = ParsedDecision(n, number, m["rest"], is_subpoint=True)
                self.item.decisions.append(subpoint)
                self.block.append(subpoint)
                return
            if number.count(".") >= 2 and last is not None:
                last.text += f"\n{number}. {m['rest']}"
                return
            self.new_decision(n, number, m["rest"])
            return
        if (m := SUBPOINT_RE.match(text)) and last is not None:
            last.subpoints.append((m["n"], m["rest"]))
            last.text += f"\n{m['n']}) {m['rest']}"
            return
        if last is None:
            self.new_decision(n, "", text)
            return
        if text.startswith(("-", "–", "—", "•")):
            last.text += "\n- " + text.lstrip("-–—• ").strip()
            return
        if last.text.endswith(":") or getattr(last, "_list", False):
            last._list = True
            last.text += ("" if last.text.endswith(":") else ";") + " " + text.rstrip(";,.")
            return
        if self.block_is_numbered():
            last.text += " " + text  # a wrapped line of the same decision
            return
        self.new_decision(n, "", text)  # unnumbered paragraphs: one decision each

    def block_is_numbered(self) -> bool:
        return any(d.number_as_written for d in self.block)

    def new_decision(self, n, number, text):
        decision = ParsedDecision(n, number, text)
        items = self.p.items
        head = int(number.split(".")[0]) if number else 0
        if number and 1 <= head <= len(items) and items[head - 1] is not self.item:
            if self.global_block and not self.headings_in_block and ("." in number or len(items) > 1):
                # One «РЕШИЛИ» block for all items: «2.1.» is the first decision of item 2, «3.» item 3's.
                self.item = items[head - 1]
            elif "." in number and self.block and all("." in d.number_as_written for d in self.block):
                self.item = items[head - 1]  # «2.1.» after «1.3.» with no heading for item 2
                decision.flags.append(Flag("item", n, _("Decision %(number)s is put under item %(item)s by its number") % {"number": number, "item": head}))
        elif number and self.global_block and "." not in number and head > len(items) and items:
            decision.flags.append(Flag("item", n, _("Decision «%(number)s» of one «РЕШИЛИ» block: no agenda item has "
                                                    "this number, it is put under item %(item)s") % {
                "number": number, "item": self.item.order}))
        self.item.decisions.append(decision)
        self.block.append(decision)

    def vote(self, n, text):
        text_l = text.lower()
        targets = [d for d in self.block if d.vote == "none"] or self.block[-1:]
        if not targets:
            self.p.flag("vote", n, _("A vote with no decision before it"), ERROR)
            return
        if "единогласно" in text_l:
            for d in targets:
                d.vote = "unanimous"
            return
        counts = {}
        for key, pattern in (("for", r"«?за»?"), ("against", r"«?против»?"), ("abstained", r"«?воздержал\w*»?")):
            m = re.search(pattern + r"\s*[-–—:]?\s*(\d+|нет)\b", text_l)
            if m:
                counts[key] = 0 if m.group(1) == "нет" else int(m.group(1))
        if not counts:
            self.p.flag("vote", n, _("The vote is not recognised: «%(text)s»") % {"text": text[:60]})
            return
        for d in targets:
            d.vote = "counted"
            d.votes_for, d.votes_against, d.votes_abstained = counts.get("for", 0), counts.get("against", 0), counts.get(
                "abstained", 0)

    # -------------------------------------------------------- signatures

    def signature_start(self, text) -> bool:
        if not SIGNATURE_ROLE_RE.match(text) or self.section != "decided" and not self.p.items:
            return False
        # A signature block ends with a name alone on its line within a few lines.
        for j in range(self.i, min(self.i + 8, len(self.lines))):
            candidate = self.lines[j][1]
            if SIGNATURE_NAME_RE.match(candidate) or self.trailing_name(candidate):
                return True
        return self.trailing_name(text) is not None

    def trailing_name(self, text):
        m = re.search(rf"(?:\s|_)(?P<name>{INITIALS}\s?{SURNAME}|{SURNAME}\s{INITIALS})$", text)
        return m["name"] if m and SIGNATURE_ROLE_RE.match(text) else None

    def signatures(self):
        """From the current line (its role) to the end: «Председатель …» … «А. Н. Рудометкин»."""
        start = self.i - 1
        role_lines, role_line = [], None
        for j in range(start, len(self.lines)):
            n, text = self.lines[j]
            if SIGNATURE_NAME_RE.match(text) or (name := self.trailing_name(text)):
                name_text = text if SIGNATURE_NAME_RE.match(text) else name
                if name_text != text:
                    role_lines.append(text[: -len(name_text)].strip(" _"))
                    role_line = role_line or n
                person, _rest = parse_person(name_text.replace(". ", "."))
                self.p.signatures.append(Signature(role_line or n, " ".join(role_lines), person, name_text))
                role_lines, role_line = [], None
                continue
            role_lines.append(text.strip(" _"))
            role_line = role_line or n
        self.i = len(self.lines)
        for signature in self.p.signatures:
            role = signature.role.lower()
            if role.startswith("секретар") and not self.p.secretary:
                self.p.secretary, self.p.secretary_text, self.p.secretary_line = (
                    signature.name, signature.name_text, signature.line)
            if role.startswith("председател") and not self.p.chair:
                self.p.chair, self.p.chair_text, self.p.chair_line = signature.name, signature.name_text, signature.line

    # -------------------------------------------------------- the end

    def finish(self):
        p = self.p
        for item in p.items:
            numbers_seen = set()
            for order, decision in enumerate(item.decisions, start=1):
                decision.item, decision.order = item.order, order
                finish_decision(decision)
                written = decision.number_as_written
                if written:
                    if written in numbers_seen:
                        decision.flags.append(Flag("number", decision.line, _("The number «%(number)s» occurs twice in the text: the decision takes the next "
                                                                             "number in order") % {"number": written}))
                    numbers_seen.add(written)
            place, top = 0, None
            for decision in item.decisions:  # a sub-point's place among its decision's sub-points
                place = place + 1 if decision.is_subpoint else 0
                decision.place = place
                if decision.is_subpoint and place == 1 and top is not None:  # the list under «…:» is its sub-points
                    top.flags = [f for f in top.flags if not (f.field == "text" and top.text.endswith(":"))]
                top = top if decision.is_subpoint else decision
            tops = [d for d in item.decisions if not d.is_subpoint]
            for k, decision in enumerate(tops, start=1):
                decision.place = k
        restart = restarts_numbers(p.items)
        p.decision_numbering = "per_item" if restart else ""
        decided = [item for item in p.items if item.decisions]
        if self.global_block and len(p.items) > 1:
            p.protocol_layout = "single_block"
        elif decided and all(item.decision_intro for item in decided):
            p.protocol_layout = "heard"
        elif self.questions and self.solution_word:
            p.protocol_layout = "question"
        for item in p.items:
            shifted = False  # after a repeated number the rest are off by one because of it: said once
            tops = [d for d in item.decisions if not d.is_subpoint]
            parent = None
            for decision in item.decisions:
                if decision.is_subpoint:
                    decision.number = f"{parent.number}.{decision.place}"
                elif restart:
                    decision.number = str(decision.place)
                else:
                    decision.number = str(item.order) if len(tops) == 1 else f"{item.order}.{decision.place}"
                parent = decision if not decision.is_subpoint else parent
                written = decision.number_as_written.rstrip(".")
                expected = {decision.number} if decision.is_subpoint else {decision.number, str(decision.place)}
                shifted = shifted or any(f.field == "number" for f in decision.flags)
                if written and written not in expected and not shifted:
                    decision.flags.append(Flag("number", decision.line,
                                               _("The text numbers it «%(written)s»; the portal numbers it "
                                                 "%(number)s") % {"written": written, "number": decision.number}))
            if not item.decisions:
                p.flag(f"item {item.order}", item.line, _("No decisions found for item %(item)s") % {"item": item.order})


def restarts_numbers(items) -> bool:
    """Whether the text numbers decisions from 1 in every item (the 2017 seed: «1.», «2.» under each
    «Вопрос №»), rather than with the item's number («2.1»): some decision is written with its bare place
    (other than an item's only decision written with the item's number) and none with the item's number in front."""
    bare = hierarchical = 0
    for item in items:
        tops = [d for d in item.decisions if not d.is_subpoint]
        for decision in tops:
            written = decision.number_as_written.rstrip(".")
            if written == f"{item.order}.{decision.place}":
                hierarchical += 1
            elif written == str(decision.place) and not (len(tops) == 1 and written == str(item.order)):
                bare += 1
    return bare > 0 and hierarchical == 0


IN_TEXT_DEADLINE = re.compile(
    r"[,;]?\s*(?:\(\s*)?(?P<kw>в\s+срок\s+(?:до|не\s+позднее)|срок\s*(?:исполнения)?\s*[:–—-]\s*(?:до)?|не\s+позднее|"
    r"в\s+период|до)\s+(?P<v>(?:(?:\d{1,2}[:.]\d{2}\s*(?:\(мск\)\s*)?)?"
    r"(?:\d{1,2}\.\d{1,2}\.\d{2,4}|«?\d{1,2}»?\s+" + MONTH + r"(?:\s+\d{4})?)" + YEAR_SUFFIX + r"(?:\s*(?:по|[-–—])\s*"
    r"(?:\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}\s+" + MONTH + r"\s+\d{4})" + YEAR_SUFFIX + r")?))\s*\)?\s*(?P<end>[.;])?$", re.I)
IN_TEXT_RANGE = re.compile(r"[,;]?\s*(?P<v>с\s+\d{1,2}(?:\s+" + MONTH + r")?\s+по\s+\d{1,2}\s+" + MONTH + r"\s+\d{4}"
                           + YEAR_SUFFIX + r")\s*\.?$", re.I)
VERBS_LIKE_NOUNS = {"учесть", "зачесть", "прочесть"}
NOUNS_LIKE_VERBS = {"путь", "часть", "власть", "сеть", "честь", "треть", "суть", "нить", "мощь", "помощь", "ночь", "дочь"}


def is_infinitive(word: str) -> bool:
    """«разработать», «внести», «обеспечить» — not «область», «деятельности», «сети»."""
    word = word.lower()
    if word in VERBS_LIKE_NOUNS:
        return True
    if word in NOUNS_LIKE_VERBS or len(word) < 4:
        return False
    if word.endswith(("ть", "ться", "чь", "чься")):
        return not word.endswith(("ость", "асть", "есть"))
    if word.endswith(("ти", "тись")):
        return word.endswith(("ести", "зти", "йти", "сти", "ести", "стись")) and not word.endswith(("ости", "асти"))
    return False


TRAILING_WORDS = re.compile(r"\s(?P<v>в\s+установленные\s+сроки|в\s+течение\s+[а-яё0-9 ]{1,30}|постоянно|ежеквартально|"
                            r"ежемесячно|ежегодно|в\s+кратчайшие\s+сроки|незамедлительно)\.?$", re.I)


def _words_outside_quotes(text: str):
    """(word, start, end) of every word not inside «…» or "…"."""
    depth = 0
    for m in re.finditer(r"«|»|\"|[А-Яа-яЁё]+", text):
        token = m.group()
        if token == "«":
            depth += 1
        elif token == "»":
            depth = max(0, depth - 1)
        elif token == '"':
            depth = 0 if depth else 1
        elif depth == 0:
            yield token, m.start(), m.end()


def split_addressee(text: str) -> tuple[str, str]:
    """(addressee, kind word) of «ОГБПОУ СмолАПО разработать …», «Рекомендовать СОГАУ ДПО … проработать …»."""
    words = list(_words_outside_quotes(text))
    if not words:
        return "", ""
    first = words[0][0].lower()
    if first in ADDRESSING_VERBS and text[:words[0][1]].strip() == "":
        begin = words[0][2]
        for word, start, _end in words[1:30]:
            if is_infinitive(word) and word.lower() not in ADDRESSING_VERBS:
                return text[begin:start].strip(" ,"), first
        return "", first
    if is_infinitive(first):
        return "", first
    for word, start, _end in words[:30]:
        if is_infinitive(word):
            return text[:start].strip(" ,"), word.lower()
    return "", first


def finish_decision(d: ParsedDecision) -> None:
    text = d.text.strip()
    # «… в срок до 30 ноября 2017 г.»: the deadline leaves the text (it prints under «Срок:»).
    first_line, _sep, rest = text.partition("\n")
    target = text if not rest else first_line
    for pattern in (IN_TEXT_DEADLINE, IN_TEXT_RANGE):
        m = pattern.search(target)
        if m and d.deadline is None:
            d.deadline = parse_deadline(m["v"], d.line)
            sure = "kw" not in m.groupdict() or not m["kw"].lower().startswith("до")
            if not sure:
                d.flags.append(Flag("deadline", d.line, _("The deadline «%(deadline)s» was found at the end of the text: check that it is "
                                                          "the deadline of the decision") % {"deadline": m["v"]}))
            # a sub-point of a list keeps its «;»
            target = target[:m.start()].rstrip(" ,;") + (";" if m.groupdict().get("end") == ";" else ".")
            text = target + ("\n" + rest if rest else "")
            break
    if d.deadline is None and (m := TRAILING_WORDS.search(first_line)):
        d.deadline = Deadline(words=m["v"], line=d.line, written=m["v"])
    text = normalize_text(text)
    if text and text[-1] not in ".!?;:»)" and "\n" not in text:
        text += "."
    elif text.endswith(":"):
        d.flags.append(Flag("text", d.line, _("The decision ends with a colon: check that no list under it was lost")))
    d.text = text
    head = first_line.lower()
    for pattern, kind in DECISION_KINDS:
        if re.match(pattern, head):
            d.kind = kind
            break
    d.addressee, _verb = split_addressee(first_line)
    if (d.addressee or d.responsible_written) and d.kind == "other":
        d.kind = "assign"
    d.addressee = re.sub(r",?\s*(?:расположенн|находящ|входящ|участвующ|реализующ|осуществляющ)\w*\b.*$", "",
                         d.addressee).strip(" ,")
    if d.kind in ("note",):
        d.addressee = ""
    d.bracket_names = re.findall(rf"\(({INITIALS}\s?{SURNAME}|{SURNAME}\s{INITIALS})\)", first_line)
    if d.deadline and d.deadline.words:
        d.flags.append(Flag("deadline", d.deadline.line, _("The deadline is in words («%(words)s»): no date to control") % {"words": d.deadline.words}))
    if d.kind == "assign" and d.deadline is None:
        d.flags.append(Flag("deadline", d.line, _("An assignment without a deadline")))


def parse_protocol(text: str) -> ParsedProtocol:
    """The whole text of one protocol → ``ParsedProtocol``."""
    return Parser(numbered_lines(text)).parse()
