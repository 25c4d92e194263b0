"""Issue 13: the task list, the discipline report and the admin lists stay bounded as the data grows.

Assignments and decisions store their meeting's cluster (lists filter and count by it without three
joins); the task list's filter offers no ``<option>`` per protocol or organisation; the report shows
50 organisations a page. Query counts are checked at two data sizes."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Assignment, AssignmentStatus, Decision, DecisionKind, MeetingStatus
from members.models import Cluster, Membership, MembershipStatus, Organization, OrganizationKind
from tasks.selectors import of_cluster_q
from tasks.views import REPORT_PAGE_SIZE

NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)


def rows(response):
    return list(response.context["page"])


# ---------------------------------------------------------------- the stored cluster

def test_every_demo_decision_and_assignment_stores_its_meetings_cluster(demo):
    assert Decision.objects.exists() and Assignment.objects.exists()
    for decision in Decision.objects.select_related("agenda_item__meeting"):
        assert decision.cluster_id == decision.agenda_item.meeting.cluster_id
    for assignment in Assignment.objects.select_related("decision__agenda_item__meeting"):
        assert assignment.cluster_id == assignment.decision.agenda_item.meeting.cluster_id


def test_save_and_bulk_create_set_the_cluster(demo, make_assignments):
    item = demo["meeting_2017"].agenda_items.order_by("order").first()  # not signed: open to writes
    decision = Decision.objects.create(agenda_item_id=item.pk, order=99, text="Проверка", kind=DecisionKind.ASSIGN)
    org = Organization.objects.filter(memberships__cluster=demo["cluster"]).first()
    assignment = Assignment(decision_id=decision.pk, organization=org)
    assignment.save()
    bulk = make_assignments(3)
    assert decision.cluster_id == assignment.cluster_id == demo["cluster"].pk
    assert set(Assignment.objects.filter(pk__in=[a.pk for a in bulk]).values_list("cluster_id", flat=True)) == {demo["cluster"].pk}


def test_decisions_and_assignments_follow_their_meeting_to_another_cluster(demo):
    meeting = demo["meeting_2017"]
    assert meeting.status != MeetingStatus.SIGNED and Assignment.objects.filter(decision__agenda_item__meeting=meeting).exists()
    other = Cluster.objects.create(name="Кластер для проверки")
    meeting.refresh_from_db()
    meeting.cluster = other
    meeting.save()
    assert set(Decision.objects.filter(agenda_item__meeting=meeting).values_list("cluster_id", flat=True)) == {other.pk}
    assert set(Assignment.objects.filter(decision__agenda_item__meeting=meeting).values_list("cluster_id", flat=True)) == {other.pk}


def test_urgency_rank_is_computed_by_the_database(demo, make_assignments):
    made = {status: make_assignments(1, status=status)[0] for status in AssignmentStatus.values}
    no_deadline, = make_assignments(1, deadline=None)
    ranks = dict(Assignment.objects.filter(pk__in=[a.pk for a in made.values()]).values_list("status", "urgency_rank"))
    assert ranks == {"assigned": 1, "in_progress": 1, "returned": 1, "reported": 2, "accepted": 4, "cancelled": 5}
    assert Assignment.objects.get(pk=no_deadline.pk).urgency_rank == 3
    Assignment.objects.filter(pk=made["assigned"].pk).update(status=AssignmentStatus.ACCEPTED)
    assert Assignment.objects.get(pk=made["assigned"].pk).urgency_rank == 4


@time_machine.travel(NOW, tick=False)
def test_scope_all_order_is_the_urgency_order(client_as, demo, make_assignments):
    """Overdue, open by deadline, reported, open without a deadline, accepted, cancelled."""
    # the cluster's own and what the demo authority assigned to its council (issue 17)
    Assignment.objects.filter(of_cluster_q(demo["cluster"].pk)).delete()
    overdue, = make_assignments(1, deadline=datetime.date(2026, 11, 1))
    soon, = make_assignments(1, deadline=datetime.date(2026, 11, 25))
    later, = make_assignments(1, deadline=datetime.date(2027, 2, 1))
    reported, = make_assignments(1, deadline=datetime.date(2026, 10, 1), status=AssignmentStatus.REPORTED)
    undated, = make_assignments(1, deadline=None)
    accepted, = make_assignments(1, deadline=datetime.date(2020, 1, 1), status=AssignmentStatus.ACCEPTED)
    cancelled, = make_assignments(1, deadline=datetime.date(2020, 1, 1), status=AssignmentStatus.CANCELLED)
    expected = [overdue, soon, later, reported, undated, accepted, cancelled]
    got = [row[0] for row in rows(client_as("secretary").get("/tasks/?scope=all"))]  # tuples as the list opens
    assert got == [a.pk for a in expected]


# ---------------------------------------------------------------- the bounded filter form

def options(html: str) -> int:
    return len(re.findall(r"<option\b", html))


def test_filter_offers_no_option_per_protocol_or_organisation(client_as, demo, make_assignments):
    client = client_as("admin")
    before = options(client.get("/tasks/?scope=all").content.decode())
    for n in range(5):  # more organisations in the cluster and more protocols
        org = Organization.objects.create(full_name=f"Организация для проверки {n}", kind=OrganizationKind.EMPLOYER)
        Membership.objects.create(cluster=demo["cluster"], organization=org, status=MembershipStatus.JOINED,
                                  joined_on=datetime.date(2020, 1, 1))
    make_assignments(30)
    html = client.get("/tasks/?scope=all").content.decode()
    assert options(html) == before
    assert 'name="party"' in html and 'name="year"' in html and 'name="number"' in html


def test_party_is_found_by_part_of_its_name(client_as, member_assignment):
    # (Case-insensitive for Cyrillic on PostgreSQL; SQLite's LIKE folds ASCII only.)
    org = member_assignment.organization
    found = {a.pk for a in rows(client_as("secretary").get(f"/tasks/?scope=all&party={org.short_name[:6]}"))}
    assert member_assignment.pk in found
    assert all(a.organization_id == org.pk or a.organization is None for a in
               rows(client_as("secretary").get(f"/tasks/?scope=all&party={org.short_name}")))


def test_protocol_by_year_and_number(client_as, demo):
    meeting = demo["meeting_2023"]
    page = rows(client_as("secretary").get(f"/tasks/?scope=all&year={meeting.year}&number={meeting.number}"))
    assert page and {a.decision.agenda_item.meeting_id for a in page} == {meeting.pk}
    other_year = rows(client_as("secretary").get(f"/tasks/?scope=all&year={meeting.year - 1}"))
    assert meeting.pk not in {a.decision.agenda_item.meeting_id for a in other_year}


def test_drill_down_by_organisation_names_it_above_the_list(client_as, member_assignment):
    org = member_assignment.organization
    html = client_as("secretary").get(f"/tasks/?scope=all&organization={org.pk}").content.decode()
    assert "chosen-filter" in html and str(org) in html


@pytest.mark.parametrize("query, message", [
    ("year=abc", "Введите целое число"),
    ("year=20233", "Убедитесь, что это значение меньше либо равно 2100"),
    ("organization=abc", "Выберите корректный вариант"),
    ("organization=999999", "Выберите корректный вариант"),
])
def test_bad_filter_input_gets_a_russian_message_and_no_rows(client_as, member_assignment, query, message):
    response = client_as("secretary").get(f"/tasks/?scope=all&{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert rows(response) == []


def test_an_organisation_of_another_cluster_is_not_a_valid_choice(client_as, demo, foreign_assignment):
    response = client_as("secretary").get(f"/tasks/?scope=all&organization={foreign_assignment.organization_id}")
    assert "Выберите корректный вариант" in response.content.decode()
    assert str(foreign_assignment.organization) not in response.content.decode()


# ---------------------------------------------------------------- the paginated report

@pytest.fixture
def many_organisations(demo, make_assignments):
    """REPORT_PAGE_SIZE + 7 member organisations of the ICT cluster with an overdue assignment each."""
    orgs = Organization.objects.bulk_create(
        Organization(full_name=f"Организация {n:03}", short_name=f"Орг {n:03}", kind=OrganizationKind.EMPLOYER)
        for n in range(REPORT_PAGE_SIZE + 7)
    )
    Membership.objects.bulk_create(Membership(cluster=demo["cluster"], organization=o, status=MembershipStatus.JOINED, joined_on=datetime.date(2020, 1, 1))
                                   for o in orgs)
    for org in orgs:
        make_assignments(1, organization=org, deadline=datetime.date(2026, 1, 1))
    return orgs


@time_machine.travel(NOW, tick=False)
def test_report_shows_fifty_organisations_a_page_and_totals_them_all(client_as, many_organisations):
    client = client_as("secretary")
    first, second = client.get("/tasks/report/"), client.get("/tasks/report/?page=2")
    report = first.context["report"]
    everyone = len(report.rows)
    assert everyone >= REPORT_PAGE_SIZE + 7
    assert len(report.shown) == REPORT_PAGE_SIZE and len(report.chart_rows) == REPORT_PAGE_SIZE
    assert len(second.context["report"].shown) == everyone - REPORT_PAGE_SIZE
    assert report.total.assigned == sum(r.assigned for r in report.rows)
    html = first.content.decode()
    assert html.count('<tr>') - 1 == REPORT_PAGE_SIZE + 1  # header excluded: the page's rows and the total
    assert "page=2" in html
    shown_names = {r.name for r in first.context["report"].shown} | {r.name for r in second.context["report"].shown}
    assert shown_names == {r.name for r in report.rows}


def test_report_page_out_of_range_shows_the_last_page(client_as, many_organisations):
    response = client_as("secretary").get("/tasks/report/?page=999")
    assert response.status_code == 200
    assert response.context["page"].number == response.context["page"].paginator.num_pages


def test_xlsx_has_every_organisation_not_one_page(client_as, many_organisations):
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client_as("secretary").get("/tasks/report/?format=xlsx").content)).active
    assert sheet.max_row - 4 >= REPORT_PAGE_SIZE + 7  # title, blank, header, …, total


# ---------------------------------------------------------------- query counts at two sizes

URLS = [
    ("admin", "/tasks/"),
    ("admin", "/tasks/?scope=all"),
    ("admin", "/tasks/?scope=all&party=Организация&year=2023&status=assigned"),
    ("secretary", "/tasks/?scope=all&party=Организация&year=2023&number=2"),
    ("admin", "/tasks/report/"),
    ("secretary", "/tasks/report/?page=2"),
    ("admin", "/admin/meetings/assignment/"),
    ("admin", "/admin/meetings/assignment/?cluster__id__exact={cluster}&deadline__year=2026"),
    ("admin", "/admin/meetings/decision/"),
    ("admin", "/admin/meetings/decision/?cluster__id__exact={cluster}"),
]


def _organisations_with_assignments(demo, make_assignments, count, start=0):
    """``count`` member organisations «Организация NNN» of the ICT cluster, 10 assignments each (the
    filters above match them, so both sizes list rows)."""
    orgs = Organization.objects.bulk_create(
        Organization(full_name=f"Организация {n:03}", kind=OrganizationKind.EMPLOYER) for n in range(start, start + count)
    )
    Membership.objects.bulk_create(Membership(cluster=demo["cluster"], organization=o, status=MembershipStatus.JOINED,
                                              joined_on=datetime.date(2020, 1, 1)) for o in orgs)
    for org in orgs:
        make_assignments(10, organization=org)


@pytest.mark.parametrize("role, url", URLS)
def test_queries_do_not_grow_with_data(client_as, demo, make_assignments, django_assert_max_num_queries, role, url):
    client = client_as(role)
    url = url.format(cluster=demo["cluster"].pk)
    _organisations_with_assignments(demo, make_assignments, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    assert len(small) <= 15
    _organisations_with_assignments(demo, make_assignments, 60, start=1)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------- the admin lists

def test_admin_date_hierarchy_offers_exactly_the_years_with_deadlines(client_as, demo, make_assignments):
    make_assignments(1, deadline=datetime.date(2030, 5, 1))
    html = client_as("admin").get("/admin/meetings/assignment/").content.decode()
    offered = {int(y) for y in re.findall(r"deadline__year=(\d{4})", html)}
    expected = {d.year for d in Assignment.objects.exclude(deadline=None).values_list("deadline", flat=True)}
    assert offered == expected and 2030 in offered


def test_admin_cluster_filter_uses_the_stored_cluster(client_as, demo, foreign_assignment):
    url = f"/admin/meetings/assignment/?cluster__id__exact={demo['other_cluster'].pk}"
    listed = client_as("admin").get(url).context["cl"].result_list
    assert [a.pk for a in listed] == [foreign_assignment.pk]
    url = f"/admin/meetings/decision/?cluster__id__exact={demo['other_cluster'].pk}"
    decisions = client_as("admin").get(url).context["cl"].result_list
    assert {d.pk for d in decisions} == set(Decision.objects.filter(agenda_item__meeting__cluster=demo["other_cluster"])
                                            .values_list("pk", flat=True))
