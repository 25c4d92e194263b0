"""The protocol body of a signed protocol's page, from a cache (issue 13).

A signed protocol never changes: ``refuse_if_signed`` stops every write to the meeting, its
agenda, decisions and attendance until a correction starts, which changes its status and
revision; its signed versions (the PDF panel) change only then too. So the page's content — the
protocol text, the status card, the PDF panel — is rendered once and kept in the per-process
"local" cache (``{% cached_if %}``), under a key made of what it shows:

- the meeting's id, revision, status, ``updated_at`` and approver, the protocol form, the language
  and the viewer's roles in the cluster (which buttons the panels offer);
- a fingerprint of what around the text still moves: each decision's assignments with their
  status, and the plan a decision approves with its title and period as written (a subquery of
  the meeting's own row: ``fingerprint_expression``).

A key never goes stale, it is only replaced; old entries age out of the cache. People's and
organisations' names stay as the page first printed them, as the signed PDF does. A warm page
costs the meeting's own query instead of the eleven its content makes.
Other states of a protocol are rendered afresh on every view.
"""

from __future__ import annotations

import hashlib

from django.db.models import Aggregate, Case, OuterRef, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils import translation

from meetings.models import Decision, Meeting, MeetingStatus
from members.access import ClusterAccess


FIELD_SEPARATOR, ROW_SEPARATOR = "\x1f", "\x1e"  # ASCII unit and record separators: in no title


class _Joined(Aggregate):
    """A text column's values joined with ``ROW_SEPARATOR``: PostgreSQL's ``STRING_AGG`` in the values'
    order, SQLite's ``GROUP_CONCAT`` in its scan order (no ``ORDER BY`` inside it before SQLite 3.44; a
    different order would only make another key, never a stale page)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        if connection.vendor == "postgresql":
            return f"STRING_AGG({sql}, %s ORDER BY {sql})", (*params, ROW_SEPARATOR, *params)
        return f"GROUP_CONCAT({sql}, %s)", (*params, ROW_SEPARATOR)


def fingerprint_expression() -> Case:
    """What still moves around a signed protocol's text, as one text on the meeting's row (a subquery,
    no query of its own): each decision's assignments with their status, and the plan a decision
    approves with what the page prints of it (``str(plan)``: its title and period as written); "" for a
    protocol not signed. The protocol page's meeting query annotates it as ``page_fingerprint``."""
    sep = Value(FIELD_SEPARATOR)
    joined = (
        Decision.objects.filter(agenda_item__meeting_id=OuterRef("pk")).order_by()
        .values("agenda_item__meeting_id")
        .annotate(joined=_Joined(Concat(
            "pk", sep, "approves_plan_id", sep, "approves_plan__title", sep, "approves_plan__period", sep,
            "assignments__pk", sep, "assignments__status", output_field=TextField(),
        )))
        .values("joined")
    )
    # only a signed protocol's page is cached: for any other the subquery is not run
    return Case(
        When(status=MeetingStatus.SIGNED,
             then=Coalesce(Subquery(joined, output_field=TextField()), Value(""), output_field=TextField())),
        default=Value(""), output_field=TextField(),
    )


def fingerprint(meeting: Meeting) -> str:
    """The digest of ``fingerprint_expression`` on a meeting loaded with it (``page_fingerprint``)."""
    return hashlib.blake2b(meeting.page_fingerprint.encode(), digest_size=12).hexdigest()


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
