"""Who signs a body's protocols: /members/bodies/<id>/signatories/ (the secretary of the body's cluster).
A set list names people of the cluster's register with the position printed above each name; bad input
gets a Russian message beside the field and nothing is saved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Body, BodySignatory, SignatoriesStyle

pytestmark = pytest.mark.django_db


def url(body):
    return f"/members/bodies/{body.pk}/signatories/"


def signatories_post(style, rows=(), extra=3):
    """POST data of the signatories page: ``rows`` are (person id, printed position)."""
    rows = list(rows) + [("", "")] * extra
    data = {"style": style, "signers-TOTAL_FORMS": len(rows), "signers-INITIAL_FORMS": 0,
            "signers-MIN_NUM_FORMS": 0, "signers-MAX_NUM_FORMS": 20}
    for n, (person, label) in enumerate(rows):
        data[f"signers-{n}-person"], data[f"signers-{n}-label"] = person, label
    return data


def test_secretary_sets_signers_in_a_set_order(client_as, demo):
    council, p = demo["council"], demo["people"]
    response = client_as("secretary").post(url(council), signatories_post(SignatoriesStyle.CUSTOM, [
        (p["rudometkin"].pk, "Начальник Департамента цифрового развития Смоленской области"),
        (p["ivanova"].pk, "Начальник отдела профессионального образования"),
    ]))
    assert response.status_code == 302 and response["Location"] == f"/members/bodies/{council.pk}/"
    council.refresh_from_db()
    assert council.signatories == SignatoriesStyle.CUSTOM
    assert [(s.order, s.person, s.label) for s in council.signatory_rows.all()] == [
        (1, p["rudometkin"], "Начальник Департамента цифрового развития Смоленской области"),
        (2, p["ivanova"], "Начальник отдела профессионального образования")]
    page = client_as("secretary").get(f"/members/bodies/{council.pk}/").content.decode()
    assert "Начальник отдела профессионального образования А.А. Иванова" in page


def test_another_way_of_signing_drops_the_list(client_as, demo):
    council, p = demo["council"], demo["people"]
    BodySignatory.objects.create(body=council, person=p["rudometkin"], label="Директор", order=1)
    client_as("secretary").post(url(council), signatories_post(SignatoriesStyle.SECRETARY))
    council.refresh_from_db()
    assert council.signatories == SignatoriesStyle.SECRETARY and not council.signatory_rows.exists()


@pytest.mark.parametrize("rows, field, message", [
    ([], None, "Укажите хотя бы одного подписанта"),
    ([("", "Директор")], "person", "Выберите, кто подписывает под этой должностью."),
    ([("rudometkin", "")], "label", "Укажите должность, которая печатается перед именем."),
    ([("rudometkin", "Директор"), ("rudometkin", "Заместитель")], None, "Этот человек уже есть среди подписантов."),
    ([("outsider", "Директор")], "person", "Выберите корректный вариант"),
])
def test_bad_list_gets_a_russian_message_and_nothing_is_saved(client_as, demo, rows, field, message):
    council = demo["council"]
    people = {**demo["people"], "outsider": demo["outsider_person"]}
    rows = [(people[key].pk if key else "", label) for key, label in rows]
    response = client_as("secretary").post(url(council), signatories_post(SignatoriesStyle.CUSTOM, rows))
    assert response.status_code == 200 and message in response.content.decode()
    if field:
        assert field in response.context["formset"].forms[0].errors
    council.refresh_from_db()
    assert council.signatories == SignatoriesStyle.CHAIR_SECRETARY and not council.signatory_rows.exists()


def test_unknown_way_is_refused(client_as, demo):
    response = client_as("secretary").post(url(demo["council"]), signatories_post("everyone"))
    assert response.status_code == 200 and "style" in response.context["form"].errors
    assert Body.objects.get(pk=demo["council"].pk).signatories == SignatoriesStyle.CHAIR_SECRETARY


def test_page_queries_do_not_grow_with_the_register_and_the_list(client_as, demo, add_organizations, add_people,
                                                                 django_assert_max_num_queries):
    client, council = client_as("secretary"), demo["council"]
    Body.objects.filter(pk=council.pk).update(signatories=SignatoriesStyle.CUSTOM)
    BodySignatory.objects.create(body=council, person=demo["people"]["rudometkin"], label="Директор", order=1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(council)).status_code == 200
    with CaptureQueriesContext(connection) as small_detail:
        assert client.get(f"/members/bodies/{council.pk}/").status_code == 200
    people = add_people(add_organizations(1)[0], 60)
    BodySignatory.objects.bulk_create(BodySignatory(body=council, person=person, label=f"Член совета {n}", order=n)
                                      for n, person in enumerate(people[:15], start=2))
    with django_assert_max_num_queries(len(small)):
        response = client.get(url(council))
    assert "Член совета 15" in response.content.decode()
    with django_assert_max_num_queries(len(small_detail)):
        assert "Член совета 15" in client.get(f"/members/bodies/{council.pk}/").content.decode()
