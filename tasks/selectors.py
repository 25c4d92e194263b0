"""Read queries for assignments: scoped to the acting user, eager loading next to the query.

Overdue is never stored: ``meetings.models.overdue_q`` is its one definition, used here by
``AssignmentQuerySet.overdue`` for filters and by ``annotate_urgency`` / ``sorted_by_urgency`` for sorting.
Lists filter by the stored ``Assignment.cluster`` (no joins up to the meeting).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, Func, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone

from members.models import ClusterKind, PortalRole
from members.access import (ClusterAccess, access_for, managed_cluster_ids, user_organization_id, user_person,
                            visible_cluster_ids)
from core.prepared import SENTINEL_DAY, SENTINEL_ID, SENTINEL_TIME, PreparedQuery, fill_reverse_prefetch, prepared
from meetings.access import (can_read_meeting, joint_meeting_ids, meeting_access, readable_meetings, readable_meetings_q,
                             readable_q)
from meetings.models import PUBLISHED_STATUSES, Assignment, AssignmentStatus, Decision, local_moment, open_q, overdue_q
from tasks.models import AssignmentReport, DeadlineExtension
from tasks.rows import ROW_COLUMNS

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


# The sibling decisions a decision's number needs («1.5»), for rows of a prepared query.
_ITEM_DECISIONS = PreparedQuery(lambda items: Decision.objects.filter(agenda_item_id__in=items)
                                .only("agenda_item_id", "parent_id", "order").order_by("agenda_item", "order"),
                                items=[SENTINEL_ID])


# The same, as (agenda item, id, parent) tuples for the task list's rows (``list_row_citations``).
_ITEM_DECISION_ROWS = PreparedQuery(lambda items: Decision.objects.filter(agenda_item_id__in=items)
                                    .order_by("agenda_item", "order").values_list("agenda_item_id", "id", "parent_id"),
                                    items=[SENTINEL_ID])


def list_row_numbers(rows) -> dict[int, str]:
    """``Decision.number`` of the decisions of task-list rows (``tasks.rows.ROW_COLUMNS`` tuples, or decision
    rows through ``tasks.rows.decision_row``): one prepared query for the decisions of their agenda items, one
    more where a protocol has one «РЕШИЛИ» block."""
    from meetings.models import ProtocolLayout, _block_tops
    from tasks import rows as row_html

    if not rows:
        return {}
    siblings: dict[int, list] = {}
    for item, pk, parent in _ITEM_DECISION_ROWS.rows(items=sorted({row[row_html.ITEM_ID] for row in rows})):
        siblings.setdefault(item, []).append((pk, parent))
    single = {row[row_html.M_ID] for row in rows if row_html.meeting_layout(row) == ProtocolLayout.SINGLE_BLOCK}
    return row_html.decision_numbers_of_rows(rows, siblings, _block_tops(single) if single else {})


def list_row_citations(rows) -> dict[int, str]:
    """``Decision.citation`` of the decisions of task-list rows (``list_row_numbers``)."""
    from tasks import rows as row_html

    numbers = list_row_numbers(rows)
    return {row[row_html.D_ID]: row_html.citation_of(row, numbers[row[row_html.D_ID]]) for row in rows}


def prepared_assignment_rows(query, **values) -> list[Assignment]:
    """Assignments of a prepared query built with ``select_related(*ASSIGNMENT_RELATED)``, with what
    ``with_assignment_context`` prefetches filled in by a prepared query too (one query, not compiled)."""
    assignments = query.objects(**values)
    fill_item_decisions([a.decision.agenda_item for a in assignments])
    return assignments


def fill_item_decisions(items) -> None:
    """What ``prefetch_related("decisions")`` leaves on agenda items (``Decision.number`` reads it), from one
    prepared query."""
    if items:
        decisions = _ITEM_DECISIONS.objects(items=sorted({item.pk for item in items}))
        fill_reverse_prefetch(items, "decisions", decisions)


def readable_assignments(user):
    """Assignments of the meetings the user may read (``meetings.access.readable_meetings``)."""
    return Assignment.objects.filter(readable_meetings(user, MEETING))


def readable_reports(user):
    """Execution reports the user may read, as the assignment page shows them
    (``AssignmentAccess.can_see_reports``): every report of the clusters they manage; elsewhere only
    those on their own or their organisation's assignments of published protocols."""
    person = user_person(user)
    return reports_readable_with(
        visible_cluster_ids(user), managed_cluster_ids(user), joint_meeting_ids(user),
        persons=[person.pk] if person is not None else [],
        organizations=[person.organization_id] if person is not None and person.organization_id else [],
        answers_for=secretary_cluster_ids(user))


