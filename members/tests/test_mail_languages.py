"""The set-password invitation: a text body and an HTML alternative, in the login's language."""

import re

import pytest
from django.core import mail

from core.models import user_language_set
from core.testing import mail_parts
from members import services
from members.tests.test_clusters import set_up

pytestmark = pytest.mark.django_db

RESET_LINK = re.compile(r"http://[^/\s\"]+/accounts/reset/[^/\s\"]+/[^/\s\"]+/")


def test_a_new_secretary_gets_the_invitation_in_russian_with_the_link_in_both_parts(
        client_as, django_capture_on_commit_callbacks):
    set_up(client_as, django_capture_on_commit_callbacks)
    text, html = mail_parts(mail.outbox[-1])
    link = RESET_LINK.search(text).group(0)
    assert f'href="{link}"' in html and "Установить пароль" in html
    for part in (text, html):
        assert "Здравствуйте, Мария Иванова!" in part and "Ваша учётная запись: agro-secretary" in part


def test_a_login_that_chose_english_gets_it_in_english(users, demo, django_capture_on_commit_callbacks):
    user = users["member"]
    user_language_set(user=user, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services._send_set_password_mail(user=user, cluster=demo["cluster"])
    message = mail.outbox[-1]
    text, html = mail_parts(message)
    assert message.to == [user.email] and message.subject.startswith("Your login to the cluster portal:")
    for part in (text, html):
        assert f"Your login: {user.username}" in part and RESET_LINK.search(part) and "Здравствуйте" not in part


def test_the_html_escapes_the_name(users, demo, django_capture_on_commit_callbacks):
    user = users["member"]
    user.first_name = "<img src=x onerror=alert(1)>"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        services._send_set_password_mail(user=user, cluster=demo["cluster"])
    _text, html = mail_parts(mail.outbox[-1])
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_an_address_gets_the_language_of_the_login_behind_it(users, demo):
    from members.models import mail_languages

    chair, member = users["chair"], users["member"]
    person = chair.person
    person.email = "register@example.org"  # the register's address comes before the login's
    person.save()
    user_language_set(user=chair, language="en")
    user_language_set(user=member, language="ru")
    languages = mail_languages(["register@example.org", chair.email, member.email, "stranger@example.org", ""])
    assert languages == {"register@example.org": "en", chair.email: "en", member.email: "ru"}
