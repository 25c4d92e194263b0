"""The protocol body of a signed protocol's page, from a cache (issue 13).

A signed protocol never changes: ``refuse_if_signed`` stops every write to the meeting, its
agenda, decisions and attendance until a correction starts, which changes its status and
revision; its signed versions (the PDF panel) change only then too. So the page's content — the
protocol text, the status card, the PDF panel — is rendered once and kept in the per-process
"local" cache (``{% cached_if %}``), under a key made of what it shows:

- the meeting's id, revision, status, ``updated_at`` and approver, the protocol form, the language
  and the viewer's roles in the cluster (which buttons the panels offer);
- a fingerprint of what around the text still moves: each decision's assignments with their
  status, and the plan a decision approves with its title and period (one small prepared query).

A key never goes stale, it is only replaced; old entries age out of the cache. People's and
organisations' names stay as the page first printed them, as the signed PDF does. A warm page
costs the meeting's own query and the fingerprint's instead of the eleven its content makes.
Other states of a protocol are rendered afresh on every view.
"""

from __future__ import annotations

import hashlib

from django.utils import translation

from core.prepared import SENTINEL_ID, PreparedQuery
from meetings.models import Decision, Meeting, MeetingStatus
from members.access import ClusterAccess


def _fingerprint_queryset(meeting_id):
    return (
        Decision.objects.filter(agenda_item__meeting_id=meeting_id)
        .order_by("pk", "assignments__pk")
        .values_list("pk", "approves_plan_id", "approves_plan__title", "approves_plan__period_start",
                     "approves_plan__period_end", "assignments__pk", "assignments__status")
    )


FINGERPRINT = PreparedQuery(_fingerprint_queryset, meeting_id=SENTINEL_ID)


def fingerprint(meeting: Meeting) -> str:
    """What still moves around a signed protocol's text: its assignments' statuses, the plans it approves."""
    rows = FINGERPRINT.rows(meeting_id=meeting.pk)
    return hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()


def page_key(meeting: Meeting, access: ClusterAccess, form: str) -> str:
    """The cache key of a signed protocol's page content (``{% cached_if %}`` in meeting_detail.html), or
    "" for a protocol in any other state. It holds everything the content shows: the meeting's state,
    the form, the language, the viewer's roles in the cluster and the fingerprint."""
    if meeting.status != MeetingStatus.SIGNED:
        return ""
    return ":".join([
        "protocol-page", str(meeting.pk), str(meeting.revision), meeting.status, meeting.updated_at.isoformat(),
        str(meeting.approved_by_id or ""), form, translation.get_language() or "",
        ",".join(sorted(access.roles)), fingerprint(meeting),
    ])
