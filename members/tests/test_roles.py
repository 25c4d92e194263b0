"""Role grants: the administrator grants any role; a secretary grants member or secretary to other
logins of her cluster; nobody grants a role to themselves; a chair comes from the composition or
the administrator; only the administrator links a person to a login."""

import datetime

import pytest

from core.errors import DomainError
from members import services
from members.access import access_for
from members.models import BodyRole, ClusterRole, PortalRole

pytestmark = pytest.mark.django_db


def grant(by, user, cluster, role):
    return services.cluster_role_grant(by=by, user=user, cluster=cluster, role=role)


def test_secretary_grants_secretary_to_another_login_of_her_cluster(users, demo):
    grant(users["secretary"], users["member"], demo["cluster"], PortalRole.SECRETARY)
    assert access_for(users["member"], demo["cluster"].pk).is_secretary


def test_secretary_cannot_make_herself_chair(users, demo):
    with pytest.raises(DomainError, match="Назначить роль самому себе нельзя."):
        grant(users["secretary"], users["secretary"], demo["cluster"], PortalRole.CHAIR)


def test_secretary_cannot_make_a_member_chair(users, demo):
    with pytest.raises(DomainError, match="Председатель и заместитель председателя определяются составом"):
        grant(users["secretary"], users["member"], demo["cluster"], PortalRole.CHAIR)


def test_secretary_cannot_make_a_member_deputy_chair(users, demo):
    with pytest.raises(DomainError, match="Председатель и заместитель председателя определяются составом"):
        grant(users["secretary"], users["member"], demo["cluster"], PortalRole.DEPUTY_CHAIR)


def test_secretary_cannot_grant_in_another_cluster(users, demo):
    with pytest.raises(DomainError, match="Роли в кластере назначает его секретарь"):
        grant(users["secretary"], users["outsider"], demo["other_cluster"], PortalRole.MEMBER)


def test_secretary_cannot_pull_a_login_of_another_cluster_into_hers(users, demo):
    with pytest.raises(DomainError, match="outsider — учётная запись не из реестра этого кластера."):
        grant(users["secretary"], users["outsider"], demo["cluster"], PortalRole.MEMBER)


def test_chair_grants_nothing(users, demo):
    with pytest.raises(DomainError, match="Роли в кластере назначает его секретарь"):
        grant(users["chair"], users["member"], demo["cluster"], PortalRole.MEMBER)


def test_administrator_grants_a_chair(users, demo):
    grant(users["admin"], users["outsider"], demo["cluster"], PortalRole.CHAIR)
    assert access_for(users["outsider"], demo["cluster"].pk).is_chair


def test_the_same_grant_twice_is_refused(users, demo):
    grant(users["admin"], users["member"], demo["cluster"], PortalRole.SECRETARY)
    with pytest.raises(DomainError, match="У member уже есть эта роль в кластере."):
        grant(users["secretary"], users["member"], demo["cluster"], PortalRole.SECRETARY)


def test_secretary_takes_away_a_secretary_grant(users, demo):
    role = grant(users["admin"], users["member"], demo["cluster"], PortalRole.SECRETARY)
    services.cluster_role_revoke(by=users["secretary"], grant=role)
    assert not ClusterRole.objects.filter(pk=role.pk).exists()


def test_secretary_cannot_take_away_a_chair_grant(users, demo):
    role = grant(users["admin"], users["member"], demo["cluster"], PortalRole.CHAIR)
    with pytest.raises(DomainError, match="снимает только администратор портала"):
        services.cluster_role_revoke(by=users["secretary"], grant=role)


def test_nobody_takes_away_their_own_role(users, demo):
    role = grant(users["admin"], users["member"], demo["cluster"], PortalRole.SECRETARY)
    with pytest.raises(DomainError, match="Снять роль с самого себя нельзя"):
        services.cluster_role_revoke(by=users["member"], grant=role)


# ---------------------------------------------------------------- the page

def test_roles_page_lists_seats_and_grants(client_as, users, demo):
    grant(users["admin"], users["outsider"], demo["cluster"], PortalRole.MEMBER)
    html = client_as("secretary").get(f"/clusters/{demo['cluster'].pk}/roles/").content.decode()
    seats, grants = html.split('id="seat-roles"')[1], html.split('id="grants"')[1]
    assert "Рудометкин А. Н." in seats.split('id="member-logins"')[0]
    assert "outsider" in grants and "Снять" in grants


def test_secretary_grants_on_the_page(client_as, users, demo):
    response = client_as("secretary").post(f"/clusters/{demo['cluster'].pk}/roles/",
                                           {"user": users["member"].pk, "role": PortalRole.SECRETARY})
    assert response.status_code == 302
    assert ClusterRole.objects.filter(user=users["member"], role=PortalRole.SECRETARY).exists()


def test_secretary_is_offered_member_and_secretary_only(client_as, demo):
    form = client_as("secretary").get(f"/clusters/{demo['cluster'].pk}/roles/").context["form"]
    assert [value for value, _ in form.fields["role"].choices] == [PortalRole.SECRETARY, PortalRole.MEMBER]


def test_secretary_is_offered_other_logins_of_her_cluster_only(client_as, users, demo):
    form = client_as("secretary").get(f"/clusters/{demo['cluster'].pk}/roles/").context["form"]
    offered = {user.username for user in form.fields["user"].queryset}
    # churanov and belokopytov: the 2017 chair and secretary, demo logins who sign the protocol of 2017
    assert offered == {"chair", "member", "churanov", "belokopytov"}


