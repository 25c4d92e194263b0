"""An assignment as a table row, rendered in Python: the task list prints 50 of them, and through
``tasks/_assignment_row.html`` (with its two nested includes) they were most of the page's CPU.

``assignment_row`` returns exactly what the template renders (``tasks/tests/test_rows.py`` compares
the two for every status and deadline state); change them together.
"""

from __future__ import annotations

import datetime
import functools
import hashlib

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext

from core import ru
from core.links import id_url_parts
from meetings.models import (END_OF_DAY, OPEN_ASSIGNMENT_STATUSES, AssignmentStatus, DeadlineFormat, DecisionNumbering,
                             ProtocolLayout, agenda_number, decision_numbers, protocol_short_label)
from members.access import visible_cluster_list

STATUS_BADGE = {
    "accepted": "text-bg-success",
    "reported": "text-bg-info",
    "in_progress": "text-bg-primary",
    "returned": "text-bg-warning",
    "cancelled": "text-bg-light border",
}


def _truncated(text: str, length: int = 160) -> str:
    """``|truncatechars:160``; texts that fit skip the Truncator's per-character walk, and a long one is
    walked once per process and language (the same decisions come back on every page)."""
    return text if len(text) < length else _truncated_long(text, length, get_language())


@functools.lru_cache(maxsize=4096)
def _truncated_long(text: str, length: int, language: str) -> str:
    return Truncator(text).chars(length)


def detail_url(pk: int) -> str:
    """``reverse("tasks:task-detail", args=[pk])`` without resolving the pattern for every row."""
    before, after = id_url_parts("tasks:task-detail")
    return f"{before}{int(pk)}{after}"


def days_left_html(days: int | None, overdue: bool) -> SafeString:
    """``tasks/_days_left.html``."""
    if days is None:
        return mark_safe("")
    if days < 0:
        n = abs(days)
        text = ngettext("overdue by %(n)s day", "overdue by %(n)s days", n) % {"n": localize(n)}
        return format_html('<span class="text-danger fw-semibold">{}</span>', text)
    if days == 0:
        if overdue:
            return format_html('<span class="text-danger fw-semibold">{}</span>', gettext("the deadline passed today"))
        return format_html('<span class="text-danger">{}</span>', gettext("due today"))
    css = "text-warning-emphasis fw-semibold" if days <= 7 else "text-muted"
    text = ngettext("%(n)s day left", "%(n)s days left", days) % {"n": localize(days)}
    return format_html('<span class="{}">{}</span>', css, text)


def status_badge_html(assignment) -> SafeString:
    """``tasks/_status_badge.html``."""
    overdue = format_html('<span class="badge text-bg-danger">{}</span>', gettext("overdue")) if assignment.is_overdue else ""
    css = STATUS_BADGE.get(assignment.status, "text-bg-secondary")
    return format_html('{}\n<span class="badge {}">{}</span>', overdue, css, status_label(assignment.status))


def status_label(status: str, choices=AssignmentStatus) -> str:
    """``get_status_display()`` of an assignment, or of a field with other ``choices`` (``ru.choice_label``)."""
    return ru.choice_label(choices, status)


def assignment_row(assignment, *, with_party: bool = False, with_status: bool = False) -> SafeString:
    """``tasks/_assignment_row.html`` for one assignment loaded by ``selectors.with_assignment_context``
    (``with_status`` needs ``assignment.days_left``, as the list sets it)."""
    a = assignment
    overdue = a.is_overdue
    decision = a.decision
    parts = [
        '<tr class="table-danger">' if overdue else "<tr>",
        format_html('\n  <td><a class="fw-semibold" href="{}">{} — {}</a>\n    <div class="small text-muted">{}</div></td>',
                    detail_url(a.pk), decision.citation, decision.agenda_item.meeting.short_label,
                    _truncated(decision.text)),
        "\n  ",
    ]
    if with_party:
        parts.append(format_html("<td>{}</td>", a.party))
    parts.append(format_html('\n  <td class="text-nowrap">{}', a.deadline_display or "—"))
    if with_status:
        parts.append(format_html("<br><small>{}</small>", days_left_html(a.days_left, overdue)))
    elif overdue:
        parts.append(format_html('<br><span class="badge text-bg-danger">{}</span>', gettext("overdue")))
    parts.append("</td>\n  ")
    if with_status:
        parts.append(format_html("<td>{}</td>", status_badge_html(a)))
    parts.append("\n</tr>")
    return mark_safe("".join(str(p) for p in parts))


