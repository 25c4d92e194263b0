"""Who a request's session belongs to: the session row and the user with their register entry, each a prepared
query (core/sessions.py, members/backends.py), and the same answers as Django's own db store and ModelBackend."""

import datetime

import pytest
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends import db as django_db_sessions
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.sessions import SessionStore
from members.models import Person

pytestmark = pytest.mark.django_db


def request_with(session_key):
    request = RequestFactory().get("/")
    request.session = SessionStore(session_key)
    return request


def session_key_of(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_portal_uses_its_session_store():
    assert settings.SESSION_ENGINE == "core.sessions"
    assert isinstance(Client().session, SessionStore)


def test_a_session_gives_its_user_with_the_register_entry_in_two_queries(client_as, users):
    key = session_key_of(client_as("member"))
    with CaptureQueriesContext(connection) as queries:
        user = auth.get_user(request_with(key))
        organization = user.person.organization.short_name
    assert user.pk == users["member"].pk
    assert organization == users["member"].person.organization.short_name
    assert len(queries) == 2, [q["sql"] for q in queries]


def test_each_session_gives_its_own_user(client_as, users):
    keys = {role: session_key_of(client_as(role)) for role in ("member", "secretary", "chair")}
    for role, key in keys.items():
        assert auth.get_user(request_with(key)).username == users[role].username
    assert auth.get_user(request_with(keys["member"])).username == users["member"].username


def test_a_session_made_by_djangos_own_store_is_read(users):
    store = django_db_sessions.SessionStore()
    store[auth.SESSION_KEY] = str(users["chair"].pk)
    store[auth.BACKEND_SESSION_KEY] = "members.backends.PortalBackend"
    store[auth.HASH_SESSION_KEY] = users["chair"].get_session_auth_hash()
    store["kept"] = [1, "два"]
    store.save()
    ours = SessionStore(store.session_key)
    assert ours["kept"] == [1, "два"]
    assert auth.get_user(request_with(store.session_key)).pk == users["chair"].pk


def test_an_expired_session_is_no_session(client_as):
    client = client_as("member")
    assert client.get("/meetings/").status_code == 200
    key = session_key_of(client)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert isinstance(auth.get_user(request_with(key)), AnonymousUser)
    response = client.get("/meetings/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    store = SessionStore(key)
    assert store.load() == {} and store.session_key is None


def test_an_unknown_key_is_no_session_and_saves_nothing():
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    count = Session.objects.count()
    response = client.get("/meetings/")
    assert response.status_code == 302
    assert Session.objects.count() == count


def test_a_session_of_a_deactivated_or_deleted_user_is_anonymous(client_as, users):
    key = session_key_of(client_as("member"))
    users["member"].is_active = False
    users["member"].save(update_fields=["is_active"])
    assert isinstance(auth.get_user(request_with(key)), AnonymousUser)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert client.get("/meetings/").status_code == 302


def test_after_logout_the_old_cookie_is_anonymous(client_as):
    client = client_as("secretary")
    key = session_key_of(client)
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = key
    assert stale.get("/meetings/").status_code == 302


def test_a_user_without_a_register_entry_is_recognised_without_a_query_for_it(users, django_user_model):
    user = django_user_model.objects.create_user("no-person", password="x-pass-12345")
    assert not Person.objects.filter(user=user).exists()
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        got = auth.get_user(request_with(session_key_of(client)))
        has_person = hasattr(got, "person")
    assert got.pk == user.pk and not has_person
    assert len(queries) == 2


def test_a_changed_password_ends_the_other_sessions(client_as, users):
    key = session_key_of(client_as("member"))
    users["member"].set_password("a-new-pass-98765")
    users["member"].save()
    assert isinstance(auth.get_user(request_with(key)), AnonymousUser)


def test_the_backend_refuses_a_user_id_that_is_not_a_number():
    from members.backends import PortalBackend

    assert PortalBackend().get_user("not-a-number") is None
    assert PortalBackend().get_user(None) is None
    assert PortalBackend().get_user(-1) is None
