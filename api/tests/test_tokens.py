"""Personal tokens: only a hash is stored, the secret is shown once, the owner revokes it on their page,
operators make one with ``manage.py api_token``; a revoked, unknown or malformed token is a 401."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from api.models import ApiToken, hash_token
from api.services import api_token_create, api_token_revoke
from core.errors import DomainError
from core.testing import Row, cases, check, expect

pytestmark = pytest.mark.django_db


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_only_a_hash_of_the_token_is_stored(users):
    token, secret = api_token_create(user=users["member"], name="Региональная система")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in repr(row)
    assert row["token_hash"] == hash_token(secret)
    assert secret.startswith(row["prefix"]) and len(row["prefix"]) < 16


def test_a_token_works_until_it_is_revoked(users):
    token, secret = api_token_create(user=users["member"], name="Отчёты")
    assert bearer(secret).get("/api/v1/clusters/").status_code == 200
    api_token_revoke(token=token)
    response = bearer(secret).get("/api/v1/clusters/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Токен недействителен или отозван.", "code": "authentication_failed"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_records_its_last_use(users):
    token, secret = api_token_create(user=users["member"], name="Отчёты")
    assert token.last_used_at is None
    bearer(secret).get("/api/v1/clusters/")
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer nonsense", "Bearer " + "x" * 500, "Bearer тест"])
def test_a_malformed_or_unknown_token_is_refused_in_russian(header):
    client = APIClient()
    response = client.get("/api/v1/clusters/", HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert any(word in response.json()["detail"] for word in ("Токен", "токен", "заголовок"))


def test_no_credentials_is_a_401_in_russian():
    response = APIClient().get("/api/v1/assignments/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Учетные данные не были предоставлены.", "code": "not_authenticated"}


def test_a_disabled_login_cannot_use_its_token(users):
    _token, secret = api_token_create(user=users["member"], name="Отчёты")
    users["member"].is_active = False
    users["member"].save()
    assert bearer(secret).get("/api/v1/clusters/").status_code == 401


def test_a_token_needs_a_name(users):
    with pytest.raises(DomainError):
        api_token_create(user=users["member"], name="  ")
    assert not ApiToken.objects.exists()


# ---------------------------------------------------------------- the user's page


def test_the_page_shows_a_new_token_once(client_as, users):
    client = client_as("member")
    response = client.post("/members/me/api-tokens/", {"name": "Региональная система"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    assert bearer(secret).get("/api/v1/assignments/").status_code == 200
    again = client.get("/members/me/api-tokens/").content.decode()
    assert secret not in again and "Региональная система" in again


def test_the_page_refuses_a_nameless_token(client_as):
    response = client_as("member").post("/members/me/api-tokens/", {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_on_the_page(client_as, users):
    token, secret = api_token_create(user=users["member"], name="Отчёты")
    response = client_as("member").post(f"/members/me/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer(secret).get("/api/v1/clusters/").status_code == 401


def test_the_page_lists_only_the_users_own_tokens(client_as, users):
    api_token_create(user=users["secretary"], name="Чужой токен")
    assert "Чужой токен" not in client_as("member").get("/members/me/api-tokens/").content.decode()


#       name                 url                                    method  secretary chair member outsider admin anonymous
PAGE_TABLE = [
    Row("page", "/members/me/api-tokens/", "get", expect(200, 200, 200, 200, 200, 302)),
    Row("create", "/members/me/api-tokens/", "post", expect(200, 200, 200, 200, 200, 302),
        data={"name": "Интеграция"}, saves=True),
    # the member's token: only the member revokes it; anyone else gets 404 and nothing changes
    Row("revoke", "/members/me/api-tokens/{token}/revoke/", "post", expect(404, 404, 302, 404, 404, 302), saves=True),
    Row("revoke-get", "/members/me/api-tokens/{token}/revoke/", "get", expect(405, 405, 405, 405, 405, 302)),
    Row("revoke-junk", "/members/me/api-tokens/99999999/revoke/", "post", expect(404, 404, 404, 404, 404, 302)),
]


@pytest.fixture
def page_objects(users):
    token, _secret = api_token_create(user=users["member"], name="Токен участника")
    return {"token": token.pk}


@pytest.mark.parametrize("row, role", cases(PAGE_TABLE))
def test_token_page_permission_table(client_as, page_objects, row, role):
    check(client_as(role), row, role, page_objects)


def test_the_token_page_queries_do_not_grow(client_as, users, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("member")
    api_token_create(user=users["member"], name="1")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/members/me/api-tokens/").status_code == 200
    for n in range(15):
        api_token_create(user=users["member"], name=f"t{n}")
    with django_assert_max_num_queries(len(small)):
        assert client.get("/members/me/api-tokens/").status_code == 200


# ---------------------------------------------------------------- the operators' command


def test_the_command_prints_a_working_token(users):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "member", "--name", "Минобрнауки", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert bearer(secret).get("/api/v1/clusters/").status_code == 200
    assert ApiToken.objects.get(user=users["member"]).name == "Минобрнауки"


def test_the_command_revokes_all_tokens(users):
    _token, secret = api_token_create(user=users["member"], name="Отчёты")
    call_command("api_token", "member", "--revoke-all", stdout=io.StringIO())
    assert bearer(secret).get("/api/v1/clusters/").status_code == 401


def test_the_command_refuses_an_unknown_user():
    with pytest.raises(CommandError):
        call_command("api_token", "nobody", stdout=io.StringIO())


def test_the_navigation_links_the_token_page(client_as):
    assert 'href="/members/me/api-tokens/"' in client_as("member").get("/").content.decode()