# --- The task list's rows from tuples (``PreparedQuery.rows()``): no model instances -----------------
#
# ``ROW_COLUMNS`` are exactly the columns a row prints (``tasks.selectors.AssignmentListPages`` reads
# them with ``values_list``); ``list_rows_html`` renders them as ``assignment_row(with_party=True,
# with_status=True)`` renders the loaded assignment (``tasks/tests/test_rows.py`` compares the two).

# What a decision's citation needs, read from the decision (``DECISION_COLUMNS``); an assignment row reads
# the same through its ``decision`` (the tail of ``ROW_COLUMNS``), so both kinds of row share the indices below.
_M = "agenda_item__meeting__"
DECISION_COLUMNS = (
    "id", "text", "deadline", "deadline_time", "deadline_start", "deadline_text", "deadline_format", "parent_id",
    "agenda_item_id", "agenda_item__order",
    _M + "id", _M + "number", _M + "date", _M + "protocol_layout", _M + "decision_numbering", _M + "date_form",
    _M + "body__protocol_layout", _M + "body__decision_numbering", _M + "body__date_form", _M + "body__agenda_numbering",
    "order",
)
ROW_COLUMNS = (
    "id", "status", "deadline", "deadline_time", "deadline_start",
    "organization_id", "organization__short_name", "organization__full_name",
    "person_id", "person__last_name", "person__first_name", "person__patronymic",
    "body_id", "body__name",
    *("decision_id" if column == "id" else f"decision__{column}" for column in DECISION_COLUMNS),
)
(A_ID, A_STATUS, A_DEADLINE, A_TIME, A_START, ORG_ID, ORG_SHORT, ORG_FULL, PERSON_ID, P_LAST, P_FIRST, P_PATRONYMIC,
 BODY_ID, BODY_NAME, D_ID, D_TEXT, D_DEADLINE, D_TIME, D_START, D_TEXT_DEADLINE, D_FORMAT, D_PARENT,
 ITEM_ID, ITEM_ORDER, M_ID, M_NUMBER, M_DATE, M_LAYOUT, M_NUMBERING, M_DATE_FORM, B_LAYOUT, B_NUMBERING, B_DATE_FORM,
 B_AGENDA_NUMBERING, D_ORDER) = range(len(ROW_COLUMNS))


_NO_ASSIGNMENT = (None,) * D_ID


def decision_row(row) -> tuple:
    """A row of ``DECISION_COLUMNS`` (and whatever follows them) at the indices of ``ROW_COLUMNS``, for the
    functions below that number and cite decisions (``decision_numbers_of_rows``, ``citation_of``)."""
    return _NO_ASSIGNMENT + tuple(row)


def row_id(row) -> int:
    return row[A_ID]


def meeting_layout(row) -> str:
    """``Meeting.layout`` of a row's protocol."""
    return row[M_LAYOUT] or row[B_LAYOUT]


class _Decision:
    __slots__ = ("pk", "parent_id")

    def __init__(self, pk, parent_id):
        self.pk, self.parent_id = pk, parent_id


class _Decisions(list):
    def all(self):
        return self


class _Item:
    """What ``meetings.models.decision_numbers`` reads of an agenda item: its number and its decisions."""

    __slots__ = ("number", "decisions")

    def __init__(self, number, decisions):
        self.number, self.decisions = number, decisions


class _Meeting:
    __slots__ = ("layout", "numbering")

    def __init__(self, layout, numbering):
        self.layout, self.numbering = layout, numbering


def _agenda_number(row) -> str:
    """``Meeting.agenda_number(item.order)``."""
    return agenda_number(row[B_AGENDA_NUMBERING], row[ITEM_ORDER])


