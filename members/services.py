"""Writes on the member register. Views call these; they validate and raise ``DomainError``.

Portal roles mostly need no write of their own: ``members/access.py`` derives them from the
current ``BodyMembership`` rows, so a change of composition moves the rights with it.
Explicit grants (``ClusterRole``) are written only by ``cluster_role_grant``/``_revoke``,
which hold the rule of who may grant what: nobody grants a role to themselves, a chair
comes from the composition of the bodies or from the portal administrator.
"""

from __future__ import annotations

import datetime

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from ops.mail import send_templated
from members.access import access_for, user_person
from members.models import (
    AddresseeCategory,
    AgendaNumbering,
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    Cluster,
    ClusterKind,
    ClusterRole,
    Membership,
    MembershipStatus,
    Organization,
    BodySignatory,
    Person,
    PortalRole,
    SignatoriesStyle,
)
from members import selectors
from members.names import normalize
from members.selectors import cluster_users, organizations_in

# Roles held by one person at a time: a new holder ends the old one's term.
SINGLE_HOLDER_ROLES = (BodyRole.CHAIR, BodyRole.DEPUTY_CHAIR, BodyRole.SECRETARY)
CHAIR_ROLES = (BodyRole.CHAIR, BodyRole.DEPUTY_CHAIR)
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
    appointed_by=None, include_children: bool = True, by=None,
) -> list[BodyMembership]:
    """From ``on`` ``person`` holds ``role`` in ``body``.

    For a chair, deputy chair or secretary the old holder's term ends the day before.
    With ``include_children`` the same hand-over happens in the sub-bodies (the presidium)
    where the old holder held the same role. Returns the new seats.
    ``by`` is the acting user: a secretary does not seat herself as chair (she would then
    approve and sign her own protocols); only the portal administrator may.
    """
    if by is not None and not by.is_superuser and person.user_id == by.pk and role in CHAIR_ROLES:
        raise DomainError(_("You cannot make yourself chair or deputy chair; the portal administrator can."))
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


# ---------------------------------------------------------------- bodies

BODY_FIELDS = ("kind", "name", "name_genitive", "parent", "agenda_numbering", "attendance_list_limit",
               "protocol_layout", "decision_numbering", "signatories", "date_form")
# Printed in every protocol of the body: fixed once a protocol is approved or signed, because the
# protocol page renders them from the body (the signed PDF would then disagree with the page). The date
# form is not among them: a protocol takes it over at approval (``Meeting.save``), so it may change.
# Each with the words the refusal names it by.
BODY_PRINTED_FIELDS = {
    "name": gettext_lazy("the name"),
    "name_genitive": gettext_lazy("the name in the genitive"),
    "agenda_numbering": gettext_lazy("the agenda numbering"),
    "attendance_list_limit": gettext_lazy("the attendance list limit"),
    "protocol_layout": gettext_lazy("the protocol layout"),
    "decision_numbering": gettext_lazy("the decision numbers"),
}
PUBLISHED_MEETING_STATUSES = ("approved", "signed")


def _word_list(words) -> str:
    """«а, б и в»."""
    words = [str(word) for word in words]
    return " и ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def _check_parent(body: Body):
    parent = body.parent
    while parent is not None:
        if parent.cluster_id != body.cluster_id:
            raise DomainError(_("The parent body belongs to another cluster."))
        if parent.pk == body.pk:
            raise DomainError(_("A body cannot be inside itself."))
        parent = parent.parent


@transaction.atomic
def body_create(*, cluster: Cluster, **fields) -> Body:
    body = Body(cluster=cluster, **{k: v for k, v in fields.items() if k in BODY_FIELDS})
    _check_parent(body)
    return _clean_and_save(body)


@transaction.atomic
def body_update(*, body: Body, **fields) -> Body:
    body = Body.objects.select_for_update().get(pk=body.pk)
    changed = [name for name in BODY_FIELDS if name in fields and getattr(body, name) != fields[name]]
    printed = [name for name in changed if name in BODY_PRINTED_FIELDS]
    if printed and body.meetings.filter(status__in=PUBLISHED_MEETING_STATUSES).exists():
        raise DomainError(_(
            "The body already has approved or signed protocols, which print %(fields)s: these cannot change "
            "(changed here: %(changed)s). For a renamed body add a new one."
        ) % {"fields": _word_list(BODY_PRINTED_FIELDS.values()),
             "changed": _word_list(BODY_PRINTED_FIELDS[name] for name in printed)})
    for name in changed:
        setattr(body, name, fields[name])
    _check_parent(body)
    return _clean_and_save(body)


