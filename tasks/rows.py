"""An assignment as a table row, rendered in Python: the task list prints 50 of them, and through
``tasks/_assignment_row.html`` (with its two nested includes) they were most of the page's CPU.

``assignment_row`` returns exactly what the template renders (``tasks/tests/test_rows.py`` compares
the two for every status and deadline state); change them together.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext

from meetings.models import AssignmentStatus

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


@functools.lru_cache(maxsize=64)
def _detail_url_parts(script_prefix: str, urlconf) -> tuple[str, str]:
    """``reverse("tasks:task-detail")`` split around the id, per script prefix and URLconf."""
    url = reverse("tasks:task-detail", args=[_ID_MARK], urlconf=urlconf)
    before, after = url.split(str(_ID_MARK))
    return before, after


_ID_MARK = 987_654_321_123


def detail_url(pk: int) -> str:
    """``reverse("tasks:task-detail", args=[pk])`` without resolving the pattern for every row."""
    before, after = _detail_url_parts(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
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


def status_label(status: str) -> str:
    """``get_status_display()`` without Django's per-call dict of the choices (hashing every lazy
    label: 0.2 ms a row, a fifth of the task list's CPU)."""
    try:
        return str(AssignmentStatus(status).label)
    except ValueError:
        return status


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
