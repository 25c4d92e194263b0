"""Fixtures for the protocol pages: a draft, a protocol on approval, protocols of any size."""

import datetime

import pytest

from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceMode,
    Decision,
    DecisionKind,
    Meeting,
    MeetingStatus,
    Speaker,
)


def make_protocol(demo, *, items=3, status=MeetingStatus.DRAFT, number="1", date=datetime.date(2026, 11, 20)):
    """A protocol of the ICT council with ``items`` items, two speakers, two decisions (one «поручить»
    with named parties and a deadline) per item, and ``items`` attendees."""
    people, orgs = list(demo["people"].values()), list(demo["orgs"].values())
    meeting = Meeting.objects.create(
        cluster=demo["cluster"], body=demo["council"], number=number, date=date, city="г. Смоленск",
        chair=demo["people"]["rudometkin"], secretary=demo["people"]["kudryavtseva"], status=status,
    )
    for n in range(items):
        Attendance.objects.create(meeting=meeting, person=people[n % len(people)] if n < len(people) else None,
                                  name_text="" if n < len(people) else f"Представитель организации {n}",
                                  mode=AttendanceMode.ONLINE if n % 5 == 4 else AttendanceMode.IN_PERSON, order=n)
        item = AgendaItem.objects.create(meeting=meeting, order=n + 1, title=f"Вопрос повестки {n + 1}",
                                         discussion="Обсуждение.")
        Speaker.objects.create(agenda_item=item, order=1, person=people[n % len(people)], summary="Доклад.")
        Speaker.objects.create(agenda_item=item, order=2, name_text="Представитель", position_text="гость")
        Decision.objects.create(agenda_item=item, order=1, text=f"Принять к сведению {n + 1}.", kind=DecisionKind.NOTE)
        decision = Decision.objects.create(
            agenda_item=item, order=2, text=f"Поручить {n + 1}.", kind=DecisionKind.ASSIGN,
            deadline=date + datetime.timedelta(days=30),
        )
        decision.responsible_organizations.set(orgs[n % len(orgs): n % len(orgs) + 2])
        decision.responsible_people.set([people[n % len(people)]])
        decision.responsible_bodies.set([demo["working_group"]])
    return meeting


@pytest.fixture
def draft(demo):
    return make_protocol(demo)


@pytest.fixture
def on_approval(demo):
    return make_protocol(demo, status=MeetingStatus.ON_APPROVAL, number="9")


@pytest.fixture
def protocol_factory(demo):
    def make(**kwargs):
        return make_protocol(demo, **kwargs)

    return make
