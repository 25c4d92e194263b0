"""Reads of the coordination page (issue 17): a coordinating authority's view of execution across the
clusters it follows, and of what each cluster did with its own orders.

Only published protocols count (``PUBLISHED_STATUSES``): a coordinator never sees a draft, not even as a
number. The figures follow the rules of the execution-discipline report (``tasks.reports``: on time,
late, ``overdue_q``, open), each table in one GROUP BY query whatever the number of clusters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Func, Q
from django.utils.translation import gettext_lazy as _

from members.access import coordinated_cluster_ids, visible_cluster_ids
from members.models import Cluster, ClusterKind
from core.prepared import SENTINEL_DAY, SENTINEL_ID, SENTINEL_TIME, PreparedQuery, prepared
from meetings.models import PUBLISHED_STATUSES, Assignment, AssignmentStatus, Meeting, local_moment, open_q, overdue_q
from tasks.reports import DisciplineReport, DisciplineRow, done_late_q, done_on_time_q
from tasks.selectors import ASSIGNMENT_RELATED, prepared_assignment_rows, with_assignment_context

MEETING = "decision__agenda_item__meeting__"
OTHER_ADDRESSEES = _("Organisations and people")


class State:
    """What a drill-down list shows; the same rules as the report's columns."""

    OVERDUE, OPEN, ON_TIME, LATE, ALL = "overdue", "open", "on_time", "late", "all"
    CHOICES = (OVERDUE, OPEN, ON_TIME, LATE, ALL)


@dataclass
class ClusterDisciplineRow(DisciplineRow):
    """A row of the coordination page: one cluster (``cluster_id``) or one region (``clusters`` in it)."""

    cluster_id: int | None = None
    region: str = ""
    clusters: int = 0


def coordinated_clusters(user):
    """The clusters the user follows as a coordinator (the portal administrator: every cluster)."""
    return Cluster.objects.filter(pk__in=coordinated_cluster_ids(user), kind=ClusterKind.CLUSTER)


_CLUSTER_LIST = PreparedQuery(lambda ids: Cluster.objects.filter(pk__in=ids, kind=ClusterKind.CLUSTER)
                              .only("name", "short_name", "region").order_by("name"), ids=[SENTINEL_ID])


def coordinated_cluster_list(user) -> list[Cluster]:
    """``coordinated_clusters`` by name, with what the pages print (name, short name, region), as a list
    from a prepared query."""
    return _CLUSTER_LIST.objects(ids=coordinated_cluster_ids(user))


def published_assignments():
    """Assignments of approved and signed protocols, never of drafts, and never cancelled ones."""
    return Assignment.objects.filter(**{f"{MEETING}status__in": PUBLISHED_STATUSES}).exclude(
        status=AssignmentStatus.CANCELLED)


def _counts(now, overdue: Q | None = None) -> dict:
    """The report's columns as aggregates (``tasks.reports``' rules); ``overdue``: ``overdue_q`` already made."""
    return {
        "assigned": Count("id"),
        "on_time": Count("id", filter=done_on_time_q()),
        # Late = accepted − on time (``tasks.reports``): one local-day conversion a row, not two.
        "accepted": Count("id", filter=Q(status=AssignmentStatus.ACCEPTED)),
        "overdue": Count("id", filter=overdue_q(now) if overdue is None else overdue),
    }


COUNTS = ("assigned", "on_time", "accepted", "overdue")


# The overview's two aggregates, compiled once per process (``core.prepared``; compiling them was ~1/4 of
# the page's CPU): the clusters' or the meetings' ids and the moment «overdue» is judged at are
# placeholders. ``coordination/tests/test_prepared_overview.py`` compares them with ``_figures``.
def _prepared_figures(arg, ids, today, clock):
    key, extra, after_end_of_day = arg
    counts = _counts(None, overdue_q(local_moment=(today, clock, after_end_of_day)))
    if extra:
        counts["addressed"] = Count("body__cluster_id", distinct=True)
    return (published_assignments().filter(**{f"{key}__in": ids}).values(key).order_by(key).annotate(**counts)
            .values_list(key, *counts))