def reports_readable_with(visible, managed, joint, *, persons, organizations, answers_for):
    """``readable_reports`` for given ids: the user's clusters, managed clusters, joint meetings, their
    Person (a list of none or one), its organisation (likewise), the clusters whose secretary they are."""
    reports = AssignmentReport.objects.filter(readable_meetings_q(visible, managed, joint, "assignment__" + MEETING))
    allowed = Q(assignment__cluster_id__in=managed)
    if persons:
        party = Q(assignment__person_id__in=persons)
        if organizations:
            party |= Q(assignment__organization_id__in=organizations)
        allowed |= party & Q(**{f"assignment__{MEETING}status__in": PUBLISHED_STATUSES})
    if answers_for:  # what coordinating authorities assigned to her clusters' bodies (``_answers_for_body``)
        allowed |= Q(assignment__body__cluster_id__in=answers_for, assignment__cluster__kind=ClusterKind.AUTHORITY,
                     **{f"assignment__{MEETING}status__in": PUBLISHED_STATUSES})
    return reports.filter(allowed)


def secretary_cluster_ids(user) -> list[int]:
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


def _open_of_party(limit, visible, managed, joint, person, organization=None):
    readable = readable_q(visible, managed, MEETING) | Q(**{f"{MEETING}pk__in": joint})
    party = Q(person_id=person) | Q(organization_id=organization) if organization is not None else Q(person_id=person)
    queryset = Assignment.objects.filter(readable).filter(party).open()
    return queryset.order_by("deadline", "id").values_list(*ROW_COLUMNS)[:limit]


def _overdue_of_clusters(arg, today, clock, managed=None, joint=None):
    limit, after_end_of_day = arg
    if managed is None:  # the portal administrator: every cluster
        queryset = Assignment.objects.all()
    else:
        queryset = Assignment.objects.filter(_of_managed_q(managed, joint))
    overdue = overdue_q(local_moment=(today, clock, after_end_of_day))
    return queryset.filter(overdue).order_by("deadline", "id").values_list(*ROW_COLUMNS)[:limit]


def open_assignments_of_user(user, limit=10) -> list[tuple]:
    """The dashboard's «my assignments»: open ones, nearest deadline first (``my_assignments``), as
    ``tasks.rows.ROW_COLUMNS`` tuples (``tasks.rows.party_rows_html`` prints them).

    Prepared (``core.prepared``): compiling this query was the dashboard's largest cost."""
    person = user_person(user)
    if person is None:
        return []
    values = {"visible": visible_cluster_ids(user), "managed": managed_cluster_ids(user),
              "joint": joint_meeting_ids(user), "person": person.pk}
    placeholders = {"visible": [SENTINEL_ID], "managed": [SENTINEL_ID], "joint": [SENTINEL_ID], "person": SENTINEL_ID}
    if person.organization_id:
        values["organization"], placeholders["organization"] = person.organization_id, SENTINEL_ID - 1
    query = prepared(("open-of-user-rows", limit, "organization" in values), _open_of_party, limit, generic_plan=True,
                     **placeholders)
    return query.rows(**values)


def cluster_scope_values(user, now: datetime.datetime | None = None) -> tuple[dict, dict, bool]:
    """What a prepared query over the assignments of the clusters ``user`` controls (``_of_managed_q``) is
    given at ``now``: its values, their placeholders (today, the clock and, but for a superuser, the managed
    clusters and the joint meetings) and whether ``now`` is past the end of the day (compiled in)."""
    today, clock, after_end_of_day = local_moment(now)
    values = {"today": today, "clock": clock}
    placeholders = {"today": SENTINEL_DAY, "clock": SENTINEL_TIME}
    if not user.is_superuser:
        values.update(managed=managed_cluster_ids(user), joint=joint_meeting_ids(user))
        placeholders.update(managed=[SENTINEL_ID], joint=[SENTINEL_ID])
    return values, placeholders, after_end_of_day


def overdue_assignments_of_managed_clusters(user, limit=10, now: datetime.datetime | None = None) -> list[tuple]:
    """The dashboard's overdue assignments of the clusters the user controls (``cluster_assignments``),
    earliest deadline first, at ``now``; tuples and prepared like ``open_assignments_of_user``."""
    values, placeholders, after_end_of_day = cluster_scope_values(user, now)
    arg = (limit, after_end_of_day)
    query = prepared(("overdue-of-clusters-rows", arg, user.is_superuser), _overdue_of_clusters, arg,
                     generic_plan=True, **placeholders)
    return query.rows(**values)