# ---------------------------------------------------------------- logins and role grants

# What a cluster's secretary may grant to others; a chair comes from the composition or the administrator.
SECRETARY_GRANTABLE_ROLES = (PortalRole.MEMBER, PortalRole.SECRETARY)


def cluster_role_grant_problem(*, by, user, cluster: Cluster, role: str) -> str | None:
    """Why ``by`` may not grant ``role`` in ``cluster`` to ``user`` (None: may)."""
    if role not in PortalRole.values:
        return _("Unknown role.")
    if user.pk == by.pk:
        return _("Nobody grants a role to themselves.")
    if by.is_superuser:
        return None
    if not access_for(by, cluster.pk).is_secretary:
        return _("Roles in a cluster are granted by its secretary or the portal administrator.")
    if role == PortalRole.COORDINATOR:
        return _("Only the portal administrator makes a login the coordinator of a cluster.")
    if role not in SECRETARY_GRANTABLE_ROLES:
        return _("A chair or deputy chair comes from the composition of the cluster's bodies "
                 "or is granted by the portal administrator.")
    if not cluster_users(cluster).filter(pk=user.pk).exists():
        return _("%(user)s is not a login of this cluster's register.") % {"user": user.get_username()}
    return None


def cluster_role_revoke_problem(*, by, grant: ClusterRole) -> str | None:
    """Why ``by`` may not take ``grant`` away (None: may)."""
    if by.is_superuser:
        return None
    if grant.user_id == by.pk:
        return _("You cannot take away your own role; the portal administrator can.")
    if not access_for(by, grant.cluster_id).is_secretary:
        return _("Roles in a cluster are granted by its secretary or the portal administrator.")
    if grant.role == PortalRole.COORDINATOR:
        return _("Only the portal administrator takes away a coordinator's grant.")
    if grant.role not in SECRETARY_GRANTABLE_ROLES:
        return _("Only the portal administrator takes away a chair's or deputy chair's grant.")
    return None


@transaction.atomic
def cluster_role_grant(*, by, user, cluster: Cluster, role: str) -> ClusterRole:
    problem = cluster_role_grant_problem(by=by, user=user, cluster=cluster, role=role)
    if problem:
        raise DomainError(problem)
    if ClusterRole.objects.filter(user=user, cluster=cluster, role=role).exists():
        raise DomainError(_("%(user)s already has this role in the cluster.") % {"user": user.get_username()})
    return _clean_and_save(ClusterRole(user=user, cluster=cluster, role=role))


@transaction.atomic
def cluster_role_revoke(*, by, grant: ClusterRole) -> None:
    problem = cluster_role_revoke_problem(by=by, grant=grant)
    if problem:
        raise DomainError(problem)
    grant.delete()


@transaction.atomic
def person_link_login(*, by, person: Person, user) -> Person:
    """Link the register entry to a login (or unlink with ``user=None``): the login then holds
    the person's seats, e.g. the chair's. Only the portal administrator does this."""
    if not by.is_superuser:
        raise DomainError(_("Only the portal administrator links a person to a login."))
    if user is not None:
        other = Person.objects.filter(user=user).exclude(pk=person.pk).first()
        if other:
            raise DomainError(_("The login %(user)s is already linked to %(person)s.")
                              % {"user": user.get_username(), "person": other.full_name})
    person.user = user
    return _clean_and_save(person)


# ---------------------------------------------------------------- clusters

CLUSTER_FIELDS = ("name", "short_name", "region", "founded_on", "description", "agreement_title", "agreement")


@dataclass(frozen=True)
class NewPerson:
    last_name: str
    first_name: str = ""
    patronymic: str = ""
    position: str = ""
    email: str = ""


@dataclass(frozen=True)
class NewLogin:
    """A login made for the first secretary; she sets her password from the e-mail she gets."""

    username: str
    person: NewPerson


