"""Every register page does a bounded number of queries, whatever the size of the register.

Each test counts the queries at a small size, grows the data, and asserts the large size
does not exceed that count. Fixed costs per request: session, user, the user's roles
(body seats, memberships, grants), then the page's own queries.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Assignment, Attendance, signed_protocol_unlocked
from members.models import BodyMembership, BodyRole, Membership, MembershipStatus

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_register_list_at_20_and_1000_organisations(client_as, demo, add_organizations, django_assert_max_num_queries):
    client = client_as("secretary")
    add_organizations(20)
    small = count(client, "/members/?status=any")
    assert small <= 12
    add_organizations(980)
    with django_assert_max_num_queries(small):
        response = client.get("/members/?status=any")
    assert "Филиал № 300" in response.content.decode()


def test_register_search_and_export_at_two_sizes(client_as, demo, add_organizations, django_assert_max_num_queries):
    client = client_as("member")
    add_organizations(20)
    small_search, small_export = count(client, "/members/?text=орг"), count(client, "/members/export.xlsx")
    add_organizations(980)
    with django_assert_max_num_queries(small_search):
        client.get("/members/?text=орг")
    with django_assert_max_num_queries(small_export):
        client.get("/members/export.xlsx")


def test_person_list_at_two_sizes(client_as, demo, add_people, django_assert_max_num_queries):
    client = client_as("member")
    add_people(demo["orgs"]["copp"], 5)
    small = count(client, "/members/people/?q=иванов")
    add_people(demo["orgs"]["copp"], 200)
    with django_assert_max_num_queries(small):
        client.get("/members/people/?q=иванов")


def grow_organization(demo, organization, n, add_people):
    """n representatives, n past memberships and n open assignments of the organisation."""
    add_people(organization, n)
    cluster = demo["cluster"]
    Membership.objects.bulk_create(
        Membership(cluster=cluster, organization=organization, status=MembershipStatus.LEFT,
                   joined_on=datetime.date(2000 + i % 15, 1, 1), left_on=datetime.date(2000 + i % 15, 6, 1))
        for i in range(n)
    )
    decisions = [d for d in demo["decisions_2017"] + demo["decisions_2023"]
                 if not d.assignments.filter(organization=organization).exists()][:n]
    Assignment.objects.bulk_create(Assignment(decision=d, organization=organization, deadline=datetime.date(2024, 1, 1))
                                   for d in decisions)


def test_organization_detail_at_two_sizes(client_as, demo, add_people, django_assert_max_num_queries):
    client, org = client_as("secretary"), demo["orgs"]["copp"]
    url = f"/members/organizations/{org.pk}/"
    grow_organization(demo, org, 1, add_people)
    small = count(client, url)
    grow_organization(demo, org, 40, add_people)
    with django_assert_max_num_queries(small):
        client.get(url)


def test_person_detail_at_two_sizes(client_as, demo, django_assert_max_num_queries):
    client, person = client_as("secretary"), demo["people"]["kazakov"]
    url = f"/members/people/{person.pk}/"
    Attendance.objects.create(meeting=demo["meeting_2017"], person=person, order=99)
    Assignment.objects.create(decision=demo["decisions_2023"][0], person=person)
    small = count(client, url)
    BodyMembership.objects.bulk_create(
        BodyMembership(body=demo["working_group"], person=person, role=BodyRole.MEMBER,
                       term_start=datetime.date(2000 + i, 1, 1), term_end=datetime.date(2000 + i, 6, 1))
        for i in range(15)
    )
    with signed_protocol_unlocked():  # a second attended meeting: the signed one (fixture data only)
        Attendance.objects.create(meeting=demo["meeting_2023"], person=person, order=99)
    Assignment.objects.bulk_create(Assignment(decision=d, person=person) for d in demo["decisions_2017"])
    with django_assert_max_num_queries(small):
        client.get(url)


def test_body_detail_at_two_sizes(client_as, demo, add_people, django_assert_max_num_queries):
    client, body = client_as("secretary"), demo["working_group"]
    url = f"/members/bodies/{body.pk}/?on=2024-01-01"
    add_people(demo["orgs"]["copp"], 2)
    small = count(client, url)
    add_people(demo["orgs"]["copp"], 100)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert "Иванов99" in response.content.decode()


@pytest.mark.parametrize("url", ["/members/organizations/new/", "/members/people/new/"])
def test_secretary_forms_at_20_and_1000_organisations(client_as, demo, add_organizations, django_assert_max_num_queries, url):
    client = client_as("secretary")
    add_organizations(20)
    small = count(client, url)
    add_organizations(980)
    with django_assert_max_num_queries(small):
        client.get(url)


def test_composition_form_at_two_sizes(client_as, demo, add_people, django_assert_max_num_queries):
    client, url = client_as("secretary"), f"/members/bodies/{demo['council'].pk}/change/"
    small = count(client, url)
    add_people(demo["orgs"]["copp"], 200)
    with django_assert_max_num_queries(small):
        client.get(url)
