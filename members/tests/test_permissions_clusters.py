"""Who may open and post to every cluster set-up, body and role page: roles × URLs × methods.

Besides the demo roles there is the secretary of the other demo cluster. Every POST carries data
that would be saved if it were allowed: allowed POSTs must change the register, refused ones
(403, 404, 405, the login page) must leave clusters, bodies, grants, people and logins as they were.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from members.models import Body, BodyKind, Cluster, ClusterRole, Person, PortalRole
from members.tests.test_bodies_and_duplicates import body_post
from members.tests.test_clusters import cluster_post

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "chair", "member", "outsider", "other_secretary", "admin", None]


@pytest.fixture
def setting(demo, users, other_secretary, django_user_model):
    """URLs, their POST data, and the logins (a ``guest`` holds the grant that revoke takes away)."""
    guest = django_user_model.objects.create_user("guest")
    grant = ClusterRole.objects.create(user=guest, cluster=demo["cluster"], role=PortalRole.MEMBER)
    ict, other = demo["cluster"].pk, demo["other_cluster"].pk
    person = demo["people"]["zaryankina"]
    chair = demo["people"]["rudometkin"]
    group = demo["working_group"]
    posts = {
        "clusters": ("/clusters/", {}),
        "cluster-new": ("/clusters/new/", cluster_post()),
        "cluster-edit": (f"/clusters/{ict}/edit/", {"name": demo["cluster"].name, "region": "Другой регион"}),
        "roles": (f"/clusters/{ict}/roles/", {"user": users["member"].pk, "role": PortalRole.SECRETARY}),
        "roles-other": (f"/clusters/{other}/roles/", {"user": users["outsider"].pk, "role": PortalRole.SECRETARY}),
        "revoke": (f"/clusters/{ict}/roles/{grant.pk}/revoke/", {}),
        "body-new": (f"/clusters/{ict}/bodies/new/", body_post()),
        "body-new-other": (f"/clusters/{other}/bodies/new/", body_post()),
        "body-edit": (f"/members/bodies/{group.pk}/edit/", body_post(name="Переименованная группа")),
        "person-login": (f"/members/people/{person.pk}/login/", {"user": guest.pk}),
        "admin-role-add": ("/admin/members/clusterrole/add/", {
            "user": users["secretary"].pk, "cluster": ict, "role": PortalRole.CHAIR,
            "granted_at_0": "01.01.2026", "granted_at_1": "10:00"}),
        "admin-person-change": (f"/admin/members/person/{chair.pk}/change/", {
            "last_name": chair.last_name, "user": users["secretary"].pk}),
    }
    logins = {**users, "other_secretary": other_secretary}
    return posts, logins


ICT_SECRETARY = {"secretary": 200, "chair": 403, "member": 403, "outsider": 404, "other_secretary": 404,
                 "admin": 200, None: 302}
OTHER_SECRETARY = {"secretary": 404, "chair": 404, "member": 404, "outsider": 403, "other_secretary": 200,
                   "admin": 200, None: 302}
ADMIN_ONLY = {"secretary": 403, "chair": 403, "member": 403, "outsider": 403, "other_secretary": 403,
              "admin": 200, None: 302}
ADMIN_ONLY_ICT = {**ADMIN_ONLY, "outsider": 404, "other_secretary": 404}
ANYONE = {role: 200 for role in ROLES} | {None: 302}
ADMIN_SITE = {role: 302 for role in ROLES} | {"admin": 200}

EXPECTED_GET = {
    "clusters": ANYONE, "cluster-new": ADMIN_ONLY, "cluster-edit": ICT_SECRETARY, "roles": ICT_SECRETARY,
    "roles-other": OTHER_SECRETARY, "revoke": {role: 405 for role in ROLES} | {None: 302},
    "body-new": ICT_SECRETARY, "body-new-other": OTHER_SECRETARY, "body-edit": ICT_SECRETARY,
    "person-login": ADMIN_ONLY_ICT, "admin-role-add": ADMIN_SITE, "admin-person-change": ADMIN_SITE,
}


def saved(expected):
    return {role: 302 if status == 200 else status for role, status in expected.items()}


EXPECTED_POST = {
    "clusters": {role: 405 for role in ROLES} | {None: 302},
    **{name: saved(EXPECTED_GET[name]) for name in (
        "cluster-new", "cluster-edit", "roles", "roles-other", "body-new", "body-new-other", "body-edit",
        "person-login")},
    "revoke": saved(ICT_SECRETARY),
    # The admin is tested for those who must not get in; the superuser's own admin is in test_admin.
    "admin-role-add": {role: 302 for role in ROLES if role != "admin"},
    "admin-person-change": {role: 302 for role in ROLES if role != "admin"},
}
ALLOWED_POST = {(name, role) for name, table in EXPECTED_POST.items() for role, status in table.items()
                if status == 302 and role is not None and not name.startswith("admin-")}


def register_state():
    """Everything a forbidden write could touch, as values (last_login moves with every login)."""
    user_fields = [f.attname for f in get_user_model()._meta.concrete_fields if f.attname != "last_login"]
    return [
        list(model.objects.order_by("pk").values_list(*fields))
        for model, fields in (
            (Cluster, [f.attname for f in Cluster._meta.concrete_fields]),
            (Body, [f.attname for f in Body._meta.concrete_fields]),
            (ClusterRole, ["pk", "user_id", "cluster_id", "role"]),
            (Person, [f.attname for f in Person._meta.concrete_fields]),
            (get_user_model(), user_fields),
        )
    ] + [list(get_user_model().groups.through.objects.values_list("pk"))]


def client_for(logins, role):
    client = Client()
    if role is not None:
        client.force_login(logins[role])
    return client


GET_CASES = [(name, role) for name in EXPECTED_GET for role in ROLES]
POST_CASES = [(name, role) for name in EXPECTED_POST for role in EXPECTED_POST[name]]


@pytest.mark.parametrize("name, role", GET_CASES, ids=[f"get-{n}-{r}" for n, r in GET_CASES])
def test_get(setting, name, role):
    posts, logins = setting
    response = client_for(logins, role).get(posts[name][0])
    assert response.status_code == EXPECTED_GET[name][role]
    if role is None:
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("name, role", POST_CASES, ids=[f"post-{n}-{r}" for n, r in POST_CASES])
def test_post(setting, name, role):
    posts, logins = setting
    url, data = posts[name]
    client = client_for(logins, role)
    before = register_state()
    response = client.post(url, data)
    assert response.status_code == EXPECTED_POST[name][role]
    if (name, role) in ALLOWED_POST:
        assert register_state() != before, "an allowed POST must save (else the payload proves nothing)"
    else:
        if response.status_code == 302:
            assert "/login/" in response["Location"]
        assert register_state() == before


def test_other_secretary_sees_her_own_cluster_only_in_the_list(setting):
    _posts, logins = setting
    html = client_for(logins, "other_secretary").get("/clusters/").content.decode()
    assert "Кластер машиностроения" in html and "информационно-коммуникационных" not in html


def test_other_secretary_body_lands_in_her_cluster(setting, demo):
    posts, logins = setting
    client_for(logins, "other_secretary").post(*posts["body-new-other"])
    assert Body.objects.get(name=body_post()["name"]).cluster == demo["other_cluster"]
    assert Body.objects.filter(cluster=demo["other_cluster"], kind=BodyKind.WORKING_GROUP).count() == 1
