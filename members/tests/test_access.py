import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from members.access import ADMIN, access_for, cluster_roles, get_cluster_for_user, visible_cluster_ids
from members.models import BodyMembership, BodyRole, ClusterRole, PortalRole

pytestmark = pytest.mark.django_db


def roles(user, cluster):
    return set(cluster_roles(user).get(cluster.pk, set()))


def test_secretary_is_secretary_of_the_ict_cluster_only(demo, users):
    # She is also a member through her organisation, ОГБПОУ СмолАПО.
    assert roles(users["secretary"], demo["cluster"]) == {PortalRole.SECRETARY, PortalRole.MEMBER}
    assert visible_cluster_ids(users["secretary"]) == [demo["cluster"].pk]


def test_chair_is_chair(demo, users):
    access = access_for(users["chair"], demo["cluster"].pk)
    assert access.is_chair and not access.is_secretary and access.can_manage


def test_member_reads_but_does_not_manage(demo, users):
    access = access_for(users["member"], demo["cluster"].pk)
    assert access.can_read and not access.can_manage
    assert roles(users["member"], demo["cluster"]) == {PortalRole.MEMBER}


def test_outsider_sees_only_their_own_cluster(demo, users):
    assert visible_cluster_ids(users["outsider"]) == [demo["other_cluster"].pk]
    assert not access_for(users["outsider"], demo["cluster"].pk).can_read
    with pytest.raises(Http404, match="^$"):  # a bare 404: nothing tells the outsider the cluster exists
        get_cluster_for_user(users["outsider"], demo["cluster"].pk)


def test_admin_sees_every_cluster_in_every_role(demo, users):
    # the demo clusters and the demo coordinating authority (issue 17)
    assert set(visible_cluster_ids(users["admin"])) == {demo["cluster"].pk, demo["other_cluster"].pk,
                                                       demo["authority"].pk}
    assert ADMIN in roles(users["admin"], demo["other_cluster"])


def test_roles_follow_the_composition_of_the_council(demo, users):
    # As of 2018 the 2023 secretary held no seat yet, and her college is a member:
    # she was a plain member; on 2023-03-30 she is the secretary.
    secretary = users["secretary"]
    assert cluster_roles(secretary, datetime.date(2018, 1, 1))[demo["cluster"].pk] == {PortalRole.MEMBER}
    assert PortalRole.SECRETARY in cluster_roles(secretary, datetime.date(2023, 3, 30))[demo["cluster"].pk]


def test_ending_a_seat_takes_the_role_away(demo, users):
    seat = BodyMembership.objects.filter(person__user=users["chair"], role=BodyRole.CHAIR)
    seat.update(term_end=datetime.date(2023, 1, 1))
    chair = type(users["chair"]).objects.get(pk=users["chair"].pk)
    assert not access_for(chair, demo["cluster"].pk).is_chair


def test_explicit_grant_adds_a_role(demo, users):
    ClusterRole.objects.create(user=users["outsider"], cluster=demo["cluster"], role=PortalRole.MEMBER)
    outsider = type(users["outsider"]).objects.get(pk=users["outsider"].pk)
    assert access_for(outsider, demo["cluster"].pk).can_read


def test_anonymous_user_sees_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert cluster_roles(AnonymousUser()) == {}


# ---------------------------------------------------------------- officer roles come from the governing bodies

def _seat_member(demo, body, role):
    """The demo ``member`` login's person gets a seat from today; the current holder of a chair or
    secretary seat in that body steps down yesterday, so the new seat is the only open one."""
    start = timezone.localdate()
    if role in (BodyRole.CHAIR, BodyRole.SECRETARY):
        BodyMembership.objects.filter(body=body, role=role, term_end__isnull=True).update(
            term_end=start - datetime.timedelta(days=1))
    return BodyMembership.objects.create(body=body, person=demo["people"]["kazakov"], role=role, term_start=start)


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("role", [BodyRole.CHAIR, BodyRole.DEPUTY_CHAIR, BodyRole.SECRETARY])
def test_an_officer_of_a_working_group_is_only_a_member_of_the_cluster(demo, users, role):
    assert demo["people"]["kazakov"].user == users["member"]
    _seat_member(demo, demo["working_group"], role)
    access = access_for(_fresh(users["member"]), demo["cluster"].pk)
    assert access.roles == {PortalRole.MEMBER}
    assert not access.is_chair and not access.is_secretary and not access.can_manage


@pytest.mark.parametrize("body,role,flag", [
    ("council", BodyRole.CHAIR, "is_chair"), ("presidium", BodyRole.DEPUTY_CHAIR, "is_chair"),
    ("presidium", BodyRole.SECRETARY, "is_secretary"),
])
def test_an_officer_of_the_council_or_presidium_is_an_officer_of_the_cluster(demo, users, body, role, flag):
    _seat_member(demo, demo[body], role)
    assert getattr(access_for(_fresh(users["member"]), demo["cluster"].pk), flag)


def test_a_grant_still_makes_a_chair(demo, users):
    ClusterRole.objects.create(user=users["member"], cluster=demo["cluster"], role=PortalRole.CHAIR)
    assert access_for(_fresh(users["member"]), demo["cluster"].pk).is_chair