def _prepared_figures_of(key: str, ids: list, now, extra: bool = False) -> dict:
    """``_figures(published_assignments().filter(<key>__in=ids), key, now)`` (with ``addressed`` when
    ``extra``) from a prepared query: {key value: {column: count}}."""
    today, clock, after_end_of_day = local_moment(now)
    arg = (key, extra, after_end_of_day)
    query = prepared(("coordination-figures", arg), _prepared_figures, arg,
                     ids=[SENTINEL_ID], today=SENTINEL_DAY, clock=SENTINEL_TIME)
    columns = (*COUNTS, "addressed") if extra else COUNTS
    return {row[0]: dict(zip(columns, row[1:])) for row in query.rows(ids=list(ids), today=today, clock=clock)}


def _figures(queryset, key: str, now) -> dict:
    """{key value: counts} in one GROUP BY query."""
    rows = queryset.values(key).order_by(key).annotate(**_counts(now))
    return {row[key]: row for row in rows}


def _row(name: str, figures: dict | None, **extra) -> ClusterDisciplineRow:
    figures = figures or {}
    row = ClusterDisciplineRow(organization_id=None, name=name, **extra,
                               **{k: figures.get(k) or 0 for k in ("assigned", "on_time", "overdue")})
    row.late = (figures.get("accepted") or 0) - row.on_time  # ``_counts``
    row.open = row.assigned - row.on_time - row.late - row.overdue
    return row


