"""Multi-step writes on meetings and decisions. Views call these; they validate and
raise ``DomainError`` with a message for the user."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from members.models import Membership, MembershipStatus, Organization
from meetings.models import Assignment, Decision


class DomainError(Exception):
    """A rule of the domain was broken; ``str(error)`` is shown to the user."""


def decision_responsible_organizations(*, decision: Decision) -> list[Organization]:
    """Organisations a decision addresses: named ones, plus every member of its categories.

    A category («руководителям образовательных организаций …») means the organisations
    of those kinds that are members of the meeting's cluster on the meeting date.
    """
    named = list(decision.responsible_organizations.all())
    kinds = decision.responsible_kinds or []
    if not kinds:
        return named
    meeting = decision.agenda_item.meeting
    day = meeting.date
    member_ids = (
        Membership.objects.filter(cluster_id=meeting.cluster_id, status=MembershipStatus.JOINED, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .values("organization_id")
    )
    by_kind = Organization.objects.filter(pk__in=member_ids, kind__in=kinds).order_by("short_name", "full_name")
    seen = {org.pk for org in named}
    return named + [org for org in by_kind if org.pk not in seen]


@transaction.atomic
def decision_assign(*, decision: Decision) -> list[Assignment]:
    """Fan a decision out into one ``Assignment`` per responsible party.

    Idempotent: parties that already have an assignment for this decision are skipped.
    Returns the assignments created by this call. All or nothing.
    """
    existing = decision.assignments.all()
    have_orgs = {a.organization_id for a in existing if a.organization_id}
    have_people = {a.person_id for a in existing if a.person_id}
    have_bodies = {a.body_id for a in existing if a.body_id}
    deadline = dict(deadline=decision.deadline, deadline_time=decision.deadline_time, deadline_start=decision.deadline_start)

    to_create = [
        Assignment(decision=decision, organization=org, **deadline)
        for org in decision_responsible_organizations(decision=decision)
        if org.pk not in have_orgs
    ]
    to_create += [
        Assignment(decision=decision, person=person, **deadline)
        for person in decision.responsible_people.all()
        if person.pk not in have_people
    ]
    to_create += [
        Assignment(decision=decision, body=body, **deadline)
        for body in decision.responsible_bodies.all()
        if body.pk not in have_bodies
    ]
    for assignment in to_create:
        assignment.full_clean(validate_unique=False)
        assignment.save()
    return to_create
