"""Overdue has one definition (``meetings.models.overdue_q`` / ``Assignment.is_overdue``): open and
past the deadline, with the deadline's time of day when one is set. Every page that says «просрочено»
follows it: the property, the queryset, the list filter, the urgency order and the discipline report."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meetings.models import Assignment

MSK = ZoneInfo("Europe/Moscow")


def at(*moment):
    return time_machine.travel(datetime.datetime(*moment, tzinfo=MSK), tick=False)


@pytest.fixture
def noon_deadline(make_assignments, member_assignment):
    """«до 12:00 (мск) 13 ноября 2023 г.», addressed to the demo member's organisation."""
    assignment, = make_assignments(1, organization=member_assignment.organization, deadline=datetime.date(2023, 11, 13))
    Assignment.objects.filter(pk=assignment.pk).update(deadline_time=datetime.time(12, 0))
    return Assignment.objects.get(pk=assignment.pk)


def listed(client, query):
    return {a.pk for a in client.get(f"/tasks/?{query}").context["page"]}


@pytest.mark.parametrize("minute, overdue", [((11, 59), False), ((12, 1), True)])
def test_a_deadline_with_a_time_is_overdue_once_the_time_has_passed(client_as, noon_deadline, minute, overdue):
    client = client_as("member")
    with at(2023, 11, 13, *minute):
        assert noon_deadline.is_overdue is overdue
        assert Assignment.objects.overdue().filter(pk=noon_deadline.pk).exists() is overdue
        assert (noon_deadline.pk in listed(client, "state=overdue")) is overdue
        assert (noon_deadline.pk in listed(client, "state=open")) is not overdue
        assert (noon_deadline.pk in listed(client, "state=week")) is not overdue


@pytest.mark.parametrize("minute, overdue", [((11, 59), False), ((12, 1), True)])
def test_once_the_time_has_passed_the_list_sorts_and_marks_it_as_overdue(client_as, make_assignments,
                                                                         member_assignment, minute, overdue):
    # The same day without a time (due at its end), made first: it leads while neither is overdue.
    end_of_day, noon = make_assignments(2, organization=member_assignment.organization, deadline=datetime.date(2023, 11, 13))
    Assignment.objects.filter(pk=noon.pk).update(deadline_time=datetime.time(12, 0))
    with at(2023, 11, 13, *minute):
        html = client_as("member").get("/tasks/").content.decode()
    # The list as it opens renders tuples: read the order and the red rows from the page itself.
    rows = re.findall(r'<tr( class="table-danger")?>\s*<td><a class="fw-semibold" href="/tasks/(\d+)/"', html)
    order = [int(pk) for _, pk in rows]
    marked = {int(pk) for danger, pk in rows if danger}
    assert (order.index(noon.pk) < order.index(end_of_day.pk)) is overdue
    assert (noon.pk in marked) is overdue and end_of_day.pk not in marked


@pytest.mark.parametrize("moment, overdue", [((2023, 11, 13, 23, 59), False), ((2023, 11, 14, 0, 1), True)])
def test_a_deadline_without_a_time_passes_at_the_end_of_its_day(noon_deadline, moment, overdue):
    Assignment.objects.filter(pk=noon_deadline.pk).update(deadline_time=None)
    assignment = Assignment.objects.get(pk=noon_deadline.pk)
    with at(*moment):
        assert assignment.is_overdue is overdue
        assert Assignment.objects.overdue().filter(pk=assignment.pk).exists() is overdue


@pytest.mark.parametrize("minute, overdue", [((11, 59), 0), ((12, 1), 1)])
def test_the_discipline_report_counts_it_overdue_after_the_time(client_as, noon_deadline, minute, overdue):
    with at(2023, 11, 13, *minute):
        report = client_as("secretary").get("/tasks/report/?date_from=2023-11-13&date_to=2023-11-13").context["report"]
    row, = [r for r in report.rows if r.organization_id == noon_deadline.organization_id]
    assert (row.assigned, row.overdue, row.open) == (1, overdue, 1 - overdue)


def test_a_closed_assignment_is_never_overdue(noon_deadline):
    Assignment.objects.filter(pk=noon_deadline.pk).update(status="accepted")
    with at(2024, 1, 1, 12, 0):
        assert not Assignment.objects.get(pk=noon_deadline.pk).is_overdue
        assert not Assignment.objects.overdue().filter(pk=noon_deadline.pk).exists()


def test_on_the_deadline_day_the_list_says_the_time_has_passed(client_as, noon_deadline):
    with at(2023, 11, 13, 12, 1):
        html = client_as("member").get("/tasks/").content.decode()
    assert "срок истёк сегодня" in html
