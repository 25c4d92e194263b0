"""The four assignment e-mails: a text body and an HTML alternative, in the recipient's language."""

import pytest

from core.models import user_language_set
from core.testing import mail_parts
from meetings.models import Decision, signed_protocol_unlocked
from tasks.tests.test_reminders import MEMBER, SECRETARY, on, run

pytestmark = pytest.mark.django_db

# kind: (to, Russian subject, English subject, Russian text, English text)
KINDS = {
    "created": (MEMBER, "Новое поручение", "New assignment", "вам поручено", "you are assigned"),
    "reminder": (MEMBER, "Напоминание", "Reminder", "Напоминаем о сроке", "This is a reminder"),
    "overdue": (MEMBER, "Просроченные поручения", "Overdue assignments", "Срок исполнения", "The deadline of the"),
    "weekly": (SECRETARY, "Еженедельная сводка", "Weekly summary", "Просрочено:", "Overdue:"),
}


def every_kind(mailoutbox):
    """{kind: the one message of that kind}: a run in the week before the deadline, then one years later."""
    with on((2023, 5, 5)):
        run()  # the new assignment and the seven-day reminder
    with on((2026, 11, 23)):
        run()  # the overdue digest and the weekly summary
    return mailoutbox


def pick(outbox, to, word):
    """The first message to ``to`` whose subject starts with ``word`` (a secretary of two clusters gets two summaries)."""
    messages = [m for m in outbox if m.to == [to] and m.subject.startswith(word)]
    assert messages, f"no «{word}» to {to}: {[m.subject for m in outbox]}"
    return messages[0]


def test_every_kind_is_russian_by_default(demo, member_assignment, mailoutbox):
    outbox = every_kind(mailoutbox)
    for kind, (to, subject, _en_subject, words, _en_words) in KINDS.items():
        text, html = mail_parts(pick(outbox, to, subject))
        assert words in text and words in html, kind
        assert "Здравствуйте!" in html and 'lang="ru"' in html and "Кластерный портал" in html, kind
    created_text, created_html = mail_parts(pick(outbox, MEMBER, "Новое поручение"))
    link = f"/tasks/{member_assignment.pk}/"
    assert link in created_text and f'{link}"' in created_html and "Открыть поручение" in created_html


def test_every_kind_is_english_for_those_who_chose_english(demo, users, member_assignment, mailoutbox):
    user_language_set(user=users["member"], language="en")
    user_language_set(user=users["secretary"], language="en")
    outbox = every_kind(mailoutbox)
    for kind, (to, _ru_subject, subject, _ru_words, words) in KINDS.items():
        text, html = mail_parts(pick(outbox, to, subject))
        assert words in text and words in html, kind
        for part in (text, html):
            assert "Hello!" in part and "Здравствуйте" not in part and "Кластерный портал" not in part, kind
        assert 'lang="en"' in html, kind
    text, html = mail_parts(pick(outbox, MEMBER, "Reminder"))
    assert f"/tasks/{member_assignment.pk}/" in text and "Open the assignment" in html


def test_the_html_escapes_the_decision_text(demo, member_assignment, mailoutbox):
    with signed_protocol_unlocked():  # the demo protocol is signed
        Decision.objects.filter(pk=member_assignment.decision_id).update(text='Подготовить <script>alert("x")</script> отчёт')
    with on((2023, 5, 5)):
        run()
    text, html = mail_parts(pick(mailoutbox, MEMBER, "Новое поручение"))
    assert '<script>alert("x")</script>' in text
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
