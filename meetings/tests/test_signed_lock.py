"""A signed protocol is final below the views: the models refuse any write to the meeting and
to its attendance, agenda, speakers and decisions, except inside a correction."""

import pytest
from django.db import transaction
from django.db.models import F

from documents.services import protocol_correction_start
from meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingSignatory,
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
    (MeetingSignatory, lambda m: MeetingSignatory.objects.filter(meeting=m)),
]


@pytest.fixture
def signed(demo):
    meeting = Meeting.objects.get(pk=demo["meeting_2023"].pk)
    assert meeting.status == MeetingStatus.SIGNED
    with signed_protocol_unlocked():  # the 2023 protocol prints a head count: give it one listed attendee
        Attendance.objects.create(meeting=meeting, name_text="Представитель Департамента", order=1)
        # and one row of a per-protocol signers' list, so that its fields are tried too
        MeetingSignatory.objects.create(meeting=meeting, person=meeting.chair, label="Председатель", order=1)
    return meeting


def rows(meeting):
    state = {model.__name__: list(rows_of(meeting).order_by("pk").values()) for model, rows_of in PARTS}
    for model, rows_of in PARTS:
        for field in model._meta.many_to_many:
            state[f"{model.__name__}.{field.name}"] = sorted(
                rows_of(meeting).filter(**{f"{field.name}__isnull": False}).values_list("pk", field.name))
    return state


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


# Every many-to-many relation printed in the protocol: (model, field, a row of the other side to add).
def _other_side(field, demo, signed):
    related = field.related_model
    if related is Decision:
        return Decision.objects.filter(agenda_item__meeting=demo["meeting_2017"]).first()
    if related._meta.label == "members.AddresseeCategory":
        from members.services import addressee_category_save

        return addressee_category_save(cluster=demo["cluster"], name="Колледжам", organizations=[demo["orgs"]["college"]])
    return related.objects.exclude(pk__in=getattr(_row(field.model, signed), field.name).values("pk")).first()


def _row(model, signed):
    return next(rows_of for m, rows_of in PARTS if m is model)(signed).order_by("pk").first()


M2M = [(model, field.name) for model, _ in PARTS for field in model._meta.many_to_many]


def test_the_many_to_many_relations_are_all_tried():
    assert {(m.__name__, f) for m, f in M2M} >= {
        ("Meeting", "participating_clusters"), ("Decision", "responsible_organizations"),
        ("Decision", "responsible_people"), ("Decision", "responsible_bodies"), ("Decision", "responsible_categories"),
        ("Decision", "continues")}


def refused(write):
    """``write`` raises the lock (in a savepoint: Django runs a relation's write in an atomic block)."""
    with pytest.raises(SignedProtocolLocked, match=LOCKED), transaction.atomic():
        write()


@pytest.mark.parametrize("model, name", M2M, ids=[f"{m.__name__}.{f}" for m, f in M2M])
def test_every_many_to_many_relation_refuses_a_write(signed, demo, model, name):
    """add, remove, set and clear write the through table without a save: refused too, from both sides."""
    field = model._meta.get_field(name)
    row = _row(model, signed)
    other = _other_side(field, demo, signed)
    assert other is not None
    before = rows(signed)
    manager = getattr(row, name)
    for write in (lambda: manager.add(other), lambda: manager.remove(other), lambda: manager.set([other]),
                  lambda: manager.clear()):
        refused(write)
    accessor = field.remote_field.get_accessor_name()
    refused(lambda: getattr(other, accessor).add(row))
    if manager.exists():
        refused(lambda: getattr(manager.first(), accessor).clear())
    assert rows(signed) == before


def test_the_many_to_many_relations_of_drafts_stay_writable(demo):
    decision = Decision.objects.filter(agenda_item__meeting=demo["meeting_2017"]).first()
    decision.responsible_organizations.add(demo["orgs"]["man"])
    decision.responsible_organizations.remove(demo["orgs"]["man"])
    Meeting.objects.get(pk=demo["meeting_2017"].pk).participating_clusters.add(demo["other_cluster"])


def test_a_correction_writes_the_many_to_many_relations(signed, users, demo):
    protocol_correction_start(meeting=signed, user=users["secretary"], reason="Исполнитель не указан")
    decision = Decision.objects.filter(agenda_item__meeting=signed).first()
    decision.responsible_organizations.add(demo["orgs"]["man"])
    assert decision.responsible_organizations.filter(pk=demo["orgs"]["man"].pk).exists()


def test_the_editor_service_refuses_a_signed_protocol(signed, users):
    """The service layer below the views: the editor's save of the whole protocol."""
    from core.errors import DomainError
    from meetings.services import meeting_save_protocol

    before = rows(signed)
    with pytest.raises(DomainError):
        meeting_save_protocol(meeting=signed, user=users["secretary"], revision=signed.revision,
                              data={"place": "Другое место"}, attendance=[], items=[])
    assert rows(signed) == before
