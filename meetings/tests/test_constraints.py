import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import AgendaItem, Assignment, Attendance, Decision, Meeting

pytestmark = pytest.mark.django_db


def new_meeting(demo, **kwargs):
    values = dict(cluster=demo["cluster"], body=demo["council"], date=datetime.date(2023, 6, 1), number="3")
    values.update(kwargs)
    return Meeting(**values)


def test_meeting_number_is_unique_per_body_and_year(demo):
    duplicate = new_meeting(demo, number="2")
    with pytest.raises(ValidationError, match="уже существует|already exists"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError, match=r"meeting_number_unique_per_body_year|UNIQUE constraint failed: meetings_meeting\.body_id"), \
            transaction.atomic():
        duplicate.save()


def test_same_number_is_fine_in_another_year(demo):
    meeting = new_meeting(demo, number="2", date=datetime.date(2024, 3, 1))
    meeting.full_clean()
    meeting.save()
    assert meeting.year == 2024


def test_meeting_must_end_after_it_starts(demo):
    meeting = new_meeting(demo, start_time=datetime.time(14, 0), end_time=datetime.time(12, 0))
    with pytest.raises(ValidationError, match="позже|end after"):
        meeting.full_clean()


def test_agenda_order_is_unique_within_a_meeting(demo):
    with pytest.raises(IntegrityError, match=r"agenda_item_order_unique|UNIQUE constraint failed: meetings_agendaitem\.meeting_id"), \
            transaction.atomic():
        AgendaItem.objects.create(meeting=demo["meeting_2017"], order=1, title="Дубль")


def test_decision_order_is_unique_within_an_item(demo):
    item = demo["meeting_2017"].agenda_items.get(order=1)
    with pytest.raises(IntegrityError, match=r"decision_order_unique|UNIQUE constraint failed: meetings_decision\.agenda_item_id"), \
            transaction.atomic():
        Decision.objects.create(agenda_item=item, order=1, text="Дубль")


def test_attendance_needs_a_person_or_a_line(demo):
    with pytest.raises(ValidationError, match="Выберите представителя или введите строку"):
        Attendance(meeting=demo["meeting_2023"]).full_clean()


def test_assignment_has_exactly_one_party(demo):
    decision = Decision.objects.filter(agenda_item__meeting=demo["meeting_2023"]).first()
    both = Assignment(decision=decision, organization=demo["orgs"]["copp"], person=demo["people"]["kazakov"])
    with pytest.raises(ValidationError, match="ровно один ответственный"):
        both.full_clean()
    with pytest.raises(IntegrityError, match="assignment_exactly_one_party"), transaction.atomic():
        Assignment.objects.create(decision=decision)


def test_str_reads_like_the_protocol(demo):
    assert str(demo["meeting_2023"]) == "Протокол № 2 от 30 марта 2023 г."
    assert demo["meeting_2023"].short_label == "протокол № 2 от 30.03.2023"
