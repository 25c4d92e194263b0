"""Errors are JSON with Russian messages; rate limits per token (and per login for the docs' session)."""

import pytest
from django.conf import settings
from django.test import override_settings

from api.services import api_token_create
from api.tests.test_tokens import bearer

pytestmark = pytest.mark.django_db


def rates(read, write="100/min"):
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK,
                                             "DEFAULT_THROTTLE_RATES": {"api": read, "api-write": write}})


def test_a_token_over_its_limit_gets_429_in_russian(users):
    _token, secret = api_token_create(user=users["member"], name="Отчёты")
    client = bearer(secret)
    with rates("3/min"):
        assert [client.get("/api/v1/clusters/").status_code for _ in range(3)] == [200, 200, 200]
        response = client.get("/api/v1/clusters/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response.json()["detail"].startswith("Запрос был проигнорирован")
    assert int(response["Retry-After"]) > 0


def test_each_token_has_its_own_budget(users):
    _a, first = api_token_create(user=users["member"], name="Первый")
    _b, second = api_token_create(user=users["member"], name="Второй")
    with rates("2/min"):
        for _ in range(2):
            bearer(first).get("/api/v1/clusters/")
        assert bearer(first).get("/api/v1/clusters/").status_code == 429
        assert bearer(second).get("/api/v1/clusters/").status_code == 200


def test_reports_have_a_tighter_budget_of_their_own(users, member_assignment):
    _token, secret = api_token_create(user=users["member"], name="Отчёты")
    client = bearer(secret)
    with rates("100/min", write="1/min"):
        first = client.post(f"/api/v1/assignments/{member_assignment.pk}/reports/", {"text": "Готово."}, format="json")
        second = client.post(f"/api/v1/assignments/{member_assignment.pk}/reports/", {"text": "Ещё."}, format="json")
        read = client.get(f"/api/v1/assignments/{member_assignment.pk}/")
    assert (first.status_code, second.status_code, read.status_code) == (201, 429, 200)


def test_a_session_login_is_limited_per_user(client_as):
    client = client_as("member")
    with rates("1/min"):
        assert client.get("/api/v1/clusters/").status_code == 200
        assert client.get("/api/v1/clusters/").status_code == 429


@pytest.mark.parametrize("url, code", [
    ("/api/v1/assignments/?status=nonsense", "invalid"),
    ("/api/v1/assignments/?deadline_after=abc", "invalid"),
    ("/api/v1/assignments/?cluster=abc", "invalid"),
    ("/api/v1/meetings/?year=abc", "invalid"),
    ("/api/v1/decisions/?year=1", "invalid"),
    ("/api/v1/plans/?cluster=999999", "invalid"),
    ("/api/v1/clusters/1/organizations/?on=abc", "invalid"),
])
def test_a_bad_filter_is_a_400_with_the_fields_message(api_as, url, code):
    response = api_as("member").get(url)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["errors"]
    assert any("а" <= ch <= "я" for ch in body["detail"].lower()), body  # Russian


@pytest.mark.parametrize("url", ["/api/v1/assignments/?page=abc", "/api/v1/assignments/?page=999",
                                 "/api/v1/meetings/999999999/", "/api/v1/meetings/abc/", "/api/v1/nothing/"])
def test_not_found_is_json_in_russian(api_as, url):
    response = api_as("member").get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert any("а" <= ch <= "я" for ch in response.json()["detail"].lower())


def test_another_clusters_object_is_a_404_that_says_nothing_about_it(api_as, foreign_assignment):
    response = api_as("member").get(f"/api/v1/assignments/{foreign_assignment.pk}/")
    assert response.json() == {"detail": "Не найдено: такого объекта нет или у вас нет к нему доступа.",
                               "code": "not_found"}


def test_a_refused_report_is_a_403_in_russian(api_as, other_assignment):
    response = api_as("member").post(f"/api/v1/assignments/{other_assignment.pk}/reports/", {"text": "x"},
                                     format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["detail"] == "У вас недостаточно прав для выполнения данного действия."


def test_filters_narrow_the_lists(api_as, demo):
    client = api_as("member")
    meetings = client.get("/api/v1/meetings/?year=2023").json()["results"]
    assert meetings and all(m["year"] == 2023 for m in meetings)
    decisions = client.get(f"/api/v1/decisions/?year=2017&cluster={demo['cluster'].pk}").json()["results"]
    assert decisions and all(d["meeting"]["date"].startswith("2017") for d in decisions)
    reported = client.get("/api/v1/assignments/?status=reported").json()["results"]
    assert all(a["status"] == "reported" for a in reported)
    ranged = client.get("/api/v1/assignments/?deadline_after=2023-05-01&deadline_before=2023-05-31").json()["results"]
    assert all("2023-05-01" <= a["deadline"] <= "2023-05-31" for a in ranged)
    plans = client.get("/api/v1/plans/?year=2023").json()["results"]
    assert [p["id"] for p in plans] == [demo["plan_2023"].pk]
