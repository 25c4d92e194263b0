"""The task list renders its rows in Python (``tasks.rows``): the same HTML as the row template
that the dashboard and the register pages include, for every status and deadline state."""

import datetime
import re

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import translation

from meetings.models import Assignment, AssignmentStatus, signed_protocol_unlocked
from tasks import selectors
from tasks.rows import assignment_row

NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)


def normalised(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).replace("> <", "><").strip()


def _with_text(decision):
    decision.text = "Очень длинный текст решения с <тегом> & амперсандом. " * 10
    return decision


@pytest.fixture
def every_state(make_assignments):
    """Overdue by days, due today, past its time today, days left (soon and far), none, every status, long text."""
    deadlines = [datetime.date(2026, 11, 1), datetime.date(2026, 11, 20), datetime.date(2026, 11, 20),
                 datetime.date(2026, 11, 21), datetime.date(2026, 11, 25), datetime.date(2027, 6, 1), None]
    made = [make_assignments(1, deadline=d)[0] for d in deadlines]
    Assignment.objects.filter(pk=made[2].pk).update(deadline_time=datetime.time(9, 0))
    made += [make_assignments(1, status=status)[0] for status in AssignmentStatus.values]
    with signed_protocol_unlocked():  # the fixture's decisions are in the signed demo protocol
        _with_text(made[0].decision).save(update_fields=["text"])
    return [a.pk for a in made]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("with_party, with_status", [(True, True), (True, False), (False, False)])
def test_python_row_is_the_template_row(demo, every_state, with_party, with_status):
    today = datetime.date(2026, 11, 20)
    with translation.override("ru"):
        for assignment in selectors.with_assignment_context(Assignment.objects.filter(pk__in=every_state)):
            assignment.days_left = selectors.days_left(assignment, today)
            template = render_to_string("tasks/_assignment_row.html",
                                        {"a": assignment, "with_party": with_party, "with_status": with_status})
            assert normalised(assignment_row(assignment, with_party=with_party, with_status=with_status)) == \
                normalised(template), assignment.pk
