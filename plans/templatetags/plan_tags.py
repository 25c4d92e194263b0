"""How the plan page cites a decision: «Утверждён решением 1.3 протокола № 2 от 30 марта 2023 г.», and
without «№» for a protocol that has no number (``meetings.models.cite_protocol``, the one rule)."""

from django import template
from django.utils.translation import gettext

from core import ru
from meetings.models import cite_protocol

register = template.Library()


@register.filter
def approval_citation(decision) -> str:
    """The plan's approval line: «Утверждён решением 1 протокола от 20 ноября 2017 г.»."""
    meeting = decision.agenda_item.meeting
    return cite_protocol(
        meeting.number,
        gettext("Approved by decision %(number)s of minutes No. %(meeting_number)s of %(date)s"),
        gettext("Approved by decision %(number)s of minutes of %(date)s"),
        number=decision.number, date=ru.ui_date(meeting.date),
    )


@register.filter
def decision_citation(decision) -> str:
    """An item's link to a decision: «решение 1.4 протокола № 2 от 30 марта 2023 г.»."""
    meeting = decision.agenda_item.meeting
    return cite_protocol(
        meeting.number,
        gettext("decision %(number)s of minutes No. %(meeting_number)s of %(date)s"),
        gettext("decision %(number)s of minutes of %(date)s"),
        number=decision.number, date=ru.ui_date(meeting.date),
    )
