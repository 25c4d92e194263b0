"""Scoped lookups for meetings: call these first in every view (outsiders get 404)."""

from django.http import Http404

from members.access import ClusterAccess, access_for, managed_cluster_ids, visible_cluster_ids
from meetings.models import Meeting, MeetingStatus


def meetings_visible_to(user):
    """Published protocols of the user's clusters, plus drafts where they are secretary or chair."""
    managed = managed_cluster_ids(user)
    published = Meeting.objects.filter(
        cluster_id__in=visible_cluster_ids(user), status__in=[MeetingStatus.APPROVED, MeetingStatus.SIGNED]
    )
    return (published | Meeting.objects.filter(cluster_id__in=managed)).distinct()


def get_meeting_for_user(user, pk, queryset=None) -> tuple[Meeting, ClusterAccess]:
    """The meeting if the user may read it, with their access in its cluster; else 404."""
    queryset = queryset if queryset is not None else Meeting.objects.select_related("cluster", "body")
    try:
        meeting = queryset.get(pk=pk)
    except (Meeting.DoesNotExist, ValueError):
        raise Http404 from None
    access = access_for(user, meeting.cluster_id)
    if not access.can_read or (not meeting.is_published and not access.can_manage):
        raise Http404
    return meeting, access


def can_edit_meeting(meeting: Meeting, access: ClusterAccess) -> bool:
    return access.is_secretary and meeting.is_editable
