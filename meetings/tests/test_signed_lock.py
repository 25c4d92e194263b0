"""A signed protocol is final below the views: the models refuse any write to the meeting and
to its attendance, agenda, speakers and decisions, except inside a correction."""

import pytest
from django.db.models import F

from documents.services import protocol_correction_start
from meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    SignedProtocolLocked,
    Speaker,
    signed_protocol_unlocked,
)

LOCKED = "подписан"
PARTS = [
    (Meeting, lambda m: Meeting.objects.filter(pk=m.pk)),
    (Attendance, lambda m: Attendance.objects.filter(meeting=m)),
    (AgendaItem, lambda m: AgendaItem.objects.filter(meeting=m)),
    (Speaker, lambda m: Speaker.objects.filter(agenda_item__meeting=m)),
    (Decision, lambda m: Decision.objects.filter(agenda_item__meeting=m)),
]


@pytest.fixture
def signed(demo):
    meeting = Meeting.objects.get(pk=demo["meeting_2023"].pk)
    assert meeting.status == MeetingStatus.SIGNED
    with signed_protocol_unlocked():  # the 2023 protocol prints a head count: give it one listed attendee
        Attendance.objects.create(meeting=meeting, name_text="Представитель Департамента", order=1)
    return meeting


def rows(meeting):
    return {model.__name__: list(rows_of(meeting).order_by("pk").values()) for model, rows_of in PARTS}


def editable_fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@pytest.mark.parametrize("model, rows_of", PARTS, ids=[m.__name__ for m, _ in PARTS])
def test_every_field_of_every_row_refuses_a_save(signed, model, rows_of):
    before = rows(signed)
    obj = rows_of(signed).first()
    for field in editable_fields(model):
        with pytest.raises(SignedProtocolLocked, match=LOCKED):
            obj.save(update_fields=[field.name])
        with pytest.raises(SignedProtocolLocked, match=LOCKED):
            rows_of(signed).update(**{field.name: F(field.attname)})
    assert rows(signed) == before


@pytest.mark.parametrize("model, rows_of", PARTS, ids=[m.__name__ for m, _ in PARTS])
def test_rows_cannot_be_deleted(signed, model, rows_of):
    before = rows(signed)
    with pytest.raises(SignedProtocolLocked, match=LOCKED):
        rows_of(signed).first().delete()
    with pytest.raises(SignedProtocolLocked, match=LOCKED):
        rows_of(signed).delete()
    assert rows(signed) == before


def test_the_admin_findings_are_refused(signed):
    """What a secretary did through the admin: change the place, a decision's text, the status."""
    before = rows(signed)
    signed.place = "Другое место"
    with pytest.raises(SignedProtocolLocked, match=LOCKED):
        signed.save()
    signed.status = MeetingStatus.DRAFT
    with pytest.raises(SignedProtocolLocked, match=LOCKED):
        signed.save()
    decision = Decision.objects.filter(agenda_item__meeting=signed).first()
    decision.text = "Изменённый текст"
    with pytest.raises(SignedProtocolLocked, match=LOCKED):
        decision.save()
    assert rows(signed) == before


def test_nothing_can_be_added_or_moved_in(signed, demo):
    item = AgendaItem.objects.filter(meeting=signed).first()
    with pytest.raises(SignedProtocolLocked, match=LOCKED):
        Attendance.objects.create(meeting=signed, name_text="Представитель", order=2)
    with pytest.raises(SignedProtocolLocked, match=LOCKED):
        Decision.objects.create(agenda_item=item, order=99, text="Новое решение")
    other = AgendaItem.objects.filter(meeting=demo["meeting_2017"]).first()
    other.meeting = signed
    with pytest.raises(SignedProtocolLocked, match=LOCKED):
        other.save()
    moved_out = Speaker.objects.filter(agenda_item=item).first()
    moved_out.agenda_item = AgendaItem.objects.filter(meeting=demo["meeting_2017"]).first()
    with pytest.raises(SignedProtocolLocked, match=LOCKED):
        moved_out.save()


def test_the_signed_meeting_cannot_be_deleted(signed):
    with pytest.raises(SignedProtocolLocked, match=LOCKED):
        signed.delete()
    assert Meeting.objects.filter(pk=signed.pk).exists()


def test_a_correction_reopens_it(signed, users):
    protocol_correction_start(meeting=signed, user=users["secretary"], reason="Опечатка в месте проведения")
    signed.refresh_from_db()
    signed.place = "г. Смоленск, ул. Исправленная"
    signed.save()
    assert Meeting.objects.get(pk=signed.pk).place == "г. Смоленск, ул. Исправленная"


def test_draft_protocols_stay_editable(demo):
    meeting = Meeting.objects.get(pk=demo["meeting_2017"].pk)
    meeting.place = "г. Смоленск"
    meeting.save()
    AgendaItem.objects.filter(meeting=meeting).update(title=F("title"))
