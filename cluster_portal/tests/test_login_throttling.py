"""Login throttling (django-axes): wrong passwords lock the username+address pair out."""

import pytest
from django.test import Client, override_settings

from cluster_portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5


def post_login(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_wrong_passwords_lock_the_login_out_with_a_russian_page(users):
    client = Client()
    for _ in range(LIMIT - 1):
        assert post_login(client, "member", "wrong").status_code == 200
    locked = post_login(client, "member", "wrong")
    assert locked.status_code == 429
    assert "Слишком много попыток входа" in locked.content.decode()
    # the right password does not help during the cool-off
    after = post_login(client, "member", DEMO_PASSWORD)
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_lockout_is_per_username_and_address(users):
    client = Client()
    for _ in range(LIMIT):
        post_login(client, "member", "wrong")
    # the same login from another address, and another login from the same address, still work
    assert post_login(Client(), "member", DEMO_PASSWORD, ip="10.0.0.2").status_code == 302
    assert post_login(Client(), "chair", DEMO_PASSWORD).status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_a_few_wrong_passwords_then_the_right_one_logs_in(users):
    client = Client()
    for _ in range(LIMIT - 1):
        post_login(client, "member", "wrong")
    assert post_login(client, "member", DEMO_PASSWORD).status_code == 302
