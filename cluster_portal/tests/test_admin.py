"""The Django admin is the portal administrators' alone: secretaries, chairs and members get
no admin page (not even one made staff by hand), the superuser keeps every page."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from cluster_portal.demo import DEMO_PASSWORD, FORMER_SECRETARIES_GROUP, load_demo
from members.models import ClusterRole, PortalRole

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"members", "meetings", "plans"}
)
EVERY_MODEL = sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)
# django-axes' login attempts are a read-only log (no add page); the administrator deletes
# an attempt there to lift a lockout; the background tasks' results and the workers' heartbeats are
# read-only logs too (ops.admin). A protocol correction is started from the protocol page only; a
# protocol import from /meetings/import/ only (its admin page is read-only).
READ_ONLY_APPS = {"axes", "django_tasks_database", "ops"}
NO_ADD_PAGE = {("documents", "protocolcorrection"), ("meetings", "protocolimport")}
ADMIN_URLS = ["/admin/"] + [
    f"/admin/{app}/{model}/{page}" for app, model in EVERY_MODEL for page in ("", "add/")
    if not (page == "add/" and (app in READ_ONLY_APPS or (app, model) in NO_ADD_PAGE))
]
NOT_ADMINS = ["secretary", "chair", "member", "outsider"]


@pytest.mark.parametrize("app_label,model_name", MODELS)
def test_changelist_loads_for_superuser(app_label, model_name, client_as, django_assert_max_num_queries):
    client = client_as("admin")
    with django_assert_max_num_queries(25):
        response = client.get(f"/admin/{app_label}/{model_name}/")
    assert response.status_code == 200


@pytest.mark.parametrize("app_label,model_name", MODELS)
def test_change_form_loads_for_superuser(app_label, model_name, client_as):
    model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app_label, model_name))
    obj = model.objects.first()
    if obj is None:
        pytest.skip("no demo row of this model")
    response = client_as("admin").get(f"/admin/{app_label}/{model_name}/{obj.pk}/change/")
    assert response.status_code == 200


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_superuser_opens_every_admin_page(url, client_as):
    assert client_as("admin").get(url).status_code == 200


@pytest.mark.parametrize("role", NOT_ADMINS)
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_nobody_else_gets_an_admin_page(url, role, client_as):
    response = client_as(role).get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_secretary_made_staff_by_hand_still_gets_no_admin(client_as, users):
    users["secretary"].is_staff = True
    users["secretary"].save()
    response = client_as("secretary").get("/admin/members/clusterrole/add/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_secretary_cannot_post_a_role_grant_through_the_admin(client_as, demo, users):
    before = ClusterRole.objects.count()
    response = client_as("secretary").post("/admin/members/clusterrole/add/", {
        "user": users["secretary"].pk, "cluster": demo["cluster"].pk, "role": PortalRole.CHAIR,
        "granted_at_0": "01.01.2026", "granted_at_1": "10:00",
    })
    assert response.status_code == 302 and ClusterRole.objects.count() == before


def test_admin_login_page_refuses_the_secretary(client):
    response = client.post("/admin/login/", {"username": "secretary", "password": DEMO_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_navbar_links_the_admin_for_the_superuser_only(client_as):
    assert 'href="/admin/"' in client_as("admin").get("/").content.decode()
    assert 'href="/admin/"' not in client_as("secretary").get("/").content.decode()


def test_no_demo_login_but_the_administrator_is_staff(users):
    assert [name for name, user in users.items() if user.is_staff] == ["admin"]


def test_load_demo_takes_staff_and_the_secretaries_group_away_on_an_old_database(users):
    group = Group.objects.create(name=FORMER_SECRETARIES_GROUP)
    users["secretary"].is_staff = True
    users["secretary"].save()
    users["secretary"].groups.add(group)
    load_demo()
    users["secretary"].refresh_from_db()
    assert not users["secretary"].is_staff
    assert not Group.objects.filter(name=FORMER_SECRETARIES_GROUP).exists()


def test_the_admin_offers_no_empty_protocol_correction(client_as):
    """Every field of a correction is read-only: its add page answered the superuser's POST with a 500."""
    client = client_as("admin")
    assert client.get("/admin/documents/protocolcorrection/add/").status_code == 403
    assert client.post("/admin/documents/protocolcorrection/add/", {}).status_code == 403
