"""``load_protocol``: the meeting as ``protocol_queryset().get`` loads it, from prepared queries (issue 13)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.rendering import protocol_html
from meetings.models import AgendaItem, Decision, Meeting, MeetingStatus, Speaker, signed_protocol_unlocked
from meetings.protocol import DECISION_PARTIES, load_protocol, protocol_queryset
from members.models import AddresseeCategory, Body, BodyKind, Organization, OrganizationKind, Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form", ["full", "short"])
def test_the_protocol_html_is_the_same_as_from_the_queryset(meeting_2023, meeting_2017, form):
    for meeting in (meeting_2023, meeting_2017):
        assert protocol_html(load_protocol(meeting.pk), form=form) == protocol_html(protocol_queryset().get(pk=meeting.pk), form=form)


def test_no_more_queries_than_the_queryset_and_none_while_building(meeting_2023):
    with CaptureQueriesContext(connection) as by_queryset:
        protocol_html(protocol_queryset().get(pk=meeting_2023.pk))
    load_protocol(meeting_2023.pk)  # compiled
    with CaptureQueriesContext(connection) as by_prepared:
        meeting = load_protocol(meeting_2023.pk)
    with CaptureQueriesContext(connection) as building:
        protocol_html(meeting)
    assert len(by_prepared) <= len(by_queryset)
    assert len(building) == len(by_queryset) - len(by_prepared)


def test_a_change_to_the_protocol_shows_in_the_next_load(meeting_2023):
    before = protocol_html(load_protocol(meeting_2023.pk))
    decision = Decision.objects.filter(agenda_item__meeting=meeting_2023).order_by("pk").first()
    speaker = Speaker.objects.filter(agenda_item__meeting=meeting_2023).order_by("pk").first()
    with signed_protocol_unlocked():
        Decision.objects.filter(pk=decision.pk).update(text="Поручить проверку загрузки протокола")
        Speaker.objects.filter(pk=speaker.pk).update(summary="Доложил о подготовленных запросах")
    after = protocol_html(load_protocol(meeting_2023.pk))
    assert after != before
    assert "Поручить проверку загрузки протокола" in after
    assert "Доложил о подготовленных запросах" in after
    assert after == protocol_html(protocol_queryset().get(pk=meeting_2023.pk))


def test_another_meeting_gets_its_own_rows(meeting_2023, meeting_2017):
    load_protocol(meeting_2023.pk)
    other = load_protocol(meeting_2017.pk)
    assert other.pk == meeting_2017.pk
    assert {item.meeting_id for item in other.agenda_items.all()} == {meeting_2017.pk}


def test_a_missing_meeting_raises_does_not_exist():
    with pytest.raises(Meeting.DoesNotExist):
        load_protocol(-1)


# ---------------------------------------------------------------- the decisions' parties (four M2M)

def parties(meeting) -> list:
    """Every decision's parties as they are read: per decision and relation, each object's class, pk and fields."""
    return [(d.pk, relation, [(type(p), p.pk, {k: v for k, v in vars(p).items() if k != "_state"})
                              for p in getattr(d, relation).all()])
            for item in meeting.agenda_items.all() for d in item.decisions.all() for relation in DECISION_PARTIES]


def protocol_with_parties(template: Meeting, decisions: int, number: str = "П-1") -> Meeting:
    """A protocol of ``decisions`` decisions, each with three parties of each kind added out of their printed
    order, some shared between decisions."""
    meeting = Meeting.objects.create(cluster=template.cluster, body=template.body, date=template.date.replace(day=2),
                                     number=number, chair=template.chair, secretary=template.secretary,
                                     status=MeetingStatus.APPROVED, kind=template.kind)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Об ответственных")
    for n in range(decisions):
        decision = Decision.objects.create(agenda_item=item, order=n + 1, text=f"Поручить {n}")
        names = [f"Я{n}", "Б-общая", f"В{n}"]  # created in this order, printed Б, В, Я
        decision.responsible_organizations.add(*[
            Organization.objects.get_or_create(full_name=name, short_name=name, kind=OrganizationKind.EMPLOYER)[0]
            for name in names])
        decision.responsible_people.add(*[Person.objects.get_or_create(last_name=name)[0] for name in names])
        decision.responsible_bodies.add(*[
            Body.objects.get_or_create(cluster=template.cluster, kind=BodyKind.WORKING_GROUP, name=name)[0]
            for name in names])
        decision.responsible_categories.add(*[
            AddresseeCategory.objects.get_or_create(cluster=template.cluster, name=name)[0] for name in names])
    return meeting


def test_the_parties_are_those_of_the_queryset_in_its_order(meeting_2023, meeting_2017):
    for meeting in (meeting_2023, meeting_2017, protocol_with_parties(meeting_2023, 3)):
        loaded = load_protocol(meeting.pk)
        assert parties(loaded) == parties(protocol_queryset().get(pk=meeting.pk))
    assert [p.short_name for p in loaded.agenda_items.all()[0].decisions.all()[1].responsible_organizations.all()] \
        == ["Б-общая", "В1", "Я1"]


def test_the_seed_protocol_has_parties_to_compare(meeting_2023):
    assert any(objects for _, _, objects in parties(load_protocol(meeting_2023.pk)))


def test_reading_the_parties_makes_no_query(meeting_2023, django_assert_num_queries):
    meeting = load_protocol(protocol_with_parties(meeting_2023, 2).pk)
    with django_assert_num_queries(0):
        assert len([p for _, _, objects in parties(meeting) for p in objects]) == 2 * 4 * 3


def test_the_load_makes_as_many_queries_as_the_queryset(meeting_2023):
    meeting = protocol_with_parties(meeting_2023, 2)
    with CaptureQueriesContext(connection) as by_queryset:
        protocol_queryset().get(pk=meeting.pk)
    with CaptureQueriesContext(connection) as by_prepared:
        load_protocol(meeting.pk)
    assert len(by_prepared) == len(by_queryset)


def test_the_load_makes_as_many_queries_for_more_decisions(meeting_2023):
    few, many = protocol_with_parties(meeting_2023, 1), protocol_with_parties(meeting_2023, 6, "П-2")
    with CaptureQueriesContext(connection) as for_few:
        load_protocol(few.pk)
    with CaptureQueriesContext(connection) as for_many:
        load_protocol(many.pk)
    assert len(for_many) == len(for_few)


def test_a_protocol_without_decisions_asks_for_no_parties(meeting_2023):
    meeting = protocol_with_parties(meeting_2023, 0)
    with CaptureQueriesContext(connection) as by_queryset:
        protocol_queryset().get(pk=meeting.pk)
    with CaptureQueriesContext(connection) as by_prepared:
        loaded = load_protocol(meeting.pk)
    assert len(by_prepared) == len(by_queryset)
    assert parties(loaded) == []