def _list_rows(arg, **values):
    """The assignments of the task list as it opens (no filter), for ``AssignmentListPages``."""
    scope, has_organization, superuser = arg
    if scope == "mine":
        readable = readable_q(values["visible"], values["managed"], MEETING) | Q(**{f"{MEETING}pk__in": values["joint"]})
        party = Q(person_id=values["person"])
        if has_organization:
            party |= Q(organization_id=values["organization"])
        return Assignment.objects.filter(readable).filter(party)
    if superuser:
        return Assignment.objects.all()
    return Assignment.objects.filter(_of_managed_q(values["managed"], values["joint"]))


def _list_count(arg, **values):
    return _list_rows(arg, **values).order_by().values_list(Func(F("id"), function="COUNT"))


def _list_page(arg, today, clock, **values):
    shape, (start, stop), after_end_of_day = arg
    overdue = overdue_q(local_moment=(today, clock, after_end_of_day))
    overdue_first = Case(When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (_list_rows(shape, **values).order_by("urgency_rank", "deadline", overdue_first, "id")
            .values_list(*ROW_COLUMNS)[start:stop])


class AssignmentListPages:
    """The task list as it opens (``scope`` «mine» or «all», no filter) as a paginator's object list:
    ``count()`` and the page run prepared queries (``core.prepared``) in the order of
    ``sorted_by_urgency``. ``None`` from ``for_user`` where the plain queryset is needed (no Person).

    A page is a list of tuples (``tasks.rows.ROW_COLUMNS``, exactly what a row prints), not model
    instances; ``rows_html`` renders them."""

    ordered = True

    def __init__(self, user, scope: str, page_size: int, now: datetime.datetime | None = None):
        self.page_size = page_size
        self.now = now
        superuser = user.is_superuser
        person = user_person(user)
        values = {"managed": managed_cluster_ids(user), "joint": joint_meeting_ids(user)}
        placeholders = {"managed": [SENTINEL_ID], "joint": [SENTINEL_ID]}
        has_organization = False
        if scope == "mine":
            values.update(visible=visible_cluster_ids(user), person=person.pk)
            placeholders.update(visible=[SENTINEL_ID], person=SENTINEL_ID)
            if person.organization_id:
                has_organization = True
                values["organization"], placeholders["organization"] = person.organization_id, SENTINEL_ID - 1
        elif superuser:
            values, placeholders = {}, {}
        self.shape = (scope, has_organization, superuser)
        self.values, self.placeholders = values, placeholders
        self._count = None

    @classmethod
    def for_user(cls, user, scope: str, page_size: int):
        if scope == "mine" and user_person(user) is None:
            return None
        return cls(user, scope, page_size)

    def count(self) -> int:
        if self._count is None:
            query = prepared(("task-list-count", self.shape, tuple(self.placeholders)), _list_count, self.shape,
                             generic_plan=True, **self.placeholders)
            rows = query.rows(**self.values)
            self._count = rows[0][0] if rows else 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("AssignmentListPages takes slices only")
        start = index.start or 0
        stop = index.stop if index.stop is not None else start + self.page_size
        # One SQL per page start, whatever the last page's length (LIMIT is the page size).
        bounds = (start, start + max(self.page_size, stop - start))
        today, clock, after_end_of_day = local_moment(self.now)
        arg = (self.shape, bounds, after_end_of_day)
        placeholders = {**self.placeholders, "today": SENTINEL_DAY, "clock": SENTINEL_TIME}
        query = prepared(("task-list-page", arg, tuple(self.placeholders)), _list_page, arg, generic_plan=True,
                         **placeholders)
        return query.rows(**self.values, today=today, clock=clock)[: stop - start]

    def rows_html(self, rows):
        """A page's rows as ``{% assignment_row a with_party=True with_status=True %}`` prints them."""
        from tasks.rows import list_rows_html

        return list_rows_html(rows, list_row_citations(rows), self.now)


def open_assignments_of_party(user, **party):
    """Open assignments of an organisation or a person that the user may read (register pages)."""
    queryset = readable_assignments(user).open().filter(**party)
    return list(with_assignment_context(queryset.order_by("deadline", "id")))


def cluster_assignments(user):
    """«All»: every assignment of the clusters the user controls (secretary or chair)."""
    if user.is_superuser:  # every cluster: no filter to apply, and the indexes serve the order alone
        return Assignment.objects.all()
    return Assignment.objects.filter(_of_managed_q(managed_cluster_ids(user), joint_meeting_ids(user)))


def _of_managed_q(managed, joint) -> Q:
    """``cluster_assignments`` for given ids: the clusters' own, and what coordinating authorities
    assigned to the bodies of these clusters in the ``joint`` meetings (issue 17)."""
    if not joint:
        return Q(cluster_id__in=managed)
    return Q(cluster_id__in=managed) | Q(decision__agenda_item__meeting_id__in=joint, body__cluster_id__in=managed)


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

