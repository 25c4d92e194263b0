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
