"""The protocol workflow's e-mails: a text body and an HTML alternative, in the recipient's language."""

import pytest
from django.core import mail

from core.models import user_language_set
from core.testing import mail_parts
from meetings.services import meeting_return, meeting_submit

pytestmark = pytest.mark.django_db

CHAIR = "chair@demo.cluster-portal.local"


def submit(draft, users, capture):
    with capture(execute=True):
        meeting_submit(meeting=draft, user=users["secretary"])
    [message] = [m for m in mail.outbox if CHAIR in m.to]
    return message


def test_the_chair_gets_the_protocol_for_approval_in_russian(draft, users, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://portal.example"
    message = submit(draft, users, django_capture_on_commit_callbacks)
    text, html = mail_parts(message)
    assert message.subject.startswith("Протокол на утверждение: протокол № 1 от 20.11.2026")
    link = f"https://portal.example/meetings/{draft.pk}/"
    for part in (text, html):
        assert "Секретарь направил вам на утверждение" in part and "20 ноября 2026 г." in part and link in part
    assert f'href="{link}"' in html and 'lang="ru"' in html and "Открыть протокол" in html


def test_a_chair_who_chose_english_gets_it_in_english(draft, users, django_capture_on_commit_callbacks):
    user_language_set(user=users["chair"], language="en")
    message = submit(draft, users, django_capture_on_commit_callbacks)
    text, html = mail_parts(message)
    assert message.subject.startswith("Protocol for approval: minutes No. 1 of 20.11.2026")
    for part in (text, html):
        assert "The secretary has sent you minutes No. 1" in part and "20 November 2026" in part
        assert f"/meetings/{draft.pk}/" in part and "Здравствуйте" not in part and "Кластерный портал" not in part
    assert 'lang="en"' in html and "Open the protocol" in html


def test_each_language_gets_its_own_message(draft, users, django_capture_on_commit_callbacks):
    # The chair reads English; a deputy chair of the cluster (a second recipient) keeps Russian.
    from members.models import ClusterRole, PortalRole

    ClusterRole.objects.create(user=users["member"], cluster=draft.cluster, role=PortalRole.DEPUTY_CHAIR)
    user_language_set(user=users["chair"], language="en")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_submit(meeting=draft, user=users["secretary"])
    by_address = {tuple(m.to): m.subject for m in mail.outbox}
    assert by_address[(CHAIR,)].startswith("Protocol for approval")
    assert by_address[("member@demo.cluster-portal.local",)].startswith("Протокол на утверждение")


def test_the_html_escapes_what_people_typed(draft, users, django_capture_on_commit_callbacks):
    draft.title = '<script>alert("x")</script> заседания'
    draft.save()
    text, html = mail_parts(submit(draft, users, django_capture_on_commit_callbacks))
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")</script>' in text  # plain text is not HTML: as typed


def test_the_secretary_gets_the_returned_protocol_with_the_comment(on_approval, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_return(meeting=on_approval, user=users["chair"], comment="Уточните срок <b>в 2.2</b>.")
    [message] = mail.outbox
    text, html = mail_parts(message)
    assert message.to == [on_approval.secretary.contact_email]
    assert message.subject == "Протокол возвращён на доработку: протокол № 9 от 20.11.2026"
    assert "Председатель вернул протокол № 9 от 20.11.2026 на доработку." in text
    assert "Уточните срок <b>в 2.2</b>." in text and "Уточните срок &lt;b&gt;в 2.2&lt;/b&gt;." in html
    assert f"/meetings/{on_approval.pk}/" in text and f'href="http' in html and f"/meetings/{on_approval.pk}/" in html


def test_a_secretary_who_chose_english_gets_the_return_in_english(on_approval, users, django_capture_on_commit_callbacks):
    secretary_login = on_approval.secretary.user
    assert secretary_login is not None
    user_language_set(user=secretary_login, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_return(meeting=on_approval, user=users["chair"], comment="Fix 2.2.")
    text, html = mail_parts(mail.outbox[0])
    assert mail.outbox[0].subject == "Protocol returned for revision: minutes No. 9 of 20.11.2026"
    for part in (text, html):
        assert "The chair has returned minutes No. 9 of 20.11.2026 for revision." in part and "Fix 2.2." in part
        assert "Комментарий" not in part