def _report(rows: list[ClusterDisciplineRow]) -> DisciplineReport:
    total = _row(str(DisciplineReport(rows=[]).total.name), None)
    for row in rows:
        for name in ("assigned", "on_time", "late", "overdue", "open", "clusters"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    # The worst first, as the discipline report orders organisations.
    rows.sort(key=lambda r: (-r.overdue, r.on_time_rate if r.on_time_rate is not None else 2, r.name))
    return DisciplineReport(rows=rows, total=total)


def coordination_discipline(clusters: list[Cluster], *, now: datetime.datetime | None = None):
    """(per cluster, per region) reports of the clusters' own protocols: one GROUP BY query by cluster; a
    region's row is the sum of its clusters' rows (a second pass over the assignments would double the
    cost of the page: 0.18 s of SQL for 80k assignments)."""
    ids = [c.pk for c in clusters]
    by_cluster = _prepared_figures_of("cluster_id", ids, now)
    cluster_rows = [_row(str(c), by_cluster.get(c.pk), cluster_id=c.pk, region=c.region, clusters=1)
                    for c in clusters]
    regions: dict[str, ClusterDisciplineRow] = {}
    for row in cluster_rows:
        region = regions.setdefault(row.region, _row(row.region or "—", None, region=row.region))
        for name in ("assigned", "on_time", "late", "overdue", "open", "clusters"):
            setattr(region, name, getattr(region, name) + getattr(row, name))
    return _report(cluster_rows), _report(list(regions.values()))


def filter_state(queryset, state: str, now: datetime.datetime | None = None):
    """The rows a column of the report counts (``State``), as the assignment list filters them."""
    if state == State.OVERDUE:
        return queryset.filter(overdue_q(now))
    if state == State.OPEN:
        return queryset.filter(open_q() | Q(status=AssignmentStatus.REPORTED)).exclude(overdue_q(now))
    if state == State.ON_TIME:
        return queryset.filter(done_on_time_q())
    if state == State.LATE:
        return queryset.filter(done_late_q())
    return queryset


def coordinated_assignments(cluster_ids, state: str, now: datetime.datetime | None = None):
    """The clusters' assignments of one state, with what a row prints (and its cluster), nearest deadline first."""
    queryset = filter_state(published_assignments().filter(cluster_id__in=cluster_ids), state, now)
    return with_assignment_context(queryset).select_related("cluster").order_by("deadline", "id")


def _overdue_preview(arg, cluster_ids, today, clock):
    limit, after_end_of_day = arg
    overdue = overdue_q(local_moment=(today, clock, after_end_of_day))
    return (published_assignments().filter(cluster_id__in=cluster_ids).filter(overdue)
            .select_related(*ASSIGNMENT_RELATED, "cluster").order_by("deadline", "id")[:limit])


def overdue_preview(cluster_ids, limit: int, now: datetime.datetime | None = None) -> list:
    """``coordinated_assignments(cluster_ids, State.OVERDUE, now)[:limit]`` from a prepared query
    (``core.prepared``): the overview's first rows, on every visit."""
    today, clock, after_end_of_day = local_moment(now)
    arg = (limit, after_end_of_day)
    query = prepared(("coordination-overdue", arg), _overdue_preview, arg,
                     cluster_ids=[SENTINEL_ID], today=SENTINEL_DAY, clock=SENTINEL_TIME)
    return prepared_assignment_rows(query, cluster_ids=list(cluster_ids), today=today, clock=clock)


# ---------------------------------------------------------------- the authority's own protocols

def authority_meetings(user):
    """Published protocols of the coordinating authorities the user reads, newest first, with the number of
    participating clusters (``AuthorityMeetingPages``: the same from prepared queries)."""
    return authority_meetings_of(visible_cluster_ids(user))


def _authority_published(visible: list[int]):
    return Meeting.objects.filter(cluster_id__in=visible, cluster__kind=ClusterKind.AUTHORITY, status__in=PUBLISHED_STATUSES)


def authority_meetings_of(visible: list[int]):
    return (_authority_published(visible)
            .select_related("cluster", "body").annotate(participants=Count("participating_clusters", distinct=True))
            .order_by("-date", "-id"))


def _authority_count(arg, visible):
    return _authority_published(visible).order_by().values_list(Func(F("id"), function="COUNT"))


def _authority_page(bounds, visible):
    return authority_meetings_of(visible)[bounds[0]:bounds[1]]


class AuthorityMeetingPages:
    """``authority_meetings(user)`` as a paginator's object list: ``count()`` and a page run prepared queries
    (``core.prepared``), compiled once per process and page, not on every visit of the overview."""

    ordered = True

    def __init__(self, user):
        self.visible = visible_cluster_ids(user)

    def count(self) -> int:
        rows = prepared(("authority-count",), _authority_count, None, visible=[SENTINEL_ID]).rows(visible=self.visible)
        return rows[0][0] if rows else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("AuthorityMeetingPages takes slices only")
        bounds = (index.start or 0, index.stop)
        query = prepared(("authority-page", bounds), _authority_page, bounds, visible=[SENTINEL_ID])
        return query.objects(visible=self.visible)


def meeting_figures(meetings, *, now: datetime.datetime | None = None) -> None:
    """Sets ``figures`` (assigned, on time, late, overdue, and ``clusters`` addressed) on each meeting of a
    page: one GROUP BY query."""
    figures = _prepared_figures_of(f"{MEETING}id", [m.pk for m in meetings], now, extra=True)
    for meeting in meetings:
        meeting.figures = _row("", figures.get(meeting.pk), clusters=(figures.get(meeting.pk) or {}).get("addressed", 0))


def meeting_by_cluster(meeting: Meeting, *, now: datetime.datetime | None = None) -> DisciplineReport:
    """What each cluster did with the assignments of an authority's protocol (those of its bodies), plus the
    participating clusters that got none, and one row for the other addressees (organisations, people)."""
    queryset = published_assignments().filter(**{f"{MEETING}id": meeting.pk})
    by_cluster = _figures(queryset.filter(body__isnull=False), "body__cluster_id", now)
    participants = set(meeting.participating_clusters.values_list("pk", flat=True))
    clusters = Cluster.objects.filter(pk__in=set(by_cluster) | participants).only("name", "short_name", "region")
    rows = [_row(str(c), by_cluster.get(c.pk), cluster_id=c.pk, region=c.region, clusters=1) for c in clusters]
    others = queryset.filter(body__isnull=True).aggregate(**_counts(now))
    if others["assigned"]:
        rows.append(_row(str(OTHER_ADDRESSEES), others))
    return _report(rows)


def meeting_assignments(meeting: Meeting):
    """The protocol's assignments with their party and its cluster, by decision."""
    return (with_assignment_context(published_assignments().filter(**{f"{MEETING}id": meeting.pk}))
            .select_related("body__cluster").order_by("decision__agenda_item__order", "decision__order", "id"))

