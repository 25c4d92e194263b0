import datetime

import pytest
from django.http import Http404

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
    assert set(visible_cluster_ids(users["admin"])) == {demo["cluster"].pk, demo["other_cluster"].pk}
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
