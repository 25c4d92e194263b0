"""``load_protocol``: the meeting as ``protocol_queryset().get`` loads it, from prepared queries (issue 13)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.rendering import protocol_html
from meetings.models import Decision, Meeting, Speaker, signed_protocol_unlocked
from meetings.protocol import load_protocol, protocol_queryset

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
