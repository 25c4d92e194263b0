"""Fixtures of the tasks app: the demo assignments by who answers for them, and bulk data."""

import datetime

import pytest

from meetings.models import Assignment, Decision, DecisionKind
from members.models import Organization


@pytest.fixture
def member_assignment(demo):
    """The demo member's (Казаков, СКТ (филиал) СПбГУТ) assignment: decision «2» of protocol № 2, due 12.05.2023."""
    member = demo["users"]["member"]
    return Assignment.objects.get(
        organization_id=member.person.organization_id, decision__agenda_item__meeting=demo["meeting_2023"]
    )


@pytest.fixture
def other_assignment(demo, member_assignment):
    """An assignment of the same cluster addressed to someone else."""
    return (
        Assignment.objects.filter(decision__agenda_item__meeting__cluster=demo["cluster"])
        .exclude(organization_id=member_assignment.organization_id)
        .order_by("pk")
        .first()
    )


@pytest.fixture
def foreign_assignment(demo):
    """An assignment of the outsider's cluster (the ICT cluster's people must get 404 on it)."""
    return Assignment.objects.get(decision__agenda_item__meeting__cluster=demo["other_cluster"])


@pytest.fixture
def make_assignments(demo):
    """make_assignments(n) → n extra assignments in the ICT cluster, made with bulk_create."""

    def make(count, *, organization=None, deadline=datetime.date(2026, 12, 1), status="assigned"):
        meeting = demo["meeting_2023"]
        item = meeting.agenda_items.order_by("order").first()
        start = item.decisions.count() + 1
        decisions = Decision.objects.bulk_create(
            Decision(agenda_item=item, order=start + i, text=f"Поручение для проверки № {i}", kind=DecisionKind.ASSIGN)
            for i in range(count)
        )
        orgs = [organization] if organization else list(Organization.objects.filter(memberships__cluster=demo["cluster"]))
        return Assignment.objects.bulk_create(
            Assignment(decision=d, organization=orgs[i % len(orgs)], deadline=deadline, status=status)
            for i, d in enumerate(decisions)
        )

    return make

