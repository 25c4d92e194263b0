"""Which stored version counts is one manager (``ProtocolDocument.objects``): the signing order, the
download and the correction all ask it."""

import pytest
from django.utils import timezone

from documents.models import ProtocolDocument

pytestmark = pytest.mark.django_db


def version(meeting, number, *, corrects, complete):
    return ProtocolDocument.objects.create(meeting=meeting, version=number, file=f"protocols/v{number}.pdf",
                                           sha256=f"{number:064x}", corrects=corrects, is_complete=complete)


def test_a_correction_waiting_for_the_chair_is_current_but_not_the_signed_one(demo):
    meeting = demo["meeting_2023"]
    signed = meeting.documents.get()
    waiting = version(meeting, 2, corrects=signed, complete=False)
    assert meeting.documents.current() == waiting
    assert meeting.documents.current_signed() == signed


def test_once_the_correction_is_signed_it_supersedes_the_old_version(demo):
    meeting = demo["meeting_2023"]
    signed = meeting.documents.get()
    corrected = version(meeting, 2, corrects=signed, complete=True)
    ProtocolDocument.objects.filter(pk=signed.pk).update(superseded_at=timezone.now())
    assert meeting.documents.current_signed() == corrected
    assert list(meeting.documents.signed().in_force()) == [corrected]


def test_an_unsigned_meeting_has_no_signed_version(demo):
    assert demo["meeting_2017"].documents.current_signed() is None
