"""Bodies are added and edited in the portal; adding a namesake organisation, person, body or
cluster asks «Уже есть …: это она?» first; body choices name their cluster."""

import pytest

from core.errors import DomainError
from members import services
from members.models import AgendaNumbering, Body, BodyKind, Cluster, MembershipStatus, Organization, OrganizationKind, Person
from members.names import normalize
from members.tests.test_clusters import cluster_post

pytestmark = pytest.mark.django_db


def test_names_are_compared_without_case_quotes_and_extra_spaces():
    assert normalize('ООО  "Демо-Машзавод"') == normalize("ооо «Демо - Машзавод»") == normalize("ООО Демо-Машзавод")


# ---------------------------------------------------------------- bodies

def body_post(**overrides):
    return {"kind": BodyKind.WORKING_GROUP, "name": "Рабочая группа по цифровой экономике",
            "name_genitive": "рабочей группы", "agenda_numbering": AgendaNumbering.ARABIC,
            "attendance_list_limit": "20", **overrides}


def test_secretary_adds_a_body_to_her_cluster(client_as, demo):
    response = client_as("secretary").post(f"/clusters/{demo['cluster'].pk}/bodies/new/",
                                           body_post(parent=demo["council"].pk))
    body = Body.objects.get(name="Рабочая группа по цифровой экономике")
    assert response["Location"] == f"/members/bodies/{body.pk}/"
    assert (body.cluster, body.parent, body.attendance_list_limit) == (demo["cluster"], demo["council"], 20)


def test_parent_body_from_another_cluster_is_not_offered(client_as, demo):
    other = Body.objects.get(cluster=demo["other_cluster"])
    response = client_as("secretary").post(f"/clusters/{demo['cluster'].pk}/bodies/new/", body_post(parent=other.pk))
    assert response.status_code == 200 and "parent" in response.context["form"].errors


def test_parent_body_from_another_cluster_is_refused_by_the_service(demo):
    other = Body.objects.get(cluster=demo["other_cluster"])
    with pytest.raises(DomainError, match="Вышестоящий орган относится к другому кластеру."):
        services.body_create(cluster=demo["cluster"], kind=BodyKind.WORKING_GROUP, name="Группа", parent=other)


def test_secretary_edits_a_body_without_protocols(client_as, demo):
    group = demo["working_group"]
    client_as("secretary").post(f"/members/bodies/{group.pk}/edit/", body_post(name="Рабочая группа (новая)"))
    group.refresh_from_db()
    assert (group.name, group.attendance_list_limit) == ("Рабочая группа (новая)", 20)


def test_printed_settings_of_a_council_with_signed_protocols_are_fixed(demo):
    with pytest.raises(DomainError, match="уже есть утверждённые или подписанные протоколы"):
        services.body_update(body=demo["council"], agenda_numbering=AgendaNumbering.ROMAN)


def test_body_cannot_be_inside_its_sub_body(demo):
    with pytest.raises(DomainError, match="Орган не может входить в самого себя."):
        services.body_update(body=demo["council"], parent=demo["presidium"])


def test_body_choices_in_the_editor_name_the_cluster(client_as, demo):
    html = client_as("admin").get("/meetings/new/").content.decode()
    assert "Координационный совет (Кластер ИКТ)" in html and "Координационный совет (Кластер машиностроения)" in html


def test_body_filter_of_the_meeting_list_names_the_cluster(client_as):
    assert "Президиум Координационного совета (Кластер ИКТ)" in client_as("secretary").get("/meetings/").content.decode()


# ---------------------------------------------------------------- «уже есть …: это она?»

def test_namesake_body_asks_first(client_as, demo):
    url = f"/clusters/{demo['cluster'].pk}/bodies/new/"
    html = client_as("secretary").post(url, body_post(name="координационный  СОВЕТ")).content.decode()
    assert "Уже есть орган кластера с таким наименованием: это он?" in html
    assert f'href="/members/bodies/{demo["council"].pk}/"' in html.split('id="duplicates"')[1]
    assert Body.objects.filter(cluster=demo["cluster"]).count() == 3


def test_namesake_body_is_added_with_the_confirmation(client_as, demo):
    url = f"/clusters/{demo['cluster'].pk}/bodies/new/"
    client_as("secretary").post(url, body_post(name="Координационный совет", confirm_duplicate="on"))
    assert Body.objects.filter(cluster=demo["cluster"], name="Координационный совет").count() == 2


