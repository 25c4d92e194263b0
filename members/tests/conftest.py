"""Fixtures of the register tests: bulk data for the query-count tests."""

import datetime

import pytest

from members.models import BodyMembership, BodyRole, Membership, MembershipStatus, Organization, OrganizationKind, Person

KINDS = [OrganizationKind.GOVERNMENT, OrganizationKind.EMPLOYER, OrganizationKind.EDU_VOCATIONAL,
         OrganizationKind.NONPROFIT, OrganizationKind.EDU_HIGHER]


@pytest.fixture
def add_organizations(demo):
    """add_organizations(n) → n member organisations of the ICT cluster (every third a branch)."""

    def make(n, cluster=None):
        cluster = cluster or demo["cluster"]
        heads = Organization.objects.bulk_create(
            Organization(full_name=f"Организация № {i}", short_name=f"Орг {i:04d}", kind=KINDS[i % len(KINDS)])
            for i in range(n - n // 3)
        )
        branches = Organization.objects.bulk_create(
            Organization(full_name=f"Филиал № {i}", short_name=f"Филиал {i:04d}", kind=heads[i].kind, parent=heads[i])
            for i in range(n // 3)
        )
        Membership.objects.bulk_create(
            Membership(cluster=cluster, organization=org, status=MembershipStatus.JOINED,
                       joined_on=datetime.date(2020, 1, 1), document_title="Заявление")
            for org in heads + branches
        )
        return heads + branches

    return make


@pytest.fixture
def add_people(demo):
    """add_people(organization, n) → n representatives, each with a seat in the council."""

    def make(organization, n):
        people = Person.objects.bulk_create(
            Person(last_name=f"Иванов{i}", first_name="Иван", position="специалист", organization=organization,
                   email=f"p{i}@example.org") for i in range(n)
        )
        BodyMembership.objects.bulk_create(
            BodyMembership(body=demo["working_group"], person=p, role=BodyRole.MEMBER,
                           term_start=datetime.date(2023, 1, 1)) for p in people
        )
        return people

    return make


@pytest.fixture
def other_secretary(demo, django_user_model):
    """The secretary of the other demo cluster (the outsider's), with a seat in its council."""
    from members.models import Body, BodyKind

    user = django_user_model.objects.create_user("other-secretary", password="demo12345", first_name="Ольга",
                                                 last_name="Смирнова")
    person = Person.objects.create(last_name="Смирнова", first_name="Ольга", user=user)
    council = Body.objects.get(cluster=demo["other_cluster"], kind=BodyKind.COUNCIL)
    BodyMembership.objects.create(body=council, person=person, role=BodyRole.SECRETARY,
                                  term_start=datetime.date(2021, 2, 1))
    return user
