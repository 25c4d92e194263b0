"""Russian official-document formatting: dates and deadlines as protocols print them."""

import datetime
import re

from django.utils import translation

ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
         "XVI", "XVII", "XVIII", "XIX", "XX"]


MONTHS_GENITIVE = ["", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                   "октября", "ноября", "декабря"]


# How a protocol ends a date in words (``members.DateForm``): «12 мая 2023 г.» or «12 мая 2023 года».
DATE_SHORT, DATE_FULL = "short", "full"
DATE_SUFFIXES = {DATE_SHORT: " г.", DATE_FULL: " года"}


def date_suffix(form: str) -> str:
    """The ending of a date in words in ``form`` (``DATE_SHORT`` when empty or unknown)."""
    return DATE_SUFFIXES.get(form, DATE_SUFFIXES[DATE_SHORT])


def ru_date(day: datetime.date | None, suffix: str = " г.") -> str:
    """«30 марта 2023 г.» (the month in the genitive, as ГОСТ Р 7.0.97 prints dates). Written out
    directly: it is on every list row, and Django's date format with a language override costs ~10 µs."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS_GENITIVE[day.month]} {day.year}{suffix}"


EN_MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]


def english_ui() -> bool:
    """Whether the page is in the English UI (documents stay Russian whatever the UI is)."""
    return not (translation.get_language() or "ru").startswith("ru")


def choice_label(choices, value: str) -> str:
    """``get_FOO_display()`` of a ``TextChoices`` value in the UI's language, the value itself when it is not
    a choice, without Django's per-call dict of the choices (hashing every lazy label: 0.2 ms a row)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def ui_date(day: datetime.date | None) -> str:
    """A date as the UI shows it: «30 марта 2023 г.», or «30 March 2023» in English."""
    if day and english_ui():
        return f"{day.day} {EN_MONTHS[day.month]} {day.year}"
    return ru_date(day)


def ui_deadline(*, date: datetime.date | None, time: datetime.time | None = None,
                start: datetime.date | None = None) -> str:
    """A deadline as lists show it: as a protocol writes it (``format_deadline``), or in English
    («by 12 May 2023», «by 12:00 (MSK) 13 November 2023», «19 December 2023 – 20 December 2023»)."""
    if not english_ui():
        return format_deadline(date=date, time=time, start=start)
    if date is None:
        return ""
    if start and start != date:
        return f"{ui_date(start)} – {ui_date(date)}"
    if time:
        return f"by {time.strftime('%H:%M')} (MSK) {ui_date(date)}"
    return f"by {ui_date(date)}"


def ru_date_numeric(day: datetime.date | None) -> str:
    """«30.03.2023»."""
    return day.strftime("%d.%m.%Y") if day else ""


def roman(number: int) -> str:
    return ROMAN[number] if 0 < number < len(ROMAN) else str(number)


def format_deadline(
    *, date: datetime.date | None, time: datetime.time | None = None, start: datetime.date | None = None,
    numeric: bool = False, suffix: str = " г.",
) -> str:
    """A deadline as a protocol writes it.

    «до 30 ноября 2017 г.»; «до 12:00 (мск) 13 ноября 2023 г.»; «с 19 по 20 декабря 2023 г.»; with
    ``numeric`` «до 30.11.2017», «до 12:00 (мск) 13.11.2023», «с 19.12.2023 по 20.12.2023»; with
    ``suffix`` « года» «до 12 мая 2023 года» (the protocol's date form, ``date_suffix``).
    """
    if date is None:
        return ""
    if numeric:
        if start and start != date:
            return f"с {ru_date_numeric(start)} по {ru_date_numeric(date)}"
        if time:
            return f"до {time.strftime('%H:%M')} (мск) {ru_date_numeric(date)}"
        return f"до {ru_date_numeric(date)}"
    if start and start != date:
        if start.year == date.year and start.month == date.month:
            first = str(start.day)
        elif start.year == date.year:
            first = f"{start.day} {MONTHS_GENITIVE[start.month]}"
        else:
            first = ru_date(start, suffix)
        return f"с {first} по {ru_date(date, suffix)}"
    if time:
        return f"до {time.strftime('%H:%M')} (мск) {ru_date(date, suffix)}"
    return f"до {ru_date(date, suffix)}"


# ---------------------------------------------------------------- deadlines as typed

NUMERIC, WORDS = "numeric", "words"
_ISO = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d.])")
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])")
_WORDS = re.compile(r"(?<![\d.])(\d{1,2})\s+(" + "|".join(MONTHS_GENITIVE[1:]) + r")\s+(\d{4})(?!\d)", re.IGNORECASE)
ISO_ONLY = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}\s*$")


class NoSuchDate(ValueError):
    """A typed date that the calendar does not have («31.02.2023»); ``fragment`` is the text as typed."""

    def __init__(self, fragment: str):
        super().__init__(fragment)
        self.fragment = fragment


def dates_in(text: str) -> tuple[list[datetime.date], str]:
    """The dates a typed deadline names, in the order they appear, and how the first is written
    (``NUMERIC`` «28.05.2021» or ``WORDS`` «28 мая 2021 г.»; an ISO date «2021-05-28» counts as words,
    the protocol's usual form). No date («в установленные сроки», «постоянно», «ежеквартально до 5
    числа»): ``([], "")``. A date the calendar does not have raises ``NoSuchDate``."""
    found = []  # (position, date, form)
    for pattern, form in ((_ISO, WORDS), (_NUMERIC, NUMERIC), (_WORDS, WORDS)):
        for match in pattern.finditer(text or ""):
            if pattern is _ISO:
                year, month, day = (int(g) for g in match.groups())
            elif pattern is _NUMERIC:
                day, month, year = (int(g) for g in match.groups())
            else:
                day, year = int(match.group(1)), int(match.group(3))
                month = MONTHS_GENITIVE.index(match.group(2).lower())
            try:
                found.append((match.start(), datetime.date(year, month, day), form))
            except ValueError:
                raise NoSuchDate(match.group(0)) from None
    found.sort(key=lambda entry: entry[0])
    return [day for _, day, _ in found], (found[0][2] if found else "")
