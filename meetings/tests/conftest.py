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


def editor_post(*, meeting: dict, revision=None, attendance=(), items=()):
    """POST data for the editor: ``items`` are dicts with title, speakers, decisions (lists of dicts)."""
    data = {f"m-{k}": v for k, v in meeting.items()}
    if revision is not None:
        data["m-revision"] = revision
    data.update({"att-TOTAL_FORMS": len(attendance), "att-INITIAL_FORMS": 0})
    for n, row in enumerate(attendance):
        data.update({f"att-{n}-{k}": v for k, v in {"mode": "in_person", "position": n + 1, **row}.items()})
    data.update({"items-TOTAL_FORMS": len(items), "items-INITIAL_FORMS": 0})
    for n, item in enumerate(items):
        prefix = f"items-{n}"
        for key, value in item.items():
            if key not in ("speakers", "decisions"):
                data[f"{prefix}-{key}"] = value
        data.setdefault(f"{prefix}-position", n + 1)
        for kind, rows, defaults in (("sp", item.get("speakers", []), {}),
                                     ("dec", item.get("decisions", []), {"kind": "note", "vote": "none"})):
            data.update({f"{prefix}-{kind}-TOTAL_FORMS": len(rows), f"{prefix}-{kind}-INITIAL_FORMS": 0})
            for r, row in enumerate(rows):
                data.update({f"{prefix}-{kind}-{r}-{k}": v for k, v in {**defaults, "position": r + 1, **row}.items()})
    return data


def meeting_fields(demo, **overrides):
    return {
        "body": demo["council"].pk, "kind": "council", "number": "5", "date": "2026-11-20", "city": "г. Смоленск",
        "format": "in_person", "chair": demo["people"]["rudometkin"].pk, "chair_title": "chair",
        "secretary": demo["people"]["kudryavtseva"].pk, **overrides,
    }
