"""Read queries for assignments: scoped to the acting user, eager loading next to the query.

Overdue is never stored: ``meetings.models.overdue_q`` is its one definition, used here by
``AssignmentQuerySet.overdue`` for filters and by ``annotate_urgency`` / ``sorted_by_urgency`` for sorting.
Lists filter by the stored ``Assignment.cluster`` (no joins up to the meeting).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone

from members.models import ClusterKind, PortalRole
from members.access import ClusterAccess, access_for, managed_cluster_ids, user_organization_id, user_person
from meetings.access import can_read_meeting, joint_meeting_ids, meeting_access, readable_meetings
from meetings.models import PUBLISHED_STATUSES, Assignment, AssignmentStatus, open_q, overdue_q
from tasks.models import AssignmentReport, DeadlineExtension

MEETING = "decision__agenda_item__meeting__"

ASSIGNMENT_RELATED = [
    "decision__agenda_item__meeting__body",
    "organization",
    "person",
    "body",
]


def with_assignment_context(queryset):
    """Everything a row prints («1.5 — протокол № 2 от 30.03.2023», the party) in fixed queries."""
    return queryset.select_related(*ASSIGNMENT_RELATED).prefetch_related("decision__agenda_item__decisions")


def readable_assignments(user):
    """Assignments of the meetings the user may read (``meetings.access.readable_meetings``)."""
    return Assignment.objects.filter(readable_meetings(user, MEETING))


def readable_reports(user):
    """Execution reports the user may read, as the assignment page shows them
    (``AssignmentAccess.can_see_reports``): every report of the clusters they manage; elsewhere only
    those on their own or their organisation's assignments of published protocols."""
    reports = AssignmentReport.objects.filter(readable_meetings(user, "assignment__" + MEETING))
    allowed = Q(assignment__cluster_id__in=managed_cluster_ids(user))
    person = user_person(user)
    if person is not None:
        party = Q(assignment__person=person)
        if person.organization_id:
            party |= Q(assignment__organization_id=person.organization_id)
        allowed |= party & Q(**{f"assignment__{MEETING}status__in": PUBLISHED_STATUSES})
    answers_for = _secretary_cluster_ids(user)
    if answers_for:  # what coordinating authorities assigned to her clusters' bodies (``_answers_for_body``)
        allowed |= Q(assignment__body__cluster_id__in=answers_for, assignment__cluster__kind=ClusterKind.AUTHORITY,
                     **{f"assignment__{MEETING}status__in": PUBLISHED_STATUSES})
    return reports.filter(allowed)


def _secretary_cluster_ids(user) -> list[int]:
    """Clusters whose secretary the user is (the portal administrator answers for none)."""
    if user.is_superuser:
        return []
    return [pk for pk in managed_cluster_ids(user) if PortalRole.SECRETARY in access_for(user, pk).roles]


def my_assignments(user):
    """«Mine»: addressed to the user's Person or organisation, from protocols they may read."""
    person = user_person(user)
    if person is None:
        return Assignment.objects.none()
    party = Q(person=person)
    if person.organization_id:
        party |= Q(organization_id=person.organization_id)
    return readable_assignments(user).filter(party)


def open_assignments_of_user(user, limit=10):
    """The dashboard's «my assignments»: open ones, nearest deadline first."""
    queryset = my_assignments(user).open().order_by("deadline", "id")
    return list(with_assignment_context(queryset)[:limit])


def overdue_assignments_of_managed_clusters(user, limit=10):
    queryset = cluster_assignments(user).overdue()
    return list(with_assignment_context(queryset.order_by("deadline", "id"))[:limit])


def open_assignments_of_party(user, **party):
    """Open assignments of an organisation or a person that the user may read (register pages)."""
    queryset = readable_assignments(user).open().filter(**party)
    return list(with_assignment_context(queryset.order_by("deadline", "id")))


def cluster_assignments(user):
    """«All»: every assignment of the clusters the user controls (secretary or chair)."""
    if user.is_superuser:  # every cluster: no filter to apply, and the indexes serve the order alone
        return Assignment.objects.all()
    managed = managed_cluster_ids(user)
    joint = joint_meeting_ids(user)
    if not joint:
        return Assignment.objects.filter(cluster_id__in=managed)
    # and what coordinating authorities assigned to the bodies of these clusters (issue 17)
    return Assignment.objects.filter(Q(cluster_id__in=managed)
                                     | Q(decision__agenda_item__meeting_id__in=joint, body__cluster_id__in=managed))


def of_cluster_q(cluster_id) -> Q:
    """The assignments of one cluster: of its own protocols, and those coordinating authorities gave its
    bodies (a list or report filtered by the cluster shows what ``cluster_assignments`` counts for it)."""
    return Q(cluster_id=cluster_id) | Q(body__cluster_id=cluster_id, cluster__kind=ClusterKind.AUTHORITY)


