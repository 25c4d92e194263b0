"""Writes on the member register. Views call these; they validate and raise ``DomainError``.

Portal roles need no write of their own: ``members/access.py`` derives them from the
current ``BodyMembership`` rows, so a change of composition moves the rights with it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from members.models import (
    Body,
    BodyMembership,
    BodyRole,
    Cluster,
    Membership,
    MembershipStatus,
    Organization,
    Person,
)

# Roles held by one person at a time: a new holder ends the old one's term.
SINGLE_HOLDER_ROLES = (BodyRole.CHAIR, BodyRole.DEPUTY_CHAIR, BodyRole.SECRETARY)
DAY = datetime.timedelta(days=1)


class DuplicatePersonError(DomainError):
    """The organisation already has this person; ``existing`` is offered instead."""

    def __init__(self, message, existing: Person):
        super().__init__(message)
        self.existing = existing


def _clean_and_save(obj):
    try:
        obj.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    obj.save()
    return obj


# ---------------------------------------------------------------- organisations

ORGANIZATION_FIELDS = ("full_name", "short_name", "kind", "parent", "inn", "website")


@transaction.atomic
def organization_create(
    *, cluster: Cluster, status: str, on: datetime.date, document_title: str = "", document=None,
    invitation_decision=None, **fields,
) -> Organization:
    """A new organisation and its membership in ``cluster`` (invited or joined on ``on``)."""
    organization = _clean_and_save(Organization(**{k: v for k, v in fields.items() if k in ORGANIZATION_FIELDS}))
    if status == MembershipStatus.INVITED:
        membership_invite(cluster=cluster, organization=organization, on=on, decision=invitation_decision)
    else:
        membership_join(cluster=cluster, organization=organization, on=on, document_title=document_title,
                        document=document)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, **fields) -> Organization:
    for name, value in fields.items():
        if name in ORGANIZATION_FIELDS:
            setattr(organization, name, value)
    if organization.parent_id and organization.parent_id == organization.pk:
        raise DomainError(_("An organisation cannot be its own head organisation."))
    return _clean_and_save(organization)


# ---------------------------------------------------------------- people

PERSON_FIELDS = ("last_name", "first_name", "patronymic", "position", "organization", "email", "phone")


def person_duplicate(*, organization, last_name, first_name="", patronymic="", exclude_pk=None) -> Person | None:
    """The same name in the same organisation (initials match full names: «А.» ~ «Анна»)."""
    if organization is None:
        return None
    candidates = Person.objects.filter(organization=organization).exclude(pk=exclude_pk)
    for person in candidates.filter(last_name__iexact=last_name.strip()):
        if person.last_name.lower() != last_name.strip().lower():
            continue
        if _same_name_part(person.first_name, first_name) and _same_name_part(person.patronymic, patronymic):
            return person
    return None


def _same_name_part(a: str, b: str) -> bool:
    a, b = a.strip().rstrip(".").lower(), b.strip().rstrip(".").lower()
    if not a or not b:
        return True
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _refuse_duplicate(person: Person):
    existing = person_duplicate(
        organization=person.organization, last_name=person.last_name, first_name=person.first_name,
        patronymic=person.patronymic, exclude_pk=person.pk,
    )
    if existing:
        raise DuplicatePersonError(
            _("%(name)s is already in the register of %(organization)s.")
            % {"name": existing.full_name, "organization": existing.organization},
            existing,
        )


@transaction.atomic
def person_create(**fields) -> Person:
    person = Person(**{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    _refuse_duplicate(person)
    return _clean_and_save(person)


@transaction.atomic
def person_update(*, person: Person, **fields) -> Person:
    for name, value in fields.items():
        if name in PERSON_FIELDS:
            setattr(person, name, value)
    _refuse_duplicate(person)
    return _clean_and_save(person)


# ---------------------------------------------------------------- membership history

def _open_membership(cluster, organization):
    return (
        Membership.objects.select_for_update()
        .filter(cluster=cluster, organization=organization)
        .exclude(status=MembershipStatus.LEFT)
        .first()
    )


@transaction.atomic
def membership_invite(*, cluster: Cluster, organization: Organization, on: datetime.date, decision=None,
                      note: str = "") -> Membership:
    """«Направить приглашение к присоединению»: optionally the decision that sent it (e.g. 1.5)."""
    if _open_membership(cluster, organization):
        raise DomainError(_("%(organization)s is already invited to or a member of the cluster.")
                          % {"organization": organization})
    if decision is not None and decision.agenda_item.meeting.cluster_id != cluster.pk:
        raise DomainError(_("The decision belongs to another cluster."))
    membership = Membership(cluster=cluster, organization=organization, status=MembershipStatus.INVITED,
                            invited_on=on, invitation_decision=decision, note=note)
    return _clean_and_save(membership)


@transaction.atomic
def membership_join(*, cluster: Cluster, organization: Organization, on: datetime.date, document_title: str = "",
                    document=None) -> Membership:
    """Accession to the agreement: an invitation becomes membership, or a new membership starts."""
    membership = _open_membership(cluster, organization)
    if membership and membership.status == MembershipStatus.JOINED:
        raise DomainError(_("%(organization)s is already a member of the cluster.") % {"organization": organization})
    if membership and membership.invited_on and on < membership.invited_on:
        raise DomainError(_("The joining date cannot be before the invitation."))
    membership = membership or Membership(cluster=cluster, organization=organization)
    membership.status = MembershipStatus.JOINED
    membership.joined_on = on
    membership.document_title = document_title or membership.document_title
    if document:
        membership.document = document
    return _clean_and_save(membership)


@transaction.atomic
def membership_leave(*, cluster: Cluster, organization: Organization, on: datetime.date, note: str = "") -> Membership:
    membership = _open_membership(cluster, organization)
    if membership is None or membership.status != MembershipStatus.JOINED:
        raise DomainError(_("%(organization)s is not a member of the cluster.") % {"organization": organization})
    if on < membership.joined_on:
        raise DomainError(_("The leaving date cannot be before the joining date."))
    membership.status = MembershipStatus.LEFT
    membership.left_on = on
    if note:
        membership.note = "\n".join(p for p in (membership.note, note) if p)
    return _clean_and_save(membership)


# ---------------------------------------------------------------- composition of bodies

@transaction.atomic
def body_membership_start(*, body: Body, person: Person, role: str, on: datetime.date,
                          term_end: datetime.date | None = None, appointed_by=None) -> BodyMembership:
    if BodyMembership.objects.filter(body=body, person=person, role=role).current_on(on).exists():
        raise DomainError(_("%(person)s already holds this seat on that date.") % {"person": person})
    seat = BodyMembership(body=body, person=person, role=role, term_start=on, term_end=term_end,
                          appointed_by=appointed_by)
    return _clean_and_save(seat)


@transaction.atomic
def body_membership_end(*, seat: BodyMembership, on: datetime.date) -> BodyMembership:
    """End a term: ``on`` is its last day."""
    if on < seat.term_start:
        raise DomainError(_("The term cannot end before it starts (%(start)s).")
                          % {"start": seat.term_start.strftime("%d.%m.%Y")})
    if seat.term_end and seat.term_end < on:
        raise DomainError(_("This term has already ended."))
    seat.term_end = on
    return _clean_and_save(seat)


def _holders_on(body, role, day):
    return list(
        BodyMembership.objects.select_for_update().filter(body=body, role=role).current_on(day)
    )


@transaction.atomic
def body_change_composition(
    *, body: Body, role: str, person: Person, on: datetime.date, term_end: datetime.date | None = None,
    appointed_by=None, include_children: bool = True,
) -> list[BodyMembership]:
    """From ``on`` ``person`` holds ``role`` in ``body``.

    For a chair, deputy chair or secretary the old holder's term ends the day before.
    With ``include_children`` the same hand-over happens in the sub-bodies (the presidium)
    where the old holder held the same role. Returns the new seats.
    """
    bodies = [body]
    if include_children and role in SINGLE_HOLDER_ROLES:
        outgoing = {s.person_id for s in _holders_on(body, role, on)}
        for child in body.children.all():
            holders = {s.person_id for s in _holders_on(child, role, on)}
            if holders and holders <= outgoing:
                bodies.append(child)
    new_seats = []
    for target in bodies:
        if role in SINGLE_HOLDER_ROLES:
            if BodyMembership.objects.filter(body=target, role=role, term_start__gt=on).exists():
                raise DomainError(_("%(body)s already has a later holder of this role; change that first.")
                                  % {"body": target})
            for old in _holders_on(target, role, on):
                if old.person_id == person.pk:
                    raise DomainError(_("%(person)s already holds this role on that date.") % {"person": person})
                if old.term_start >= on:
                    raise DomainError(_("The current holder's term starts on or after that date; edit it instead."))
                body_membership_end(seat=old, on=on - DAY)
        new_seats.append(body_membership_start(body=target, person=person, role=role, on=on, term_end=term_end,
                                               appointed_by=appointed_by))
    return new_seats
