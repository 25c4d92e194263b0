"""Read queries of the member register, scoped to the acting user, eager loading beside them.

Visibility: an organisation is visible to a user when it has a membership (any status)
in one of the user's clusters; a person through their organisation or through a seat in
a body of one of those clusters. Everything else is a 404 (see ``members/access.py``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Prefetch, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.prepared import SENTINEL_DAY, SENTINEL_ID, PreparedQuery, prepared
from members.access import access_for, cluster_roles, managed_cluster_ids, visible_cluster_ids
from members.models import (
    ORGANIZATION_GROUPS,
    AddresseeCategory,
    Body,
    BodyMembership,
    BodyRole,
    Cluster,
    ClusterRole,
    Membership,
    MembershipStatus,
    Organization,
    OrganizationKind,
    Person,
    PortalRole,
)
from members.names import normalize, same_name_part

# Presidium roles first, as compositions are printed.
ROLE_ORDER = {BodyRole.CHAIR: 0, BodyRole.DEPUTY_CHAIR: 1, BodyRole.SECRETARY: 2, BodyRole.MEMBER: 3}


# ---------------------------------------------------------------- clusters

def secretary_cluster_ids(user) -> list[int]:
    """Clusters where the user keeps the register (secretary or portal administrator)."""
    return sorted(pk for pk in cluster_roles(user) if access_for(user, pk).is_secretary)


_CLUSTER = PreparedQuery(lambda pk: Cluster.objects.filter(pk=pk), pk=SENTINEL_ID)


def chosen_cluster(user, raw_id) -> Cluster:
    """The cluster picked by ``?cluster=`` (the first visible one by default); 404 if not visible."""
    visible = visible_cluster_ids(user)
    if raw_id in (None, ""):
        if not visible:
            raise Http404
        pk = min(visible)
    else:
        try:
            pk = int(raw_id)
        except (TypeError, ValueError):
            raise Http404 from None
        if pk not in visible:
            raise Http404
    found = _CLUSTER.objects(pk=pk)
    if not found:
        raise Http404
    return found[0]


_BODIES = PreparedQuery(lambda cluster_id: Body.objects.filter(cluster_id=cluster_id).order_by("kind", "name"),
                        cluster_id=SENTINEL_ID)


def cluster_body_list(cluster_id: int) -> list:
    """The cluster's bodies by kind and name (the register's tabs), from a prepared query."""
    return _BODIES.objects(cluster_id=cluster_id)


# ---------------------------------------------------------------- register as of a date

def membership_state_on(day: datetime.date) -> Case:
    """SQL expression: the membership's status as of ``day`` (joined, invited, left, or NULL)."""
    left = Q(status=MembershipStatus.LEFT) & (Q(left_on__isnull=True) | Q(left_on__lte=day))
    joined = (
        ~Q(status=MembershipStatus.INVITED)
        & Q(joined_on__lte=day)
        & (Q(left_on__isnull=True) | Q(left_on__gt=day))
    )
    invited = Q(invited_on__lte=day) & (Q(joined_on__isnull=True) | Q(joined_on__gt=day))
    return Case(
        When(joined, then=Value(MembershipStatus.JOINED)),
        When(left, then=Value(MembershipStatus.LEFT)),
        When(invited, then=Value(MembershipStatus.INVITED)),
        default=Value(None),
        output_field=CharField(),
    )


def register_memberships(cluster: Cluster, day: datetime.date):
    """Memberships of the cluster with ``state`` as of ``day``; those with no state yet are dropped."""
    return _register_memberships(cluster.pk, day)


def _register_memberships(cluster_id, day):
    return (
        Membership.objects.filter(cluster_id=cluster_id)
        .annotate(state=membership_state_on(day))
        .filter(state__isnull=False)
        .select_related("organization__parent")
        .order_by("organization__short_name", "organization__full_name", "pk")
    )


def _register_rows(arg, cluster_id, day, status=None, kind=None):
    queryset = _register_memberships(cluster_id, day)
    if status is not None:
        queryset = queryset.filter(state=status)
    return queryset.filter(organization__kind=kind) if kind is not None else queryset


