"""Scoped lookups for meetings: call these first in every view (outsiders get 404)."""

from django.db.models import Q
from django.http import Http404

from members.access import ClusterAccess, access_for, managed_cluster_ids, visible_cluster_ids
from meetings.models import PUBLISHED_STATUSES, Meeting


def readable_meetings(user, prefix: str = "") -> Q:
    """The one rule of who may read a meeting: its published protocol in one of the user's
    clusters, or any state of it in a cluster they manage (secretary, chair).

    ``prefix`` reaches the meeting from another model, e.g. ``"decision__agenda_item__meeting__"``.
    """
    return readable_q(visible_cluster_ids(user), managed_cluster_ids(user), prefix)


def readable_q(visible_ids, managed_ids, prefix: str = "") -> Q:
    """``readable_meetings`` for given cluster ids (a prepared query fills them in per request)."""
    published = Q(**{f"{prefix}cluster_id__in": visible_ids, f"{prefix}status__in": PUBLISHED_STATUSES})
    return published | Q(**{f"{prefix}cluster_id__in": managed_ids})


def can_read_meeting(meeting: Meeting, access: ClusterAccess) -> bool:
    """``readable_meetings`` for a loaded meeting, given the user's access in its cluster."""
    return access.can_read and (meeting.is_published or access.can_manage)


def meetings_visible_to(user):
    """Meetings the user may read (see ``readable_meetings``)."""
    return Meeting.objects.filter(readable_meetings(user))


def get_meeting_for_user(user, pk, queryset=None) -> tuple[Meeting, ClusterAccess]:
    """The meeting if the user may read it, with their access in its cluster; else 404."""
    queryset = queryset if queryset is not None else Meeting.objects.select_related("cluster", "body")
    try:
        meeting = queryset.get(pk=pk)
    except (Meeting.DoesNotExist, ValueError):
        raise Http404 from None
    access = access_for(user, meeting.cluster_id)
    if not can_read_meeting(meeting, access):
        raise Http404
    return meeting, access


def can_edit_meeting(meeting: Meeting, access: ClusterAccess) -> bool:
    return access.is_secretary and meeting.is_editable
