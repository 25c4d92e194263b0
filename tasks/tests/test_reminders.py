import datetime
import pathlib
import re

import pytest
import time_machine
from django.core.management import call_command

from tasks.models import SentNotification
from tasks import notifications

MEMBER = "member@demo.cluster-portal.local"
SECRETARY = "secretary@demo.cluster-portal.local"


def run():
    call_command("send_reminders", stdout=open("/dev/null", "w"))


def on(day):
    return time_machine.travel(datetime.datetime(*day, 9, 0, tzinfo=datetime.UTC), tick=False)


def to(outbox, address, word):
    return [m for m in outbox if m.to == [address] and word in m.subject]


def test_seven_day_reminder_is_sent_once_however_often_cron_runs(demo, member_assignment, mailoutbox):
    with on((2023, 5, 5)):
        run()
        run()
    reminders = to(mailoutbox, MEMBER, "Напоминание")
    assert len(reminders) == 1
    assert f"/tasks/{member_assignment.pk}/" in reminders[0].body


def test_one_day_reminder_follows_the_seven_day_one(demo, member_assignment, mailoutbox):
    for day in [(2023, 5, 5), (2023, 5, 6), (2023, 5, 11), (2023, 5, 11)]:
        with on(day):
            run()
    assert len(to(mailoutbox, MEMBER, "Напоминание")) == 2


def test_a_late_first_run_sends_only_the_nearest_reminder(demo, member_assignment, mailoutbox):
    with on((2023, 5, 12)):
        run()
    reminders = to(mailoutbox, MEMBER, "Напоминание")
    assert len(reminders) == 1
    assert "истекает сегодня" in reminders[0].subject


def test_new_assignment_is_announced_once(demo, member_assignment, mailoutbox):
    with on((2023, 4, 1)):
        run()
        run()
    created = to(mailoutbox, MEMBER, "Новое поручение")
    assert len(created) == 1
    assert "до 12 мая 2023 года" in created[0].body


def test_overdue_digest_goes_to_the_responsible_member_weekly(demo, member_assignment, mailoutbox):
    for day in [(2026, 11, 23), (2026, 11, 24), (2026, 11, 30)]:
        with on(day):
            run()
    digests = to(mailoutbox, MEMBER, "Просроченные поручения")
    assert len(digests) == 2
    assert "2 — протокол № 2 от 30.03.2023" in digests[0].body


def test_weekly_summary_goes_to_the_secretary(demo, mailoutbox):
    with on((2026, 11, 23)):
        run()
        run()
    summaries = to(mailoutbox, SECRETARY, "Еженедельная сводка")
    assert len(summaries) == 1
    assert "Просрочено:" in summaries[0].body


def test_a_failing_recipient_does_not_stop_the_others_and_is_retried(demo, member_assignment, mailoutbox, monkeypatch):
    real = notifications.send_mail

    def flaky(subject, body, sender, recipients, **kwargs):
        if recipients == [MEMBER]:
            raise ConnectionError("mailbox unavailable")
        return real(subject, body, sender, recipients, **kwargs)

    monkeypatch.setattr(notifications, "send_mail", flaky)
    with on((2026, 11, 23)):
        result = notifications.send_all()
    assert result.failed >= 1 and to(mailoutbox, SECRETARY, "Еженедельная сводка")
    monkeypatch.setattr(notifications, "send_mail", real)
    with on((2026, 11, 23)):
        run()
    assert len(to(mailoutbox, MEMBER, "Просроченные поручения")) == 1


def test_every_sent_email_is_keyed(demo, mailoutbox):
    with on((2026, 11, 23)):
        run()
    assert SentNotification.objects.count() == len(mailoutbox) > 0


@pytest.mark.parametrize("days_left, expected", [(8, None), (7, 7), (5, 7), (1, 1), (0, 1), (-1, None)])
def test_reminder_threshold(days_left, expected):
    assert notifications.reminder_threshold(days_left, [7, 1]) == expected


def test_emails_are_in_russian_with_links_to_the_site(demo, member_assignment, mailoutbox, settings):
    with on((2023, 5, 11)):
        run()
    body = to(mailoutbox, MEMBER, "Напоминание")[0].body
    assert "http://127.0.0.1:8000/tasks/" in body or settings.SITE_URL in body
    assert "Ответственный: СКТ (филиал) СПбГУТ" in body


def test_mail_templates_are_english_msgids_translated_in_the_catalogue():
    templates = (pathlib.Path(notifications.__file__).parent / "templates" / "tasks" / "email").glob("*.txt")
    assert not [t.name for t in templates if re.search("[А-Яа-яЁё]", t.read_text())]


def test_reminder_counts_days_with_russian_plurals(demo, member_assignment, mailoutbox):
    with on((2023, 5, 7)):
        run()
    reminder = to(mailoutbox, MEMBER, "Напоминание")[0]
    assert "до срока поручения осталось 5 дней" in reminder.subject
    assert "(осталось 5 дней)" in reminder.body


def test_mail_goes_to_the_register_email_before_the_logins(demo, member_assignment, mailoutbox):
    # Person.contact_email: what the secretary typed in the register wins over the login's address.
    for role, address in (("member", "kazakov@sut.example"), ("secretary", "kudryavtseva@admin.example")):
        person = demo["users"][role].person
        person.email = address
        person.save()
    with on((2026, 11, 23)):
        run()
    assert to(mailoutbox, "kazakov@sut.example", "Просроченные поручения")
    assert to(mailoutbox, "kudryavtseva@admin.example", "Еженедельная сводка")
    assert not [m for m in mailoutbox if MEMBER in m.to or SECRETARY in m.to]