def decision_numbers_of_rows(rows, siblings: dict, block_tops: dict) -> dict[int, str]:
    """``Decision.number`` of every row's decision, by decision id, from the rows, the decisions of their
    agenda items (``siblings``: item id -> [(id, parent_id)] in order) and the top-level decisions of their
    one-block protocols (``block_tops``: meeting id -> [id], ``meetings.models._block_tops``)."""
    result: dict[int, str] = {}
    numbers_of_item: dict[int, dict] = {}
    for row in rows:
        pk = row[D_ID]
        if pk in result:
            continue
        layout = meeting_layout(row)
        decisions = siblings.get(row[ITEM_ID], [])
        if layout != ProtocolLayout.SINGLE_BLOCK:  # ``Decision.number``
            numbers = numbers_of_item.get(row[ITEM_ID])
            if numbers is None:
                item = _Item(_agenda_number(row), _Decisions(_Decision(d, parent) for d, parent in decisions))
                numbering = row[M_NUMBERING] or row[B_NUMBERING]
                numbers = numbers_of_item[row[ITEM_ID]] = decision_numbers(_Meeting(layout, numbering), [item])
            number = numbers.get(pk, (f"{_agenda_number(row)}.{row[D_ORDER]}", False))[0]
        else:
            tops = block_tops.get(row[M_ID], [])
            parent = row[D_PARENT]
            top = parent or pk
            number = str(tops.index(top) + 1) if top in tops else "?"
            if parent is not None:
                subs = [d for d, p in decisions if p == parent]
                number = f"{number}.{subs.index(pk) + 1}" if pk in subs else number
        result[pk] = number
    return result


def citation_of(row, number: str) -> str:
    """``Decision.citation`` of a row's decision whose ``number`` is known."""
    numbering = row[M_NUMBERING] or row[B_NUMBERING]
    if numbering == DecisionNumbering.PER_ITEM and meeting_layout(row) != ProtocolLayout.SINGLE_BLOCK:
        return gettext("item %(item)s, point %(number)s") % {"item": _agenda_number(row), "number": number}
    return number


def party_name(row) -> str:
    """``str(assignment.party)``: the organisation, else the person, else the body."""
    if row[ORG_ID] is not None:
        return row[ORG_SHORT] or row[ORG_FULL]
    if row[PERSON_ID] is not None:
        initials = "".join(f"{part[0]}." for part in (row[P_FIRST], row[P_PATRONYMIC]) if part)
        return f"{row[P_LAST]} {initials}".strip()
    if row[BODY_ID] is not None:
        return row[BODY_NAME]
    return "None"


def _deadline_display(row, english: bool) -> str:
    """``Assignment.deadline_display`` with its decision, meeting and body loaded."""
    date, time, start = row[A_DEADLINE], row[A_TIME], row[A_START]
    if (date, time, start) == (row[D_DEADLINE], row[D_TIME], row[D_START]) and (row[D_TEXT_DEADLINE] or not english):
        if row[D_TEXT_DEADLINE]:
            return row[D_TEXT_DEADLINE]
        return ru.format_deadline(date=date, time=time, start=start, numeric=row[D_FORMAT] == DeadlineFormat.NUMERIC,
                                  suffix=ru.date_suffix(row[M_DATE_FORM] or row[B_DATE_FORM]))
    return ru.ui_deadline(date=date, time=time, start=start)


@functools.lru_cache(maxsize=4096)
def _days_left_cached(days: int | None, overdue: bool, language: str) -> str:
    return str(days_left_html(days, overdue))


@functools.lru_cache(maxsize=64)
def _status_cell(status: str, overdue: bool, language: str) -> str:
    """``<td>`` of ``tasks/_status_badge.html``, per status, overdue flag and language."""
    badge = format_html('<span class="badge text-bg-danger">{}</span>', gettext("overdue")) if overdue else ""
    css = STATUS_BADGE.get(status, "text-bg-secondary")
    return str(format_html('<td>{}\n<span class="badge {}">{}</span></td>', badge, css, status_label(status)))


TR_OVERDUE = '<tr class="table-danger">'


