import datetime
import io
import zoneinfo

import pytest
import time_machine
from openpyxl import load_workbook

from meetings.models import AssignmentStatus
from members.models import ClusterRole, PortalRole
from tasks import services

UTC = datetime.UTC


def at(day, hour=10):
    return time_machine.travel(datetime.datetime(*day, hour, 0, tzinfo=UTC), tick=False)


def deliver(assignment, users, submitted, accepted):
    with at(submitted):
        services.assignment_report_submit(assignment=assignment, author=users["member"], text="Исполнено")
    with at(accepted):
        services.assignment_report_accept(assignment=assignment, reviewer=users["secretary"])


def row_for(response, organization):
    return next(r for r in response.context["report"].rows if r.organization_id == organization.pk)


def test_discipline_figures_per_organisation(client_as, users, make_assignments, member_assignment):
    org = member_assignment.organization
    on_time, late, overdue, running = make_assignments(4, organization=org, deadline=datetime.date(2026, 11, 10))
    running.deadline = datetime.date(2026, 12, 31)
    running.save()
    deliver(on_time, users, submitted=(2026, 11, 10), accepted=(2026, 11, 15))  # reviewed late: still on time
    deliver(late, users, submitted=(2026, 11, 11), accepted=(2026, 11, 11))
    with at((2026, 11, 22)):
        row = row_for(client_as("secretary").get("/tasks/report/?date_from=2026-11-01&date_to=2026-12-31"), org)
    assert (row.assigned, row.on_time, row.late, row.overdue, row.open) == (4, 1, 1, 1, 1)
    assert row.on_time_percent == "33 %"


def test_the_demo_assignment_is_overdue_in_its_period(client_as, member_assignment):
    with at((2026, 11, 22)):
        row = row_for(client_as("secretary").get("/tasks/report/?date_from=2023-01-01&date_to=2023-12-31"), member_assignment.organization)
    assert (row.assigned, row.overdue, row.on_time_percent) == (1, 1, "0 %")


def test_before_the_deadline_the_assignment_is_open_not_overdue(client_as, member_assignment):
    with at((2023, 5, 1)):
        row = row_for(client_as("secretary").get("/tasks/report/?date_from=2023-01-01&date_to=2023-12-31"), member_assignment.organization)
    assert (row.open, row.overdue, row.on_time_percent) == (1, 0, "—")


def test_cancelled_assignments_do_not_count(client_as, make_assignments, member_assignment):
    make_assignments(2, organization=member_assignment.organization, deadline=datetime.date(2030, 1, 1), status=AssignmentStatus.CANCELLED)
    response = client_as("secretary").get("/tasks/report/?date_from=2030-01-01&date_to=2030-12-31")
    assert response.context["report"].rows == []


def test_report_has_a_chart_and_drill_down_links(client_as, member_assignment):
    with at((2026, 11, 22)):  # the drill-down link is there only while the assignment is overdue
        text = client_as("secretary").get("/tasks/report/?date_from=2023-01-01&date_to=2023-12-31").content.decode()
    assert '<svg class="discipline-chart"' in text
    assert f"organization={member_assignment.organization_id}&amp;deadline_after=2023-01-01&amp;deadline_before=2023-12-31&amp;state=overdue" in text


def test_drill_down_lists_exactly_the_counted_assignments(client_as, member_assignment):
    url = f"/tasks/?scope=all&organization={member_assignment.organization_id}&deadline_after=2023-01-01&deadline_before=2023-12-31&state=overdue"
    with at((2026, 11, 22)):
        assert [a.pk for a in client_as("secretary").get(url).context["page"]] == [member_assignment.pk]


