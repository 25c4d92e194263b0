"""Who sees what: the one place that answers which clusters a login sees and in which role.

Roles are derived from the register — a person's current seat in a body of the cluster
(chair, deputy chair, secretary, member; officer roles only from the council and presidium,
``BodyKind.governing``), their organisation's active membership — plus
explicit ``ClusterRole`` grants. Superusers are portal administrators and see every
cluster with every role.

Every view calls a scoped lookup from here first: objects outside the user's clusters
raise ``Http404`` (an outsider must not learn that they exist).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Value
from django.http import Http404
from django.utils import timezone

from core.prepared import SENTINEL_DAY, SENTINEL_ID, PreparedQuery
from members.models import BodyKind, BodyMembership, BodyRole, Cluster, ClusterRole, Membership, PortalRole

ADMIN = "admin"
# Not a role of the register: a secretary or chair of a cluster reading a coordinating authority's published
# meeting that their cluster took part in or was addressed by (``meetings.access.joint_meeting_ids``).
PARTICIPANT = "participant"

_BODY_ROLE_TO_PORTAL = {
    BodyRole.CHAIR: PortalRole.CHAIR,
    BodyRole.DEPUTY_CHAIR: PortalRole.DEPUTY_CHAIR,
    BodyRole.SECRETARY: PortalRole.SECRETARY,
    BodyRole.MEMBER: PortalRole.MEMBER,
}


@dataclass(frozen=True)
class ClusterAccess:
    """A user's roles in one cluster, with the questions views ask."""

    cluster_id: int
    roles: frozenset

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.roles

    @property
    def is_secretary(self) -> bool:
        return PortalRole.SECRETARY in self.roles or self.is_admin

    @property
    def is_chair(self) -> bool:
        """Chair or deputy chair: reviews, approves and signs protocols."""
        return bool({PortalRole.CHAIR, PortalRole.DEPUTY_CHAIR} & self.roles) or self.is_admin

    @property
    def can_manage(self) -> bool:
        """Secretary or chair: sees drafts, controls execution."""
        return self.is_secretary or self.is_chair

    @property
    def can_read(self) -> bool:
        return bool(self.roles)

    @property
    def is_coordinator(self) -> bool:
        """Follows the cluster for a coordinating authority: reads what members read (published protocols,
        approved plans, execution), never drafts; writes nothing (it is not secretary nor chair)."""
        return PortalRole.COORDINATOR in self.roles or self.is_admin


NO_ACCESS = ClusterAccess(cluster_id=0, roles=frozenset())


def cluster_roles(user, day: datetime.date | None = None) -> dict[int, frozenset]:
    """{cluster_id: roles} for ``user`` as of ``day`` (today). Cached on the user for a request."""
    if not user.is_authenticated:
        return {}
    day = day or timezone.localdate()
    cache = user.__dict__.setdefault("_cluster_roles_cache", {})
    if day in cache:
        return cache[day]
    if user.is_superuser:
        result = {pk: frozenset({ADMIN, *PortalRole.values}) for pk in Cluster.objects.values_list("pk", flat=True)}
        cache[day] = result
        return result

    roles: dict[int, set] = {}
    governing = BodyKind.governing()
    for cluster_id, role, kind in _role_sources(user, day):
        if kind is None:  # a membership of the user's organisation, or an explicit grant
            roles.setdefault(cluster_id, set()).add(role)
        else:
            # Only the council's and presidium's officers act for the cluster (approve and sign its
            # protocols, keep its register); a seat of any role in another body makes a member.
            portal_role = _BODY_ROLE_TO_PORTAL[role] if kind in governing else PortalRole.MEMBER
            roles.setdefault(cluster_id, set()).add(portal_role)
    result = {pk: frozenset(r) for pk, r in roles.items()}
    cache[day] = result
    return result


def _role_sources_queryset(user_id, day: datetime.date):
    """(cluster_id, role, body kind or None) rows of the user's seats, their organisation's active
    memberships and their explicit grants, as one UNION."""
    none = Value(None, output_field=CharField())
    seats = (
        BodyMembership.objects.filter(person__user_id=user_id).current_on(day)
        .order_by().values_list("body__cluster_id", "role", "body__kind")
    )
    memberships = (
        Membership.objects.filter(organization__people__user_id=user_id).active_on(day).order_by()
        .annotate(portal_role=Value(PortalRole.MEMBER.value, output_field=CharField()), no_kind=none)
        .values_list("cluster_id", "portal_role", "no_kind")
    )
    grants = (
        ClusterRole.objects.filter(user_id=user_id).order_by().annotate(no_kind=none)
        .values_list("cluster_id", "role", "no_kind")
    )
    return seats.union(memberships, grants, all=True)


# Every page asks for the roles: one query, compiled once per process.
ROLE_SOURCES = PreparedQuery(_role_sources_queryset, user_id=SENTINEL_ID, day=SENTINEL_DAY)


def _role_sources(user, day: datetime.date) -> list[tuple]:
    return ROLE_SOURCES.rows(user_id=user.pk, day=day)


def access_for(user, cluster_id: int) -> ClusterAccess:
    roles = cluster_roles(user).get(cluster_id)
    return ClusterAccess(cluster_id=cluster_id, roles=roles) if roles else NO_ACCESS


def visible_cluster_ids(user) -> list[int]:
    return sorted(cluster_roles(user))


def _cluster_ids_where(user, name: str, allowed) -> list[int]:
    """The ids of ``cluster_roles(user)`` whose access passes ``allowed``, kept beside the roles they
    come from (a page asks several times; the portal administrator has every cluster)."""
    roles = cluster_roles(user)
    if not roles:
        return []
    cache = user.__dict__["_cluster_roles_cache"]
    key = (name, timezone.localdate())
    entry = cache.get(key)
    if entry is None or entry[0] is not roles:
        entry = cache[key] = (roles, sorted(pk for pk in roles if allowed(access_for(user, pk))))
    return list(entry[1])


def managed_cluster_ids(user) -> list[int]:
    """Clusters where the user is secretary or chair (sees drafts, controls execution)."""
    return _cluster_ids_where(user, "managed", lambda access: access.can_manage)


def coordinated_cluster_ids(user) -> list[int]:
    """Clusters (and authorities) the user follows as a coordinator; every one for the portal administrator."""
    return _cluster_ids_where(user, "coordinated", lambda access: access.is_coordinator)


def participant_access(cluster_id: int) -> ClusterAccess:
    """Read-only access to one joint meeting of an authority (see ``PARTICIPANT``)."""
    return ClusterAccess(cluster_id=cluster_id, roles=frozenset({PARTICIPANT}))


def visible_clusters(user):
    return Cluster.objects.filter(pk__in=visible_cluster_ids(user))


_VISIBLE_CLUSTERS = PreparedQuery(lambda ids: Cluster.objects.filter(pk__in=ids).order_by("name", "pk"), ids=[SENTINEL_ID])


def visible_cluster_list(user) -> list[Cluster]:
    """``visible_clusters`` by name, as a list from a prepared query (pages that only print them)."""
    return _VISIBLE_CLUSTERS.objects(ids=visible_cluster_ids(user))


def get_cluster_for_user(user, pk) -> tuple[Cluster, ClusterAccess]:
    access = access_for(user, int(pk))
    if not access.can_read:
        raise Http404
    return Cluster.objects.get(pk=pk), access


def user_person(user):
    """The register entry linked to the login, or None."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Exception:  # RelatedObjectDoesNotExist
        return None


def user_organization_id(user) -> int | None:
    person = user_person(user)
    return person.organization_id if person else None
