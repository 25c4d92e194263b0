import pytest
from django.contrib import admin

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"members", "meetings", "plans"}
)


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


def test_secretary_finds_the_seed_meetings_in_the_admin(client_as):
    content = client_as("secretary").get("/admin/meetings/meeting/").content.decode()
    assert "Протокол № 2 от 30 марта 2023 г." in content
    assert "Протокол от 20 ноября 2017 г." in content
    assert "Протокол № 1 от 10 февраля 2023 г." not in content  # another cluster


def test_secretary_finds_every_decision_in_the_admin(client_as):
    response = client_as("secretary").get("/admin/meetings/decision/")
    assert response.context["cl"].result_count == 18


def test_member_has_no_admin(client_as):
    assert client_as("member").get("/admin/").status_code == 302


def test_secretary_admin_filters_do_not_name_other_clusters(client_as):
    content = client_as("secretary").get("/admin/meetings/meeting/").content.decode()
    assert "Кластер машиностроения" not in content
