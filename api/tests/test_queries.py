"""Every list and detail of the API runs a fixed number of queries: counted with a little data, then
the same request with much more must not need more (the pages' rule, DESIGN.md «Quality bars»)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import MeetingStatus
from meetings.services import decision_assign
from meetings.tests.conftest import make_protocol
from members.models import Membership, MembershipStatus, Organization, OrganizationKind, Person
from plans.models import PlanItem, PlanSection, PlanStatus, WorkPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(demo, make_assignments):
    """grow(n): n more of everything the lists print — protocols (published, with assignments of the
    member's organisation), assignments, register entries and people, approved plans with items."""
    counter = {"n": 0}
    member_org = demo["users"]["member"].person.organization

    def make(n):
        for _ in range(n):
            counter["n"] += 1
            k = counter["n"]
            meeting = make_protocol(demo, items=2, status=MeetingStatus.APPROVED, number=f"q{k}",
                                    date=datetime.date(2025, 1, 1) + datetime.timedelta(days=k))
            for item in meeting.agenda_items.all():
                for decision in item.decisions.all():
                    decision.responsible_organizations.add(member_org)
                    decision_assign(decision=decision)
            org = Organization.objects.create(full_name=f"ООО «Проверка {k}»", short_name=f"ООО «П{k}»",
                                              kind=OrganizationKind.EMPLOYER)
            Membership.objects.create(cluster=demo["cluster"], organization=org, status=MembershipStatus.JOINED,
                                      joined_on=datetime.date(2024, 1, 1))
            Person.objects.create(last_name=f"Проверкин{k}", first_name="Иван", organization=org)
            plan = WorkPlan.objects.create(cluster=demo["cluster"], title=f"План {k}", period=f"на {2000 + k} год",
                                           period_start=datetime.date(2000 + k, 1, 1),
                                           period_end=datetime.date(2000 + k, 12, 31), status=PlanStatus.APPROVED)
            section = PlanSection.objects.create(plan=plan, order=1, title="Раздел")
            item = PlanItem.objects.create(section=section, order=1, title="Мероприятие", year=2000 + k, q1=True)
            item.organizers.set([org, member_org])
        make_assignments(n * 5, organization=member_org)

    return make


LISTS = [
    ("member", "/api/v1/clusters/"),
    ("member", "/api/v1/clusters/{cluster}/organizations/"),
    ("member", "/api/v1/clusters/{cluster}/people/"),
    ("member", "/api/v1/meetings/"),
    ("member", "/api/v1/meetings/?year=2025&status=approved"),
    ("secretary", "/api/v1/meetings/"),
    ("member", "/api/v1/decisions/"),
    ("member", "/api/v1/decisions/?year=2025"),
    ("member", "/api/v1/assignments/"),
    ("member", "/api/v1/assignments/?state=overdue&deadline_after=2020-01-01"),
    ("secretary", "/api/v1/assignments/?scope=all"),
    ("secretary", "/api/v1/assignments/?scope=all&page=2&page_size=10"),
    ("admin", "/api/v1/assignments/?scope=all"),
    ("member", "/api/v1/plans/"),
    ("member", "/api/v1/assignments/{mine}/"),
]


@pytest.mark.parametrize("role, url", LISTS)
def test_list_queries_do_not_grow_with_the_data(api_as, demo, grow, member_assignment, django_assert_max_num_queries,
                                                role, url):
    url = url.format(cluster=demo["cluster"].pk, mine=member_assignment.pk)
    client = api_as(role)
    grow(1)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
    grow(15)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
        assert response.status_code == 200
    if "results" in response.json() and "page=2" not in url:
        assert response.json()["count"] > 15 or url.endswith("/clusters/")


@pytest.mark.parametrize("role", ["member", "secretary"])
def test_the_protocol_costs_the_same_queries_at_any_size(api_as, demo, django_assert_max_num_queries, role):
    client = api_as(role)
    small = make_protocol(demo, items=2, status=MeetingStatus.APPROVED, number="s1")
    large = make_protocol(demo, items=25, status=MeetingStatus.APPROVED, number="s2")
    with CaptureQueriesContext(connection) as counted:
        assert client.get(f"/api/v1/meetings/{small.pk}/").status_code == 200
    with django_assert_max_num_queries(len(counted)):
        response = client.get(f"/api/v1/meetings/{large.pk}/")
        assert response.status_code == 200
    assert len(response.json()["agenda_items"]) == 25


def test_the_plan_costs_the_same_queries_at_any_size(api_as, demo, django_assert_max_num_queries):
    client = api_as("member")
    orgs = list(Organization.objects.filter(memberships__cluster=demo["cluster"])[:3])

    def plan(items, year):
        plan = WorkPlan.objects.create(cluster=demo["cluster"], title="План", period=f"на {year} год",
                                       period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
                                       status=PlanStatus.APPROVED)
        for s in range(1, 4):
            section = PlanSection.objects.create(plan=plan, order=s, title=f"Раздел {s}")
            for i in range(1, items + 1):
                item = PlanItem.objects.create(section=section, order=i, title="Мероприятие", year=year, q2=True)
                item.organizers.set(orgs)
                item.meetings.set([demo["meeting_2023"]])
                item.decisions.set(demo["decisions_2023"][:2])
        return plan

    small, large = plan(1, 2030), plan(15, 2031)
    with CaptureQueriesContext(connection) as counted:
        assert client.get(f"/api/v1/plans/{small.pk}/").status_code == 200
    with django_assert_max_num_queries(len(counted)):
        response = client.get(f"/api/v1/plans/{large.pk}/")
        assert response.status_code == 200
    assert sum(len(section["items"]) for section in response.json()["sections"]) == 45