def register_rows(cluster: Cluster, day: datetime.date, *, status: str | None, kind: str | None) -> list:
    """``register_memberships`` of one state (None: any) and organisation kind (None: any), as the
    register's filter gives them without a text search: a prepared query (``core.prepared``)."""
    values, placeholders = {"cluster_id": cluster.pk, "day": day}, {"cluster_id": SENTINEL_ID, "day": SENTINEL_DAY}
    if status is not None:
        values["status"], placeholders["status"] = status, "~status~"
    if kind is not None:
        values["kind"], placeholders["kind"] = kind, "~kind~"
    shape = tuple(sorted(placeholders))
    return prepared(("register", shape), _register_rows, shape, **placeholders).objects(**values)


# How protocols count organisations of a kind («11 профессиональных образовательных организаций»).
def count_phrase(kind: str, count: int) -> str:
    phrases = {
        OrganizationKind.GOVERNMENT: ngettext(
            "%(count)s government authority", "%(count)s government authorities", count),
        OrganizationKind.NONPROFIT: ngettext(
            "%(count)s non-profit organisation", "%(count)s non-profit organisations", count),
        OrganizationKind.EMPLOYER: ngettext("%(count)s employer", "%(count)s employers", count),
        OrganizationKind.EDU_HIGHER: ngettext(
            "%(count)s higher education organisation", "%(count)s higher education organisations", count),
        OrganizationKind.EDU_VOCATIONAL: ngettext(
            "%(count)s vocational education organisation", "%(count)s vocational education organisations", count),
        OrganizationKind.EDU_ADDITIONAL: ngettext(
            "%(count)s additional professional education organisation",
            "%(count)s additional professional education organisations", count),
        OrganizationKind.EDU_GENERAL: ngettext(
            "%(count)s general education organisation", "%(count)s general education organisations", count),
    }
    return phrases[kind] % {"count": count}


@dataclass
class RegisterRow:
    membership: Membership
    branches: list = field(default_factory=list)

    @property
    def organization(self):
        return self.membership.organization


@dataclass
class RegisterGroup:
    title: str
    rows: list
    totals: list  # «Всего в составе кластера 2 профессиональные образовательные организации (с филиалами)»

    @property
    def count(self) -> int:
        return sum(1 + len(row.branches) for row in self.rows)


def group_register(memberships) -> list[RegisterGroup]:
    """Protocol order: groups by kind, branches under their head organisation, counts per kind."""
    # An organisation may have an old, left membership beside a current one: keep the best.
    priority = {MembershipStatus.JOINED: 0, MembershipStatus.INVITED: 1, MembershipStatus.LEFT: 2}
    best: dict[int, Membership] = {}
    for m in memberships:
        held = best.get(m.organization_id)
        if held is None or priority[m.state] < priority[held.state]:
            best[m.organization_id] = m
    listed = set(best)
    rows: dict[int, RegisterRow] = {}
    for m in best.values():
        if m.organization.parent_id not in listed:
            rows[m.organization_id] = RegisterRow(m)
    for m in best.values():
        if m.organization.parent_id in listed:
            if m.organization.parent_id in rows:
                rows[m.organization.parent_id].branches.append(m)
            else:  # a branch of a branch: listed on its own
                rows[m.organization_id] = RegisterRow(m)

    groups = []
    for title, kinds in ORGANIZATION_GROUPS:
        group_rows = [row for row in rows.values() if row.organization.kind in kinds]
        if not group_rows:
            continue
        totals = []
        for kind in kinds:
            members = [m for m in best.values() if m.organization.kind == kind]
            if members:
                with_branches = any(m.organization.parent_id for m in members)
                line = count_phrase(kind, len(members))
                totals.append(_("%(count)s (with branches)") % {"count": line} if with_branches else line)
        groups.append(RegisterGroup(title=str(title), rows=group_rows, totals=totals))
    return groups


# ---------------------------------------------------------------- organisations and people

def organizations_visible_to(user):
    return organizations_visible_in(visible_cluster_ids(user))


