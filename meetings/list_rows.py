"""The protocol list's rows (``/meetings/``) printed in Python from tuples.

``rows_html`` returns exactly what ``meetings/includes/meeting_rows.html`` renders for the same
meetings as model instances (``meetings/tests/test_list_rows.py`` compares them byte for byte);
change them together. The page prints 25 rows on every request: model instances with their body
and cluster, a ``{% url %}`` and a badge ``{% include %}`` a row were a third of its CPU.
"""

from __future__ import annotations

import functools
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from core import ru
from core.links import id_url_parts
from meetings.models import MEETING_KIND_GENITIVE, MeetingKind, MeetingStatus

# What a row prints, in the order ``rows_html`` unpacks (a ``values_list`` of ``Meeting``).
COLUMNS = ("id", "date", "number", "title", "kind", "status", "body__name", "cluster__short_name", "cluster__name")

_BADGE = {MeetingStatus.DRAFT: "text-bg-secondary", MeetingStatus.ON_APPROVAL: "text-bg-warning"}


@functools.lru_cache(maxsize=4096)
def _truncated_words(text: str) -> str:
    """``|truncatewords:16`` (which also joins the words with single spaces)."""
    return Truncator(text).words(16, truncate=" …")


def list_title(title: str, kind: str, english: bool) -> str:
    """``Meeting.list_title`` from its columns."""
    if title:
        return title
    return ru.choice_label(MeetingKind, kind) if english else MEETING_KIND_GENITIVE.get(kind, "заседания")


def rows_html(rows) -> SafeString:
    """The ``<tr>``s of ``COLUMNS`` tuples, as ``meetings/includes/meeting_rows.html`` prints them."""
    english = ru.english_ui()
    before, after = id_url_parts("meetings:meeting-detail")
    labels: dict = {}
    out = []
    for pk, day, number, title, kind, status, body, cluster_short, cluster_name in rows:
        label = labels.get(status)
        if label is None:
            label = labels[status] = escape(ru.choice_label(MeetingStatus, status))
        shown = list_title(title, kind, english)
        subtitle = f'<div class="small text-muted">{escape(_truncated_words(shown))}</div>' if shown else ""
        out.append(
            f'\n      <tr>\n        <td class="text-nowrap">{escape(ru.ui_date(day))}</td>\n'
            f'        <td>{escape(number or "—")}</td>\n'
            f'        <td><a href="{before}{int(pk)}{after}">{escape(body)}</a>\n'
            f'          {subtitle}</td>\n'
            f'        <td class="small text-muted">{escape(cluster_short or cluster_name)}</td>\n'
            f'        <td><span class="badge status-{escape(status)} {_BADGE.get(status, "text-bg-success")}">{label}</span>\n</td>\n'
            f'      </tr>\n    '
        )
    return mark_safe("".join(out))
