"""ops.mail.send_templated: one message per language, a text body and an HTML alternative each."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from core.models import user_language_set
from core.testing import has_cyrillic, mail_parts
from ops.mail import Recipient, as_recipient, render_templated, send_templated

pytestmark = pytest.mark.django_db

MEETING = SimpleNamespace(short_label="minutes No. 7 of 01.12.2026", list_title="заседания совета")
CONTEXT = {"meeting": MEETING, "comment": "<i>Fix</i> it", "url": "https://portal.example/meetings/7/"}


def test_recipients_are_grouped_by_language(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated("meetings/protocol_returned", CONTEXT,
                       ["a@example.org", Recipient("b@example.org", "en"), ("c@example.org", "en"), ("d@example.org", "xx"),
                        "a@example.org"])
    assert sorted(tuple(m.to) for m in mail.outbox) == [("a@example.org", "d@example.org"),
                                                          ("b@example.org", "c@example.org")]
    english = next(m for m in mail.outbox if "b@example.org" in m.to)
    text, html = mail_parts(english)
    assert english.subject == "Protocol returned for revision: minutes No. 7 of 01.12.2026"
    assert not has_cyrillic(english.subject) and "<i>Fix</i> it" in text and "&lt;i&gt;Fix&lt;/i&gt; it" in html


def test_a_login_is_written_to_in_its_chosen_language():
    user = get_user_model().objects.create_user("reader", email="reader@example.org")
    assert as_recipient(user) == Recipient("reader@example.org", "ru")
    user_language_set(user=user, language="en")
    assert as_recipient(user) == Recipient("reader@example.org", "en")


def test_the_subject_is_one_line_and_the_html_has_no_external_resources():
    rendered = render_templated("meetings/protocol_returned", CONTEXT, language="ru")
    assert "\n" not in rendered.subject and rendered.subject.startswith("Протокол возвращён на доработку")
    assert "<link" not in rendered.html and "<img" not in rendered.html and "<script" not in rendered.html
    assert "<title>Протокол возвращён на доработку: minutes No. 7 of 01.12.2026</title>" in rendered.html


def test_nothing_is_sent_to_nobody(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated("meetings/protocol_returned", CONTEXT, ["", Recipient("", "en")])
    assert mail.outbox == []