def test_xlsx_export_has_the_same_figures(client_as, member_assignment):
    with at((2026, 11, 22)):  # the overdue column counts against today
        response = client_as("secretary").get("/tasks/report/?date_from=2023-01-01&date_to=2023-12-31&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert rows["СКТ (филиал) СПбГУТ"][1:6] == (1, 0, 0, 1, 0)


def test_bad_period_shows_a_message(client_as):
    response = client_as("secretary").get("/tasks/report/?date_from=2024-01-01&date_to=2023-01-01")
    assert "Окончание периода должно быть позже его начала" in response.content.decode()


@pytest.fixture
def two_clusters(demo, users, foreign_assignment):
    """The secretary also becomes the secretary of the outsider's cluster."""
    ClusterRole.objects.create(user=users["secretary"], cluster=demo["other_cluster"], role=PortalRole.SECRETARY)
    return demo["cluster"], demo["other_cluster"]


def test_report_covers_all_managed_clusters_by_default_and_one_when_chosen(client_as, two_clusters):
    ict, other = two_clusters
    client = client_as("secretary")
    every, only_ict, only_other = (client.get("/tasks/report/" + q).context["report"].total.assigned
                                   for q in ("", f"?cluster={ict.pk}", f"?cluster={other.pk}"))
    assert only_ict > 0 and only_other > 0
    assert every == only_ict + only_other


def test_chosen_cluster_is_in_the_title_and_drill_down_links(client_as, two_clusters, foreign_assignment):
    _ict, other = two_clusters
    text = client_as("secretary").get(f"/tasks/report/?cluster={other.pk}").content.decode()
    assert f"Исполнительская дисциплина — {other}" in text
    assert f"scope=all&amp;cluster={other.pk}&amp;organization=" in text


def test_cluster_choice_is_offered_only_to_managers_of_several_clusters(client_as, demo, two_clusters):
    assert 'name="cluster"' in client_as("secretary").get("/tasks/report/").content.decode()
    assert 'name="cluster"' not in client_as("chair").get("/tasks/report/").content.decode()


def test_a_cluster_the_user_does_not_manage_is_404(client_as, demo, foreign_assignment):
    response = client_as("secretary").get(f"/tasks/report/?cluster={demo['other_cluster'].pk}&format=xlsx")
    assert response.status_code == 404


def test_late_is_accepted_minus_on_time_as_the_list_filters_count(client_as, make_assignments, member_assignment):
    """The report counts «late» as accepted − on time; that is exactly ``done_late_q``'s rows, the
    accepted ones without a deadline or a completion moment included (on time, never late)."""
    from meetings.models import Assignment
    from tasks.reports import done_late_q, done_on_time_q

    org = member_assignment.organization
    rows = make_assignments(5, organization=org, deadline=datetime.date(2026, 11, 10))
    moments = [datetime.datetime(2026, 11, 10, 20, 59, tzinfo=UTC),  # 23:59 in Moscow: on time
               datetime.datetime(2026, 11, 10, 21, 0, tzinfo=UTC),  # 00:00 on the 11th in Moscow: late
               None]
    for assignment, moment in zip(rows, moments):
        Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.ACCEPTED, completed_at=moment)
    Assignment.objects.filter(pk=rows[3].pk).update(status=AssignmentStatus.ACCEPTED, deadline=None,
                                                    completed_at=moments[1])
    with at((2026, 11, 22)):
        row = row_for(client_as("secretary").get("/tasks/report/"), org)
    mine = Assignment.objects.filter(organization=org).exclude(status=AssignmentStatus.CANCELLED)
    assert row.late == mine.filter(done_late_q()).count() == 1
    assert row.on_time == mine.filter(done_on_time_q()).count() == 3


@pytest.mark.parametrize("zone", ["Europe/Moscow", "Europe/Berlin", "UTC"])
def test_local_day_is_the_date_lookup(member_assignment, settings, zone):
    """``tasks.reports.LocalDay`` (SQLite: built-in ``date()`` with the zone's offset from a CASE) gives the
    day ``completed_at__date`` gives, around midnight and around the zone's changes of offset."""
    from django.db.models import DateField, ExpressionWrapper, F
    from meetings.models import Assignment
    from tasks.reports import LocalDay

    settings.TIME_ZONE = zone
    moments = [datetime.datetime(2026, 11, 10, 20, 59, 59, 999999, tzinfo=UTC), datetime.datetime(2026, 11, 10, 21, 0, tzinfo=UTC),
               datetime.datetime(2026, 11, 10, 23, 0, tzinfo=UTC), datetime.datetime(2014, 10, 25, 21, 59, tzinfo=UTC),
               datetime.datetime(2014, 10, 25, 22, 0, tzinfo=UTC), datetime.datetime(2010, 3, 27, 20, 30, tzinfo=UTC),
               datetime.datetime(2010, 3, 27, 23, 30, tzinfo=UTC), datetime.datetime(2026, 3, 28, 22, 30, tzinfo=UTC),
               datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), datetime.datetime(2026, 10, 24, 22, 30, tzinfo=UTC)]
    for moment in moments:
        Assignment.objects.filter(pk=member_assignment.pk).update(completed_at=moment)
        row = Assignment.objects.filter(pk=member_assignment.pk).annotate(
            day=LocalDay("completed_at"), expected=ExpressionWrapper(F("completed_at__date"), output_field=DateField())
        ).values("day", "expected").get()
        assert row["day"] == row["expected"] == moment.astimezone(zoneinfo.ZoneInfo(zone)).date(), moment