def annotate_urgency(queryset, now: datetime.datetime | None = None):
    """Adds ``urgency`` (0 overdue, 1 open with a deadline, 2 reported, 3 open without a
    deadline, 4 accepted, 5 cancelled) computed in SQL."""
    is_open = open_q()
    return queryset.annotate(
        urgency=Case(
            When(overdue_q(now), then=Value(0)),
            When(is_open & Q(deadline__isnull=False), then=Value(1)),
            When(status=AssignmentStatus.REPORTED, then=Value(2)),
            When(is_open, then=Value(3)),
            When(status=AssignmentStatus.ACCEPTED, then=Value(4)),
            default=Value(5),
            output_field=IntegerField(),
        ),
    )


def sorted_by_urgency(queryset, now: datetime.datetime | None = None):
    """The order of ``annotate_urgency`` (then deadline, then id) in a form an index serves.

    ``Assignment.urgency_rank`` is the clock-free part of the urgency, stored by the database. The
    overdue ones (urgency 0) are those of rank 1 whose deadline has passed, i.e. the earliest
    deadlines of rank 1: ordering rank 1 by deadline puts them first except on the deadline day
    itself, where the tie on the date is broken by «overdue» before the id. The index
    ``(cluster, urgency_rank, deadline, id)`` gives the first keys presorted, so the database reads
    a page's rows in order (incremental sort) instead of sorting every row by a computed CASE.
    """
    overdue_first = Case(When(overdue_q(now), then=Value(0)), default=Value(1), output_field=IntegerField())
    return with_assignment_context(queryset).order_by("urgency_rank", "deadline", overdue_first, "id")


def days_left(assignment: Assignment, today: datetime.date | None = None) -> int | None:
    """Calendar days until the deadline day (negative after it); None when closed or without one."""
    if assignment.deadline is None or not assignment.is_open:
        return None
    return (assignment.deadline - (today or timezone.localdate())).days


@dataclass(frozen=True)
class AssignmentAccess:
    access: ClusterAccess
    is_responsible: bool

    @property
    def can_report(self) -> bool:
        return self.is_responsible

    @property
    def can_see_reports(self) -> bool:
        """Reports, their files and extension requests: the responsible party, secretary and chair only
        (other members of the cluster see the assignment, not what another organisation reported)."""
        return self.is_responsible or self.access.can_manage

    @property
    def can_review(self) -> bool:
        """The cluster's secretary or chair accepts, returns and decides extensions."""
        return self.access.can_manage


def is_responsible(user, assignment: Assignment) -> bool:
    if _answers_for_body(user, assignment):
        return True
    person = user_person(user)
    if person is None:
        return False
    org_id = user_organization_id(user)
    return assignment.person_id == person.pk or (org_id is not None and assignment.organization_id == org_id)


def _answers_for_body(user, assignment: Assignment) -> bool:
    """A coordinating authority's assignment to a body of a cluster (its council) is answered by that
    cluster's secretary: she reports on it to the authority, whose secretary reviews the report."""
    if user.is_superuser or assignment.body_id is None:
        return False
    body_cluster = assignment.body.cluster_id
    return body_cluster != assignment.cluster_id and PortalRole.SECRETARY in access_for(user, body_cluster).roles


def get_assignment_for_user(user, pk) -> tuple[Assignment, AssignmentAccess]:
    """The assignment with its context if the user may read it; else 404."""
    try:
        assignment = with_assignment_context(Assignment.objects.all()).get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    meeting = assignment.decision.agenda_item.meeting
    access = meeting_access(user, meeting)
    if not can_read_meeting(meeting, access):
        raise Http404
    responsible = meeting.is_published and is_responsible(user, assignment)
    return assignment, AssignmentAccess(access=access, is_responsible=responsible)


def assignment_detail_context(assignment: Assignment, *, with_reports: bool = True) -> dict:
    """Reports with files, extensions and the status history, each in one query (reports and
    extensions only ``with_reports``: see ``AssignmentAccess.can_see_reports``)."""
    reports = (
        AssignmentReport.objects.filter(assignment=assignment)
        .select_related("author__person", "reviewed_by__person")
        .prefetch_related("files")
        .order_by("-submitted_at", "-id")
    )
    extensions = (
        DeadlineExtension.objects.filter(assignment=assignment)
        .select_related("requested_by__person", "decided_by__person")
        .order_by("-requested_at", "-id")
    )
    history = assignment.history.select_related("history_user__person").order_by("-history_date", "-history_id")
    if not with_reports:
        return {"reports": [], "extensions": [], "history": list(history)}
    return {"reports": list(reports), "extensions": list(extensions), "history": list(history)}

