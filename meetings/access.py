"""Scoped lookups for meetings: call these first in every view (outsiders get 404)."""

from django.db.models import Q
from django.http import Http404

from core.params import MAX_ID
from core.prepared import SENTINEL_ID, PreparedQuery
from members.access import ClusterAccess, access_for, managed_cluster_ids, participant_access, visible_cluster_ids
from members.models import ClusterKind
from meetings.models import PUBLISHED_STATUSES, Assignment, Meeting


def readable_meetings(user, prefix: str = "") -> Q:
    """The one rule of who may read a meeting: its published protocol in one of the user's
    clusters, or any state of it in a cluster they manage (secretary, chair).

    ``prefix`` reaches the meeting from another model, e.g. ``"decision__agenda_item__meeting__"``.
    """
    return readable_meetings_q(visible_cluster_ids(user), managed_cluster_ids(user), joint_meeting_ids(user), prefix)


def readable_meetings_q(visible_ids, managed_ids, joint_ids, prefix: str = "") -> Q:
    """``readable_meetings`` for given ids (the search's prepared queries fill them in per request)."""
    condition = readable_q(visible_ids, managed_ids, prefix)
    if joint_ids:
        condition |= Q(**{f"{prefix}pk__in": joint_ids})
    return condition


def readable_q(visible_ids, managed_ids, prefix: str = "") -> Q:
    """``readable_meetings`` for given cluster ids (a prepared query fills them in per request)."""
    published = Q(**{f"{prefix}cluster_id__in": visible_ids, f"{prefix}status__in": PUBLISHED_STATUSES})
    return published | Q(**{f"{prefix}cluster_id__in": managed_ids})


def _joint_meetings_queryset(managed, visible):
    """Published meetings of coordinating authorities (outside the user's own clusters) that one of the
    ``managed`` clusters took part in, or whose assignments went to one of its bodies: one UNION."""
    through = Meeting.participating_clusters.through
    participated = (
        through.objects.filter(cluster_id__in=managed, meeting__status__in=PUBLISHED_STATUSES,
                               meeting__cluster__kind=ClusterKind.AUTHORITY)
        .exclude(meeting__cluster_id__in=visible).order_by().values_list("meeting_id")
    )
    addressed = (
        Assignment.objects.filter(body__cluster_id__in=managed, cluster__kind=ClusterKind.AUTHORITY,
                                  decision__agenda_item__meeting__status__in=PUBLISHED_STATUSES)
        .exclude(cluster_id__in=visible).order_by().values_list("decision__agenda_item__meeting_id")
    )
    return participated.union(addressed)


JOINT_MEETINGS = PreparedQuery(_joint_meetings_queryset, managed=[SENTINEL_ID], visible=[SENTINEL_ID])


def joint_meeting_ids(user) -> list[int]:
    """The authority meetings a cluster's secretary or chair reads for their cluster (issue 17): published,
    their cluster took part (``Meeting.participating_clusters``) or was addressed (an assignment of one of
    its bodies). The portal administrator reads every meeting anyway: none. Cached on the user."""
    if not user.is_authenticated or user.is_superuser:
        return []
    cache = user.__dict__.setdefault("_joint_meetings_cache", {})
    if "ids" not in cache:
        managed = managed_cluster_ids(user)
        rows = JOINT_MEETINGS.rows(managed=managed, visible=visible_cluster_ids(user)) if managed else []
        cache["ids"] = sorted({row[0] for row in rows})
    return cache["ids"]


def can_read_meeting(meeting: Meeting, access: ClusterAccess) -> bool:
    """``readable_meetings`` for a loaded meeting, given the user's access in its cluster."""
    return access.can_read and (meeting.is_published or access.can_manage)


def meetings_visible_to(user):
    """Meetings the user may read (see ``readable_meetings``)."""
    return Meeting.objects.filter(readable_meetings(user))


def _meeting_by_pk(pk):
    return Meeting.objects.select_related("cluster", "body").filter(pk=pk)


# the default lookup, compiled once (a page that only reads the meeting's row pays no ORM compile for it)
MEETING_BY_PK = PreparedQuery(_meeting_by_pk, pk=SENTINEL_ID)


def get_meeting_for_user(user, pk, queryset=None) -> tuple[Meeting, ClusterAccess]:
    """The meeting if the user may read it, with their access in its cluster; else 404. ``queryset`` is a
    queryset of meetings, or a ``PreparedQuery`` with a ``pk`` placeholder (the default: ``MEETING_BY_PK``)."""
    queryset = queryset if queryset is not None else MEETING_BY_PK
    try:
        if isinstance(queryset, PreparedQuery):
            pk = int(pk)
            if not 0 < pk <= MAX_ID:  # SQLite refuses an integer past 64 bits (the ORM's get() says "no row")
                raise Meeting.DoesNotExist
            found = queryset.objects(pk=pk)
            if not found:
                raise Meeting.DoesNotExist
            meeting = found[0]
        else:
            meeting = queryset.get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access = meeting_access(user, meeting)
    if not can_read_meeting(meeting, access):
        raise Http404
    return meeting, access


def meeting_access(user, meeting: Meeting) -> ClusterAccess:
    """The user's access in the meeting's cluster; for a joint meeting of an authority that their cluster took
    part in (``joint_meeting_ids``), read-only access to it."""
    access = access_for(user, meeting.cluster_id)
    if not can_read_meeting(meeting, access) and meeting.is_published and meeting.pk in joint_meeting_ids(user):
        return participant_access(meeting.cluster_id)
    return access


def can_edit_meeting(meeting: Meeting, access: ClusterAccess) -> bool:
    return access.is_secretary and meeting.is_editable