def test_chair_posted_by_a_secretary_is_refused_beside_the_form(client_as, users, demo):
    response = client_as("secretary").post(f"/clusters/{demo['cluster'].pk}/roles/",
                                           {"user": users["member"].pk, "role": PortalRole.CHAIR})
    assert response.status_code == 200 and not ClusterRole.objects.filter(user=users["member"]).exists()


def test_administrator_takes_away_a_chair_grant_on_the_page(client_as, users, demo):
    role = grant(users["admin"], users["member"], demo["cluster"], PortalRole.CHAIR)
    response = client_as("admin").post(f"/clusters/{demo['cluster'].pk}/roles/{role.pk}/revoke/")
    assert response.status_code == 302 and not ClusterRole.objects.filter(pk=role.pk).exists()


def test_no_revoke_button_for_what_the_secretary_may_not_take_away(client_as, users, demo):
    chair = grant(users["admin"], users["member"], demo["cluster"], PortalRole.CHAIR)
    html = client_as("secretary").get(f"/clusters/{demo['cluster'].pk}/roles/").content.decode()
    assert f"/roles/{chair.pk}/revoke/" not in html
    # The member grant of the demo's Белокопытов is hers to take away.
    member = ClusterRole.objects.get(user=users["belokopytov"], cluster=demo["cluster"])
    assert f"/roles/{member.pk}/revoke/" in html


# ---------------------------------------------------------------- the composition and logins

def test_secretary_does_not_seat_herself_as_chair(client_as, demo):
    council = demo["council"]
    response = client_as("secretary").post(f"/members/bodies/{council.pk}/change/", {
        "role": BodyRole.CHAIR, "person": demo["people"]["kudryavtseva"].pk, "on": "2026-01-10",
    })
    assert "Назначить себя председателем или заместителем председателя нельзя" in response.content.decode()
    assert not council.memberships.filter(person=demo["people"]["kudryavtseva"], role=BodyRole.CHAIR).exists()


def test_secretary_seats_another_person_as_chair(demo, users):
    services.body_change_composition(body=demo["council"], role=BodyRole.CHAIR, person=demo["people"]["kazakov"],
                                     on=datetime.date(2026, 1, 10), by=users["secretary"])
    assert demo["council"].memberships.filter(person=demo["people"]["kazakov"], role=BodyRole.CHAIR).exists()


def test_secretary_cannot_link_the_chairs_person_to_a_login(users, demo):
    with pytest.raises(DomainError, match="только администратор портала"):
        services.person_link_login(by=users["secretary"], person=demo["people"]["rudometkin"], user=users["member"])


def test_person_form_has_no_login_field(client_as, demo):
    form = client_as("secretary").get(f"/members/people/{demo['people']['rudometkin'].pk}/edit/").context["form"]
    assert "user" not in form.fields


def test_login_posted_to_the_person_form_is_ignored(client_as, users, demo):
    chair = demo["people"]["rudometkin"]
    client_as("secretary").post(f"/members/people/{chair.pk}/edit/", {
        "last_name": chair.last_name, "first_name": chair.first_name, "patronymic": chair.patronymic,
        "organization": chair.organization_id, "user": users["member"].pk,
    })
    chair.refresh_from_db()
    assert chair.user == users["chair"]


def test_administrator_links_a_person_to_a_login(client_as, users, demo, django_user_model):
    login = django_user_model.objects.create_user("kazakova")
    person = demo["people"]["zaryankina"]
    response = client_as("admin").post(f"/members/people/{person.pk}/login/", {"user": login.pk})
    person.refresh_from_db()
    assert response.status_code == 302 and person.user == login


def test_a_login_links_to_one_person_only(users, demo):
    with pytest.raises(DomainError, match="Учётная запись chair уже связана с: Рудометкин"):
        services.person_link_login(by=users["admin"], person=demo["people"]["zaryankina"], user=users["chair"])


def test_a_coordinators_grant_is_the_administrators_to_take_away(client_as, demo):
    """The ``ministry`` follows the ICT cluster (issue 17): the secretary sees the grant but cannot revoke it."""
    from members.models import ClusterRole, PortalRole

    grant = ClusterRole.objects.get(user=demo["users"]["ministry"], cluster=demo["cluster"], role=PortalRole.COORDINATOR)
    response = client_as("secretary").post(f"/clusters/{demo['cluster'].pk}/roles/{grant.pk}/revoke/")
    assert response.status_code == 302 and ClusterRole.objects.filter(pk=grant.pk).exists()
    assert client_as("admin").post(f"/clusters/{demo['cluster'].pk}/roles/{grant.pk}/revoke/").status_code == 302
    assert not ClusterRole.objects.filter(pk=grant.pk).exists()


def test_only_the_administrator_grants_the_coordinator_role(client_as, demo):
    from members.models import ClusterRole, PortalRole

    secretary_form = client_as("secretary").get(f"/clusters/{demo['cluster'].pk}/roles/").context["form"]
    assert PortalRole.COORDINATOR not in dict(secretary_form.fields["role"].choices)
    outsider = demo["users"]["outsider"]
    response = client_as("secretary").post(f"/clusters/{demo['cluster'].pk}/roles/",
                                           {"user": outsider.pk, "role": PortalRole.COORDINATOR})
    assert response.status_code == 200 and not ClusterRole.objects.filter(user=outsider, role="coordinator").exists()
    response = client_as("admin").post(f"/clusters/{demo['cluster'].pk}/roles/",
                                       {"user": outsider.pk, "role": PortalRole.COORDINATOR})
    assert response.status_code == 302
    assert ClusterRole.objects.filter(user=outsider, cluster=demo["cluster"], role="coordinator").exists()