def test_same_body_name_in_another_cluster_does_not_ask(client_as, demo):
    response = client_as("admin").post(f"/clusters/{demo['other_cluster'].pk}/bodies/new/",
                                       body_post(name="Президиум Координационного совета"))
    assert response.status_code == 302


def org_post(demo, **overrides):
    return {"full_name": "Общество с ограниченной ответственностью «Новый завод»", "short_name": "ООО «Новый завод»",
            "kind": OrganizationKind.EMPLOYER, "cluster": demo["cluster"].pk, "status": MembershipStatus.JOINED,
            "on": "2024-02-01", **overrides}


def test_namesake_organisation_asks_first(client_as, demo):
    copp = demo["orgs"]["copp"]
    response = client_as("secretary").post("/members/organizations/new/",
                                           org_post(demo, full_name=copp.full_name.upper(), short_name=""))
    html = response.content.decode()
    assert "Уже есть организация с таким наименованием: это она?" in html
    assert f'href="/members/organizations/{copp.pk}/"' in html and 'name="confirm_duplicate"' in html
    assert Organization.objects.filter(full_name__iexact=copp.full_name).count() == 1


def test_namesake_organisation_is_added_with_the_confirmation(client_as, demo):
    copp = demo["orgs"]["copp"]
    before = Organization.objects.count()
    client_as("secretary").post("/members/organizations/new/",
                                org_post(demo, full_name=copp.full_name, short_name="", confirm_duplicate="on"))
    assert Organization.objects.count() == before + 1


def test_organisation_of_another_cluster_is_not_named_to_the_secretary(client_as, demo):
    # The other cluster's organisations are invisible to her: asking would tell her they exist.
    response = client_as("secretary").post("/members/organizations/new/",
                                           org_post(demo, full_name='ООО "Демо-Машзавод"', short_name=""))
    assert response.status_code == 302


def test_new_organisation_does_not_ask(client_as, demo):
    assert client_as("secretary").post("/members/organizations/new/", org_post(demo)).status_code == 302


def test_namesake_person_in_another_organisation_asks_first(client_as, demo):
    zaryankina = demo["people"]["zaryankina"]
    other_org = demo["orgs"]["man"]
    data = {"last_name": "Зарянкина", "first_name": "О.", "organization": other_org.pk}
    html = client_as("secretary").post("/members/people/new/", data).content.decode()
    assert "Уже есть человек с таким именем: это он?" in html and f"/members/people/{zaryankina.pk}/" in html
    client_as("secretary").post("/members/people/new/", {**data, "confirm_duplicate": "on"})
    assert Person.objects.filter(last_name="Зарянкина").count() == 2


def test_namesake_cluster_asks_first(client_as, demo):
    html = client_as("admin").post("/clusters/new/", cluster_post(short_name="кластер  ИКТ")).content.decode()
    assert "Уже есть кластер с таким наименованием: это он?" in html
    assert f'href="/members/?cluster={demo["cluster"].pk}"' in html
    assert Cluster.objects.count() == 3  # nothing created: the two demo clusters and the demo authority


FROZEN_NAMES = ("наименование, наименование в родительном падеже, нумерация повестки, предельная численность "
                "списка присутствующих, вид протокола и номера решений")


@pytest.mark.parametrize("field, value, named", [
    ("agenda_numbering", AgendaNumbering.ROMAN, "нумерация повестки"),
    ("protocol_layout", "question", "вид протокола"),
    ("decision_numbering", "none", "номера решений"),
])
def test_the_refusal_names_every_frozen_setting_and_the_one_changed(demo, field, value, named):
    with pytest.raises(DomainError, match=f"напечатаны {FROZEN_NAMES}: их изменить нельзя "
                                          rf"\(здесь изменено: {named}\)"):
        services.body_update(body=demo["council"], **{field: value})
    assert getattr(Body.objects.get(pk=demo["council"].pk), field) != value


def test_the_body_form_shows_the_refusal_and_keeps_the_layout_and_numbering(client_as, demo):
    council = demo["council"]
    data = {"kind": council.kind, "name": council.name, "name_genitive": council.name_genitive,
            "agenda_numbering": council.agenda_numbering, "attendance_list_limit": council.attendance_list_limit or "",
            "protocol_layout": "single_block", "decision_numbering": "per_item"}
    response = client_as("secretary").post(f"/members/bodies/{council.pk}/edit/", data)
    assert response.status_code == 200
    assert "(здесь изменено: вид протокола и номера решений)" in response.content.decode()
    council = Body.objects.get(pk=council.pk)
    assert (council.protocol_layout, council.decision_numbering) == ("per_item", "hierarchical")
