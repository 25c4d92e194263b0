"""Who may open and post to every cluster set-up, body and role page: roles × URLs × methods.

Besides the demo roles there is the secretary of the other demo cluster. Every POST carries data
that would be saved if it were allowed: allowed POSTs must change the register, refused ones
(403, 404, 405, the login page) must leave clusters, bodies, grants, people and logins as they were.
"""

import dataclasses

import pytest
from django.test import Client

from core.testing import Row, cases, check
from members.models import Body, BodyKind, ClusterRole, Organization, PortalRole, SignatoriesStyle
from members.services import addressee_category_save
from members.tests.test_body_signatories import signatories_post
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
    other_council = Body.objects.get(cluster=demo["other_cluster"], kind=BodyKind.COUNCIL)
    category = addressee_category_save(cluster=demo["cluster"], name="Инициаторам создания центров",
                                       organizations=[demo["orgs"]["smolapo"]])
    machine_works = Organization.objects.get(short_name="ООО «Демо-Машзавод»")
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
        "body-signatories": (f"/members/bodies/{demo['council'].pk}/signatories/",
                             signatories_post(SignatoriesStyle.CHAIR)),
        "body-signatories-other": (f"/members/bodies/{other_council.pk}/signatories/",
                                   signatories_post(SignatoriesStyle.SECRETARY)),
        "person-login": (f"/members/people/{person.pk}/login/", {"user": guest.pk}),
        "addressees": (f"/clusters/{ict}/addressees/", {"name": "Колледжам", "organizations": [demo["orgs"]["college"].pk]}),
        "addressee-new": (f"/clusters/{ict}/addressees/new/",
                          {"name": "Колледжам", "organizations": [demo["orgs"]["college"].pk]}),
        "addressee-new-other": (f"/clusters/{other}/addressees/new/",
                                {"name": "Машиностроителям", "organizations": [machine_works.pk]}),
        "addressee-edit": (f"/clusters/{ict}/addressees/{category.pk}/edit/",
                           {"name": "Инициаторам создания центров в 2023 году", "organizations": [demo["orgs"]["copp"].pk]}),
        "addressee-edit-via-other": (f"/clusters/{other}/addressees/{category.pk}/edit/",
                                     {"name": "Чужая категория", "organizations": [machine_works.pk]}),
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
    "body-signatories": ICT_SECRETARY, "body-signatories-other": OTHER_SECRETARY,
    "person-login": ADMIN_ONLY_ICT, "admin-role-add": ADMIN_SITE, "admin-person-change": ADMIN_SITE,
    "addressees": ICT_SECRETARY, "addressee-new": ICT_SECRETARY, "addressee-new-other": OTHER_SECRETARY,
    "addressee-edit": ICT_SECRETARY,
    # An ICT category under the other cluster's address: not found, whoever asks.
    "addressee-edit-via-other": {**OTHER_SECRETARY, "other_secretary": 404, "admin": 404},
}


def saved(expected):
    return {role: 302 if status == 200 else status for role, status in expected.items()}


EXPECTED_POST = {
    "clusters": {role: 405 for role in ROLES} | {None: 302},
    **{name: saved(EXPECTED_GET[name]) for name in (
        "cluster-new", "cluster-edit", "roles", "roles-other", "body-new", "body-new-other", "body-edit",
        "body-signatories", "body-signatories-other", "person-login", "addressee-new", "addressee-new-other",
        "addressee-edit", "addressee-edit-via-other")},
    "addressees": {role: 405 for role in ROLES} | {None: 302},
    "revoke": saved(ICT_SECRETARY),
    # The admin is tested for those who must not get in; the superuser's own admin is in test_admin.
    "admin-role-add": {role: 302 for role in ROLES if role != "admin"},
    "admin-person-change": {role: 302 for role in ROLES if role != "admin"},
}
ALLOWED_POST = {(name, role) for name, table in EXPECTED_POST.items() for role, status in table.items()
                if status == 302 and role is not None and not name.startswith("admin-")}


def client_for(logins, role):
    client = Client()
    if role is not None:
        client.force_login(logins[role])
    return client


TABLE = [Row(name, lambda o, name=name: o[0][name][0], "get", EXPECTED_GET[name]) for name in EXPECTED_GET] + [
    Row(name, lambda o, name=name: o[0][name][0], "post", EXPECTED_POST[name], data=lambda o, name=name: o[0][name][1])
    for name in EXPECTED_POST
]


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permission_table(setting, row, role):
    posts, logins = setting
    if (row.name, role) in ALLOWED_POST:
        row = dataclasses.replace(row, saves=True)
    check(client_for(logins, role), row, role, setting)


def test_other_secretary_sees_her_own_cluster_only_in_the_list(setting):
    _posts, logins = setting
    html = client_for(logins, "other_secretary").get("/clusters/").content.decode()
    assert "Кластер машиностроения" in html and "информационно-коммуникационных" not in html


def test_other_secretary_body_lands_in_her_cluster(setting, demo):
    posts, logins = setting
    client_for(logins, "other_secretary").post(*posts["body-new-other"])
    assert Body.objects.get(name=body_post()["name"]).cluster == demo["other_cluster"]
    assert Body.objects.filter(cluster=demo["other_cluster"], kind=BodyKind.WORKING_GROUP).count() == 1