def _login_create(login: NewLogin):
    User = get_user_model()
    if not login.person.email:
        raise DomainError(_("A new login needs an e-mail address for the set-password link."))
    if User.objects.filter(username__iexact=login.username).exists():
        raise DomainError(_("The login %(username)s is taken.") % {"username": login.username})
    user = User(username=login.username, email=login.person.email, first_name=login.person.first_name,
                last_name=login.person.last_name)
    user.set_unusable_password()
    return _clean_and_save(user)


def _person_for_login(user) -> Person:
    person = user_person(user)
    if person is None:
        person = _clean_and_save(Person(last_name=user.last_name or user.get_username(), first_name=user.first_name,
                                        email=user.email, user=user))
    return person


def _send_set_password_mail(*, user, cluster: Cluster) -> None:
    """The password-reset link of ``django.contrib.auth``, worded as an invitation; sent after commit."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})
    context = {"user": user, "cluster": cluster, "url": f"{settings.SITE_URL}{path}", "site_url": settings.SITE_URL,
               "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)}
    send_templated("members/set_password", context, user)  # sent by the worker once this transaction commits


def _person_create(new: NewPerson, user=None) -> Person:
    return _clean_and_save(Person(last_name=new.last_name, first_name=new.first_name, patronymic=new.patronymic,
                                  position=new.position, email=new.email, user=user))


@transaction.atomic
def cluster_create(
    *, by, name: str, short_name: str = "", region: str = "", founded_on: datetime.date | None = None,
    council_name: str, council_name_genitive: str = "", agenda_numbering: str = AgendaNumbering.ARABIC,
    attendance_list_limit: int | None = None, council_signatories: str = SignatoriesStyle.CHAIR_SECRETARY,
    secretary, chair: NewPerson | None = None, kind: str = ClusterKind.CLUSTER,
) -> Cluster:
    """A cluster with its coordination council (who signs its protocols: ``council_signatories``) and the
    council's secretary (and chair). ``secretary`` is an existing login or a ``NewLogin``, which gets a
    set-password e-mail. The secretary's role comes from her seat in the council."""
    if not by.is_superuser:
        raise DomainError(_("Clusters are set up by the portal administrator."))
    cluster = _clean_and_save(Cluster(name=name, short_name=short_name, region=region, founded_on=founded_on,
                                      kind=kind))
    council = body_create(cluster=cluster, kind=BodyKind.COUNCIL, name=council_name,
                          name_genitive=council_name_genitive, agenda_numbering=agenda_numbering,
                          attendance_list_limit=attendance_list_limit, signatories=council_signatories)
    if council_signatories == SignatoriesStyle.CUSTOM:
        raise DomainError(_("Signers in a set order are listed on the council's page once the cluster exists: "
                            "choose another way of signing here."))
    if isinstance(secretary, NewLogin):
        user = _login_create(secretary)
        secretary_person = _person_create(secretary.person, user)
        _send_set_password_mail(user=user, cluster=cluster)
    else:
        if secretary.pk == by.pk:
            raise DomainError(_("Nobody grants a role to themselves."))
        secretary_person = _person_for_login(secretary)
    # Seats start when the cluster was founded, so protocols entered afterwards find their officers.
    start = min(founded_on, timezone.localdate()) if founded_on else timezone.localdate()
    body_membership_start(body=council, person=secretary_person, role=BodyRole.SECRETARY, on=start)
    if chair is not None:
        body_membership_start(body=council, person=_person_create(chair), role=BodyRole.CHAIR, on=start)
    return cluster


@transaction.atomic
def cluster_update(*, cluster: Cluster, **fields) -> Cluster:
    """The cluster's details; its name is printed in the protocol heading, so it is fixed once
    a protocol is approved or signed (see ``body_update``)."""
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    fields = {k: v for k, v in fields.items() if k in CLUSTER_FIELDS and not (k == "agreement" and not v)}
    if fields.get("name", cluster.name) != cluster.name and cluster.meetings.filter(
            status__in=PUBLISHED_MEETING_STATUSES).exists():
        raise DomainError(_("The cluster already has approved or signed protocols, which print its name: "
                            "the name cannot change."))
    for name, value in fields.items():
        setattr(cluster, name, value)
    return _clean_and_save(cluster)


# ---------------------------------------------------------------- who signs a body's protocols

@dataclass(frozen=True)
class SignatoryEntry:
    """One signer of a set list as a form gives it: the person and the position printed above the name."""

    person: Person
    label: str