def _rows_with_first_cell(rows, citations: dict[int, str], now):
    """Per ``ROW_COLUMNS`` tuple: (row, overdue, days left, the decision's ``<td>`` as the row template prints
    it); what is the same for every row (the clock, the language, the URL prefix, a protocol's label) once."""
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    today = timezone.localtime(now).date()
    open_statuses = set(OPEN_ASSIGNMENT_STATUSES)
    before, after = id_url_parts("tasks:task-detail")
    labels: dict = {}  # a protocol's «протокол № 2 от 30.03.2023», once per meeting
    for row in rows:
        deadline, is_open = row[A_DEADLINE], row[A_STATUS] in open_statuses
        overdue = bool(is_open and deadline is not None
                       and timezone.make_aware(datetime.datetime.combine(deadline, row[A_TIME] or END_OF_DAY), zone) < now)
        days = (deadline - today).days if deadline is not None and is_open else None
        label = labels.get(row[M_ID])
        if label is None:
            label = labels[row[M_ID]] = escape(protocol_short_label(row[M_NUMBER], row[M_DATE]))
        yield row, overdue, days, (
            f'<td><a class="fw-semibold" href="{before}{int(row[A_ID])}{after}">'
            f'{escape(citations[row[D_ID]])} — {label}</a>\n    <div class="small text-muted">{escape(_truncated(row[D_TEXT]))}</div></td>'
        )


def list_rows_html(rows, citations: dict[int, str], now=None) -> SafeString:
    """The task list's rows (``ROW_COLUMNS`` tuples) as ``assignment_row(a, with_party=True, with_status=True)``
    prints them; ``citations`` from ``tasks.selectors.list_row_citations``."""
    language = get_language()
    english = ru.english_ui()
    out = []
    for row, overdue, days, first in _rows_with_first_cell(rows, citations, now):
        out.append(
            f'{TR_OVERDUE if overdue else "<tr>"}\n  {first}\n  '
            f'<td>{escape(party_name(row))}</td>\n  <td class="text-nowrap">{escape(_deadline_display(row, english) or "—")}'
            f'<br><small>{_days_left_cached(days, overdue, language)}</small></td>\n  {_status_cell(row[A_STATUS], overdue, language)}\n</tr>'
        )
    return mark_safe("\n".join(out))


def party_rows_html(rows, citations: dict[int, str], now=None) -> list[SafeString]:
    """Rows (``ROW_COLUMNS`` tuples) as ``assignment_row(a, with_party=True)`` prints them, one string a row
    (the dashboard's lists): the party, the deadline and, when overdue, its badge in the deadline's cell."""
    english = ru.english_ui()
    badge = f'<br><span class="badge text-bg-danger">{escape(gettext("overdue"))}</span>'
    return [
        mark_safe(f'{TR_OVERDUE if overdue else "<tr>"}\n  {first}\n  <td>{escape(party_name(row))}</td>\n  '
                  f'<td class="text-nowrap">{escape(_deadline_display(row, english) or "—")}{badge if overdue else ""}'
                  '</td>\n  \n</tr>')
        for row, overdue, _days, first in _rows_with_first_cell(rows, citations, now)
    ]


def opening_filter_html(user, build) -> tuple[SafeString, object | None]:
    """The filter's controls as the list opens (no filter value), from the ``local`` cache: the same for every
    request of one language and set of visible clusters (their ids and names, the one choice list that
    comes from the data), so they are rendered once per process, not per request (2–3 ms: the
    FilterSet's fields and form built, ten controls). ``build()`` makes the filter set on a miss, and the
    set is returned with the HTML then (None on a hit)."""
    clusters = tuple((c.pk, str(c)) for c in visible_cluster_list(user))
    key = "task-filter:" + hashlib.sha256(repr((get_language(), clusters)).encode()).hexdigest()
    cache = caches["local"]
    html = cache.get(key)
    if html is not None:
        return mark_safe(html), None
    filterset = build()
    html = render_to_string("tasks/_assignment_filter_fields.html", {"filter": filterset})
    cache.set(key, html, 3600)
    return mark_safe(html), filterset