def organizations_visible_in(cluster_ids):
    return Organization.objects.filter(memberships__cluster_id__in=cluster_ids).distinct()


def organizations_in(cluster_ids):
    """Organisations that belong to the clusters, for the pickers of their editors: a membership
    (any status), or a person seated in one of their bodies (regional departments are seated, not members)."""
    in_clusters = Q(memberships__cluster_id__in=cluster_ids) | Q(
        people__body_memberships__body__cluster_id__in=cluster_ids
    )
    return Organization.objects.filter(pk__in=Organization.objects.filter(in_clusters).values("pk"))


def people_visible_in(cluster_ids):
    in_clusters = Q(organization__memberships__cluster_id__in=cluster_ids) | Q(
        body_memberships__body__cluster_id__in=cluster_ids
    )
    return Person.objects.filter(pk__in=Person.objects.filter(in_clusters).values("pk"))


def people_visible_to(user):
    return people_visible_in(visible_cluster_ids(user))


@dataclass(frozen=True)
class RegisterAccess:
    """What the user may do with one organisation or person of the register."""

    cluster_ids: frozenset  # the user's clusters the object belongs to
    managed_ids: frozenset  # of those, where the user keeps the register

    @property
    def can_edit(self) -> bool:
        return bool(self.managed_ids)

    @property
    def sees_contacts(self) -> bool:
        """Contacts only for users of the same cluster."""
        return bool(self.cluster_ids)


def _register_access(user, cluster_ids) -> RegisterAccess:
    mine = set(visible_cluster_ids(user)) & set(cluster_ids)
    if not mine:
        raise Http404
    return RegisterAccess(frozenset(mine), frozenset(mine & set(secretary_cluster_ids(user))))


def get_organization_for_user(user, pk) -> tuple[Organization, RegisterAccess]:
    try:
        organization = Organization.objects.select_related("parent").get(pk=pk)
    except (Organization.DoesNotExist, ValueError):
        raise Http404 from None
    cluster_ids = Membership.objects.filter(organization=organization).values_list("cluster_id", flat=True)
    return organization, _register_access(user, cluster_ids)


def person_cluster_ids(person: Person) -> set[int]:
    ids = set(BodyMembership.objects.filter(person=person).values_list("body__cluster_id", flat=True))
    if person.organization_id:
        ids |= set(Membership.objects.filter(organization_id=person.organization_id).values_list("cluster_id", flat=True))
    return ids


def get_person_for_user(user, pk) -> tuple[Person, RegisterAccess]:
    try:
        person = Person.objects.select_related("organization").get(pk=pk)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None
    return person, _register_access(user, person_cluster_ids(person))


def get_body_for_user(user, pk) -> tuple[Body, object]:
    try:
        body = Body.objects.select_related("cluster", "parent").get(pk=pk)
    except (Body.DoesNotExist, ValueError):
        raise Http404 from None
    access = access_for(user, body.cluster_id)
    if not access.can_read:
        raise Http404
    return body, access


def organization_memberships(organization: Organization, cluster_ids):
    decision = "invitation_decision__agenda_item"
    return (
        organization.memberships.filter(cluster_id__in=cluster_ids)
        .select_related("cluster", f"{decision}__meeting__body")
        .prefetch_related(f"{decision}__decisions")
        .order_by("cluster__name", "joined_on", "invited_on", "pk")
    )


def person_seats(person: Person, cluster_ids):
    return list(
        person.body_memberships.filter(body__cluster_id__in=cluster_ids)
        .select_related("body__cluster")
        .order_by("-term_start", "pk")
    )


def body_composition(body: Body, day: datetime.date):
    """(current seats on ``day`` in presidium order, past seats, future seats)."""
    seats = list(body.memberships.select_related("person__organization").order_by("term_start", "pk"))
    key = lambda s: (ROLE_ORDER.get(s.role, 9), s.person.last_name, s.term_start)  # noqa: E731
    current = sorted((s for s in seats if s.is_current_on(day)), key=key)
    past = sorted((s for s in seats if s.term_end and s.term_end < day), key=lambda s: (-s.term_end.toordinal(), key(s)))
    future = sorted((s for s in seats if s.term_start > day), key=lambda s: (s.term_start, key(s)))
    return current, past, future


