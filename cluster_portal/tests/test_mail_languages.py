"""The language switch is kept for a login, and the password-reset e-mail follows it."""

import pytest
from django.core import mail
from django.utils import translation

from core.models import UserProfile, user_language
from core.testing import mail_parts

pytestmark = pytest.mark.django_db


def switch(client, language):
    # The middleware activates the language for this thread; give the next tests back theirs.
    with translation.override(translation.get_language()):
        return client.post("/i18n/setlang/", {"language": language, "next": "/"})


def reset(client, email, capture):
    with capture(execute=True), translation.override(translation.get_language()):
        response = client.post("/accounts/password-reset/", {"email": email})
    assert response.status_code == 302
    [message] = mail.outbox
    return message


def test_the_switch_keeps_a_logins_choice(client_as, users):
    response = switch(client_as("member"), "en")
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert user_language(users["member"]) == "en"
    switch(client_as("member"), "ru")
    assert UserProfile.objects.get(user=users["member"]).language == "ru"


def test_anonymous_switch_and_unknown_language_store_nothing(client, client_as, users):
    switch(client, "en")
    response = switch(client_as("member"), "de")
    assert response.status_code == 302 and not UserProfile.objects.exists()
    assert user_language(users["member"]) == "ru"


def test_the_reset_email_is_russian_by_default(users, client, django_capture_on_commit_callbacks):
    message = reset(client, users["member"].email, django_capture_on_commit_callbacks)
    text, html = mail_parts(message)
    assert message.subject.startswith("Восстановление пароля на")
    for part in (text, html):
        assert "/accounts/reset/" in part and "Пожалуйста, перейдите на эту страницу" in part
    assert 'href="http://testserver/accounts/reset/' in html


def test_the_reset_email_follows_the_logins_language_not_the_pages(users, client, client_as,
                                                                   django_capture_on_commit_callbacks):
    switch(client_as("member"), "en")  # chosen once, in another browser
    message = reset(client, users["member"].email, django_capture_on_commit_callbacks)  # this one: Russian
    text, html = mail_parts(message)
    assert message.subject.startswith("Password reset on")
    for part in (text, html):
        assert "/accounts/reset/" in part and "Please go to the following page" in part and "Пожалуйста" not in part


def login(client, username, password="Pole-Wheat-2026"):
    with translation.override(translation.get_language()):
        return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_new_browser_gets_the_language_the_login_chose(users, client, client_as):
    users["member"].set_password("Pole-Wheat-2026")
    users["member"].save()
    switch(client_as("member"), "en")
    response = login(client, "member")
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"


def test_a_browser_that_chose_keeps_its_choice_at_login(users, client, client_as):
    users["member"].set_password("Pole-Wheat-2026")
    users["member"].save()
    switch(client_as("member"), "en")
    switch(client, "ru")  # on the login page of this browser
    response = login(client, "member")
    assert response.status_code == 302 and "django_language" not in response.cookies
