"""The discipline report page reads its figures through prepared queries (``tasks.reports.
discipline_report_of_user``): they equal the ORM report (``discipline_report`` of the queryset the view
used to build) for every role, filter and moment, and the page equals the one the old code printed,
also after the data changes."""

import datetime
import io
import re

import pytest
import time_machine
from openpyxl import load_workbook

from meetings.models import Assignment, AssignmentStatus
from members.models import ClusterRole, Organization, Person, PortalRole
from tasks import selectors, views
from tasks.reports import discipline_report, discipline_report_of_user

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TODAY = datetime.date(2026, 11, 22)
MOMENTS = [  # midday in Moscow, and after the end of its day (a deadline without a time has passed)
    datetime.datetime(2026, 11, 22, 9, 0, tzinfo=UTC),
    datetime.datetime(2026, 11, 22, 20, 59, 59, 500_000, tzinfo=UTC),
]


def old_report(user, *, cluster_id=None, date_from=None, date_to=None, now=None):
    """What the view computed before: the ORM report of ``cluster_assignments`` filtered."""
    queryset = selectors.cluster_assignments(user)
    if cluster_id is not None:
        queryset = queryset.filter(selectors.of_cluster_q(cluster_id))
    if date_from is not None:
        queryset = queryset.filter(deadline__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(deadline__lte=date_to)
    return discipline_report(queryset, now=now)


def figures(report):
    return ([(r.organization_id, r.name, r.assigned, r.on_time, r.late, r.overdue, r.open) for r in report.rows],
            (report.total.assigned, report.total.on_time, report.total.late, report.total.overdue, report.total.open))


@pytest.fixture
def varied(demo, users, make_assignments, member_assignment):
    """Every outcome around today's deadline, a person's and a body's assignment, the secretary in two clusters."""
    org = member_assignment.organization
    rows = make_assignments(9, organization=org, deadline=TODAY)
    moscow_evening = datetime.datetime(2026, 11, 22, 20, 59, tzinfo=UTC)  # 23:59 in Moscow: on time
    after_midnight = datetime.datetime(2026, 11, 22, 21, 1, tzinfo=UTC)  # 00:01 of the next day: late
    changes = [
        dict(status=AssignmentStatus.ACCEPTED, completed_at=moscow_evening),
        dict(status=AssignmentStatus.ACCEPTED, completed_at=after_midnight),
        dict(status=AssignmentStatus.ACCEPTED, deadline=None, completed_at=after_midnight),
        dict(deadline_time=datetime.time(9, 0)),
        dict(deadline_time=datetime.time(18, 0)),
        dict(),
        dict(status=AssignmentStatus.REPORTED),
        dict(status=AssignmentStatus.CANCELLED),
        dict(status=AssignmentStatus.RETURNED, deadline=datetime.date(2025, 3, 1)),
    ]
    for assignment, change in zip(rows, changes):
        Assignment.objects.filter(pk=assignment.pk).update(**change)
    person = Person.objects.filter(organization__isnull=False).exclude(organization=org).first()
    Assignment.objects.filter(pk=rows[5].pk).update(organization=None, person=person)
    body = demo["cluster"].bodies.first()
    Assignment.objects.filter(pk=rows[6].pk).update(organization=None, body=body)
    ClusterRole.objects.create(user=users["secretary"], cluster=demo["other_cluster"], role=PortalRole.SECRETARY)
    return rows


def _periods(demo):
    return [{}, {"cluster_id": demo["cluster"].pk}, {"cluster_id": demo["other_cluster"].pk},
            {"date_from": TODAY}, {"date_to": datetime.date(2023, 12, 31)},
            {"date_from": datetime.date(2023, 1, 1), "date_to": TODAY}]


@pytest.mark.parametrize("role", ["secretary", "chair", "admin"])
def test_prepared_figures_are_the_orm_report(demo, users, varied, role):
    user = type(users[role]).objects.get(pk=users[role].pk)
    for now in MOMENTS:
        for period in _periods(demo):
            expected = figures(old_report(user, now=now, **period))
            assert figures(discipline_report_of_user(user, now=now, **period)) == expected, (now, period)
    assert any(row[5] for row in figures(old_report(user, now=MOMENTS[1]))[0])  # the data has overdue rows


def _row(user, org, now, **period):
    return next(r for r in figures(discipline_report_of_user(user, now=now, **period))[0] if r[0] == org)


def test_the_outcomes_are_counted(users, varied, member_assignment):
    user, org, day = users["secretary"], member_assignment.organization_id, {"date_from": TODAY, "date_to": TODAY}
    # assigned, on time, late, overdue, open: the deadline of 09:00 has passed at noon, that of 18:00 at night
    assert _row(user, org, MOMENTS[0], **day)[2:] == (4, 1, 1, 1, 1)
    assert _row(user, org, MOMENTS[1], **day)[2:] == (4, 1, 1, 2, 0)
    person_org = Person.objects.get(assignments=varied[5]).organization_id  # today, no time: overdue after the day
    assert _row(user, person_org, MOMENTS[0], **day)[5:] == (0, 1)
    assert _row(user, person_org, MOMENTS[1], **day)[5:] == (1, 0)


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith("xlsx"):
        return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return re.sub(r'(value="|"X-CSRFToken": ")[A-Za-z0-9]{64}', "", response.content.decode())


def _urls(demo):
    return ["/tasks/report/", "/tasks/report/?page=2", f"/tasks/report/?cluster={demo['cluster'].pk}",
            "/tasks/report/?date_from=2023-01-01&date_to=2026-11-22", "/tasks/report/?date_to=2023-12-31&format=xlsx"]


def _old_pages(monkeypatch, client, urls):
    with monkeypatch.context() as patch:
        patch.setattr(views, "discipline_report_of_user", old_report)
        return [_page(client, url) for url in urls]


@pytest.mark.parametrize("role", ["secretary", "chair", "admin"])
def test_the_page_is_the_old_one_and_fresh_after_changes(monkeypatch, client_as, demo, varied, member_assignment, role):
    client, urls = client_as(role), _urls(demo)
    with time_machine.travel(MOMENTS[0], tick=False):
        before = [_page(client, url) for url in urls]
        assert before == _old_pages(monkeypatch, client, urls)
        Assignment.objects.filter(pk=varied[3].pk).update(status=AssignmentStatus.ACCEPTED, completed_at=MOMENTS[0])
        Organization.objects.filter(pk=member_assignment.organization_id).update(short_name="Переименованная")
        after = [_page(client, url) for url in urls]
        assert after == _old_pages(monkeypatch, client, urls)
    assert after[0] != before[0] and "Переименованная" in after[0]
    with time_machine.travel(MOMENTS[1], tick=False):  # later the same day: more is overdue
        assert [_page(client, url) for url in urls] == _old_pages(monkeypatch, client, urls)


def test_a_member_still_gets_no_report(client_as, varied):
    assert client_as("member").get("/tasks/report/").status_code == 403