def today() -> datetime.date:
    return timezone.localdate()


def with_people_context(queryset):
    return queryset.select_related("organization").prefetch_related(
        Prefetch("body_memberships", queryset=BodyMembership.objects.select_related("body"))
    )


# ---------------------------------------------------------------- logins and roles of a cluster

def cluster_users(cluster: Cluster):
    """Active logins of the cluster: linked to a person of its register, or holding a grant in it (a
    coordinator's grant does not make a login the cluster's: it follows the cluster from outside)."""
    User = get_user_model()
    grants = ClusterRole.objects.filter(cluster=cluster).exclude(role=PortalRole.COORDINATOR).values("user_id")
    in_register = Q(person__in=people_visible_in([cluster.pk])) | Q(pk__in=grants)
    return User.objects.filter(is_active=True).filter(
        pk__in=User.objects.filter(in_register).values("pk")
    ).order_by("last_name", "first_name", "username")


def cluster_role_grants(cluster: Cluster):
    return list(cluster.role_grants.select_related("user__person").order_by("role", "user__last_name", "user__username"))


def cluster_seat_roles(cluster: Cluster, day: datetime.date):
    """Current seats in the cluster's bodies: the roles the composition gives (presidium order)."""
    seats = (
        BodyMembership.objects.filter(body__cluster=cluster).current_on(day)
        .select_related("person__user", "person__organization", "body")
    )
    return sorted(seats, key=lambda s: (ROLE_ORDER.get(s.role, 9), s.body.kind, s.person.last_name, s.pk))


def cluster_member_logins(cluster: Cluster, day: datetime.date):
    """Logins that are members through their organisation's membership on ``day``."""
    organizations = Membership.objects.filter(cluster=cluster).active_on(day).values("organization_id")
    return list(
        Person.objects.filter(organization_id__in=organizations, user__isnull=False)
        .select_related("user", "organization").order_by("last_name", "first_name", "pk")
    )


# ---------------------------------------------------------------- «уже есть …: это она?»

def _namesakes(queryset, field_names, names, limit=5):
    wanted = {normalize(name) for name in names} - {""}
    if not wanted:
        return []
    pks = [pk for pk, *texts in queryset.values_list("pk", *field_names)
           if wanted & {normalize(text) for text in texts}]
    return list(queryset.filter(pk__in=pks[:limit]))


def organization_namesakes(user, *names):
    """Organisations the user can see whose full or short name is one of ``names``."""
    queryset = Organization.objects.all() if user.is_superuser else organizations_visible_to(user)
    return _namesakes(queryset.select_related("parent"), ["full_name", "short_name"], names)


def person_namesakes(user, *, last_name, first_name="", patronymic="", limit=5):
    """People the user can see with this surname and a compatible name and patronymic."""
    queryset = Person.objects.all() if user.is_superuser else people_visible_to(user)
    surname = normalize(last_name)
    pks = [pk for pk, last, first, middle in queryset.values_list("pk", "last_name", "first_name", "patronymic")
           if normalize(last) == surname and same_name_part(first, first_name) and same_name_part(middle, patronymic)]
    return list(Person.objects.filter(pk__in=pks[:limit]).select_related("organization"))


def body_namesakes(cluster: Cluster, name: str):
    return _namesakes(Body.objects.filter(cluster=cluster), ["name"], [name])


def cluster_namesakes(*names):
    return _namesakes(Cluster.objects.all(), ["name", "short_name"], names)


def addressee_categories(cluster: Cluster):
    """The cluster's addressee categories with what they cover, in three queries whatever their number."""
    from_cluster = AddresseeCategory.objects.filter(cluster=cluster).order_by("name")
    return from_cluster.prefetch_related(
        Prefetch("organizations", queryset=Organization.objects.order_by("short_name", "full_name")),
        Prefetch("clusters", queryset=Cluster.objects.order_by("name")),
    )
