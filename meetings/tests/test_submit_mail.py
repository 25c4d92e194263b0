import pytest
from django.core import mail

from meetings.models import Meeting, MeetingStatus
from meetings.services import meeting_submit

pytestmark = pytest.mark.django_db


def test_sending_for_approval_mails_the_chair_in_russian(demo, users, django_capture_on_commit_callbacks):
    Meeting.objects.filter(pk=demo["meeting_2017"].pk).update(status=MeetingStatus.DRAFT)
    meeting = Meeting.objects.get(pk=demo["meeting_2017"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_submit(meeting=meeting, user=users["secretary"])
    message = mail.outbox[-1]
    assert message.subject == "Протокол на утверждение: протокол от 20.11.2017"
    assert users["chair"].email in message.to
    assert f"/meetings/{meeting.pk}/" in message.body and "утвердить его или вернуть на доработку" in message.body


def test_the_chair_is_mailed_at_the_register_email_before_the_logins(demo, users, django_capture_on_commit_callbacks):
    # The one precedence (Person.contact_email), the same as the reminders use.
    chair = users["chair"].person
    chair.email = "rudometkin@admin.example"
    chair.save()
    Meeting.objects.filter(pk=demo["meeting_2017"].pk).update(status=MeetingStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_submit(meeting=Meeting.objects.get(pk=demo["meeting_2017"].pk), user=users["secretary"])
    recipients = mail.outbox[-1].to
    assert "rudometkin@admin.example" in recipients and users["chair"].email not in recipients