def signatory_entries_check(entries: list[SignatoryEntry], *, style: str, cluster_id: int) -> list[SignatoryEntry]:
    """The set list for ``style``: required (and only kept) for signers in a set order; each person once,
    from the register of ``cluster_id``, with a printed position."""
    if style != SignatoriesStyle.CUSTOM:
        return []
    if not entries:
        raise DomainError(_("List at least one signer (or choose another way of signing)."))
    people = [entry.person.pk for entry in entries]
    if len(people) != len(set(people)):
        raise DomainError(_("This person is already among the signers."))
    register = set(selectors.people_visible_in([cluster_id]).filter(pk__in=people).values_list("pk", flat=True))
    if set(people) - register:
        raise DomainError(_("A signer must be in the cluster's register."))
    if any(not entry.label.strip() for entry in entries):
        raise DomainError(_("Type the position printed above each signer's name."))
    return entries


@transaction.atomic
def body_signatories_set(*, body: Body, style: str, entries: list[SignatoryEntry] = ()) -> Body:
    """Who signs the body's protocols from now on. Approved and signed protocols keep who signed them
    (``meetings.signatories.meeting_signatories_freeze``), so this never changes a published protocol."""
    if style not in SignatoriesStyle.values:
        raise DomainError(_("Choose who signs the protocols."))
    body = Body.objects.select_for_update().get(pk=body.pk)
    entries = signatory_entries_check(list(entries), style=style, cluster_id=body.cluster_id)
    body.signatories = style
    _clean_and_save(body)
    body.signatory_rows.all().delete()
    BodySignatory.objects.bulk_create(
        BodySignatory(body=body, person=entry.person, label=entry.label.strip(), order=n)
        for n, entry in enumerate(entries, start=1)
    )
    return body


# ---------------------------------------------------------------- addressee categories

@transaction.atomic
def addressee_category_save(
    *, cluster: Cluster, name: str, organizations, clusters=(), category: AddresseeCategory | None = None,
    rule_founded_year: int | None = None, rule_region: str = "",
) -> AddresseeCategory:
    """Create (or, given ``category``, change) a named addressee of ``cluster``'s decisions.

    A cluster addresses its own organisations only (those of its register: ``organizations_in``); a
    coordinating authority may also address clusters. The name is printed as written, so two
    categories of a cluster cannot share it."""
    name = " ".join((name or "").split())
    rule_region = " ".join((rule_region or "").split())
    organizations, clusters = list(organizations), list(clusters)
    has_rule = rule_founded_year is not None or bool(rule_region)
    if not name:
        raise DomainError(_("Type the name of the category as the protocol prints it."))
    if not organizations and not clusters and not has_rule:
        raise DomainError(_("Choose the organisations (or clusters) the category covers."))
    if has_rule and not cluster.is_authority:
        raise DomainError(_("Only a coordinating authority addresses clusters by a rule; a cluster addresses its "
                            "own organisations."))
    if clusters and not cluster.is_authority:
        raise DomainError(_("Only a coordinating authority addresses clusters; a cluster addresses its own "
                            "organisations."))
    if any(c.pk == cluster.pk or c.is_authority for c in clusters):
        raise DomainError(_("A category covers clusters, not the authority itself or another authority."))
    own = set(organizations_in([cluster.pk]).filter(pk__in=[o.pk for o in organizations]).values_list("pk", flat=True))
    foreign = [str(o) for o in organizations if o.pk not in own]
    if foreign:
        raise DomainError(_("Not in the register of %(cluster)s: %(organizations)s. A category covers the "
                            "cluster's own organisations.") % {"cluster": cluster, "organizations": ", ".join(foreign)})
    if category is not None:
        category = AddresseeCategory.objects.select_for_update().get(pk=category.pk, cluster=cluster)
    others = AddresseeCategory.objects.filter(cluster=cluster).exclude(pk=category.pk if category else None)
    if any(normalize(other) == normalize(name) for other in others.values_list("name", flat=True)):
        raise DomainError(_("The cluster already has a category «%(name)s».") % {"name": name})
    category = category or AddresseeCategory(cluster=cluster)
    category.name = name
    category.rule_founded_year, category.rule_region = rule_founded_year, rule_region
    _clean_and_save(category)
    category.organizations.set(organizations)
    category.clusters.set(clusters)
    return category
