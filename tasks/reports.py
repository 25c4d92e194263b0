"""The execution-discipline report («исполнительская дисциплина»): figures, chart, XLSX.

Rules (one place, used by the report, its drill-down links and the list filter):
- An assignment counts in the period when its deadline falls in it (cancelled ones never count).
- It is *done* when the secretary accepted a report. ``completed_at`` is set on acceptance to
  the moment the accepted report was **submitted**: the executor is judged by when they
  delivered, not by how long the secretary took to review.
- *On time*: accepted and completed on or before the deadline day (day precision, Moscow time);
  without a deadline it is always on time. *Late*: accepted after the deadline day.
- *Overdue*: open (assigned, in progress, returned) and past the deadline, with its time of day when set —
  ``meetings.models.overdue_q``, the one definition (computed, never stored).
- *Open*: everything else still running (open before the deadline, or reported and awaiting review).
- *On-time rate* = on time / (on time + late + overdue): of the assignments whose outcome is
  known or whose deadline has passed; «—» when there are none.
- An assignment addressed to a person counts for the person's organisation; one addressed to a
  body of the cluster counts under «Органы кластера».
"""

from __future__ import annotations

import datetime
import hashlib
import zoneinfo
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import caches
from django.db.models import Count, DateField, F, Func, Q
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy as _

from core.prepared import SENTINEL_DAY, SENTINEL_ID, SENTINEL_TIME, PreparedQuery, prepared
from core.xlsx import workbook_bytes
from members.access import managed_cluster_ids
from members.models import Cluster, Organization
from meetings.access import joint_meeting_ids
from meetings.models import Assignment, AssignmentStatus, local_moment, overdue_q
from tasks.selectors import _of_managed_q, of_cluster_q


@lru_cache(maxsize=8)
def _offsets(zone_name: str) -> tuple[tuple[str, int], ...]:
    """The zone's UTC offsets from 1900 to 2100 as (UTC moment it starts, seconds), from ``zoneinfo``:
    weekly steps, then bisection to the second at each change (changes are months apart)."""
    zone = zoneinfo.ZoneInfo(zone_name)
    utc = datetime.UTC
    step = datetime.timedelta(days=7)

    def offset(moment):
        return int(moment.astimezone(zone).utcoffset().total_seconds())

    moment = datetime.datetime(1900, 1, 1, tzinfo=utc)
    current = offset(moment)
    spans = [("", current)]
    end = datetime.datetime(2100, 1, 1, tzinfo=utc)
    while moment < end:
        later = moment + step
        if offset(later) != current:
            low, high = moment, later  # offset(low) == current != offset(high)
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if offset(middle) == current else (low, middle)
            current = offset(high)
            spans.append((high.strftime("%Y-%m-%d %H:%M:%S"), current))
        moment = later
    return tuple(spans)


class LocalDay(Func):
    """A datetime's day in the default time zone, as ``__date`` gives it. On SQLite ``__date`` calls a
    Python function a row; this uses SQLite's own ``date(value, '+N seconds')`` with the zone's offset at
    that moment (a ``CASE`` over the zone's changes, from ``zoneinfo``). Elsewhere it is ``TruncDate``."""

    output_field = DateField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):
        return TruncDate(*self.get_source_expressions(), tzinfo=timezone.get_default_timezone()).resolve_expression(
            compiler.query).as_sql(compiler, connection)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        # Whole seconds: SQLite's date arithmetic keeps milliseconds and rounds 23:59:59.9999 up to the next day.
        sql = f"substr({sql}, 1, 19)"
        spans = _offsets(timezone.get_default_timezone_name())
        if len(spans) == 1:
            return f"date({sql}, %s)", (*params, f"{spans[0][1]:+d} seconds")
        # Newest first: most rows are recent, and SQLite stops at the first WHEN that holds.
        whens, when_params = [], []
        for start, seconds in reversed(spans[1:]):
            whens.append(f"WHEN {sql} >= %s THEN %s")
            when_params += [*params, start, f"{seconds:+d} seconds"]
        return (f"date({sql}, CASE {' '.join(whens)} ELSE %s END)",
                (*params, *when_params, f"{spans[0][1]:+d} seconds"))


def done_on_time_q() -> Q:
    return Q(status=AssignmentStatus.ACCEPTED) & (
        Q(deadline__isnull=True) | Q(completed_at__isnull=True) | Q(LessThanOrEqual(LocalDay("completed_at"), F("deadline")))
    )


def done_late_q() -> Q:
    return Q(status=AssignmentStatus.ACCEPTED) & Q(GreaterThan(LocalDay("completed_at"), F("deadline")))


@dataclass
class DisciplineRow:
    organization_id: int | None
    name: str
    assigned: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    open: int = 0

    @property
    def decided(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.decided if self.decided else None

    @property
    def on_time_percent(self) -> str:
        rate = self.on_time_rate
        return "—" if rate is None else f"{round(rate * 100)} %"

    def bars(self, scale: int) -> list[dict]:
        """Stacked bar segments (x, width in % of the chart width) for the SVG chart."""
        segments, x = [], 0.0
        for key, count in (("on_time", self.on_time), ("late", self.late), ("overdue", self.overdue), ("open", self.open)):
            width = 100.0 * count / scale if scale else 0
            if count:
                segments.append({"key": key, "count": count, "x": round(x, 3), "width": round(width, 3)})
            x += width
        return segments


@dataclass
class DisciplineReport:
    rows: list[DisciplineRow]
    total: DisciplineRow = field(default_factory=lambda: DisciplineRow(None, gettext("Total")))
    # The rows on the page shown (the page paginates ``rows``); the chart draws these, on the scale
    # of all rows so that bars compare across pages. None: all rows.
    shown: list[DisciplineRow] | None = None

    @property
    def scale(self) -> int:
        return max((row.assigned for row in self.rows), default=0)

    @property
    def chart_rows(self) -> list[dict]:
        scale = self.scale
        rows = self.rows if self.shown is None else self.shown
        return [{"row": row, "y": index * 28, "segments": row.bars(scale)} for index, row in enumerate(rows)]

    @property
    def chart_height(self) -> int:
        return max(len(self.rows if self.shown is None else self.shown), 1) * 28


BODIES_LABEL = _("Cluster bodies")


def _figures(queryset, overdue: Q):
    """The aggregate: a tuple per organisation (None: the cluster's bodies), ``(org, assigned, on time,
    accepted, overdue)``, ordered by ``org``."""
    return (
        queryset.exclude(status=AssignmentStatus.CANCELLED)
        .annotate(org=Coalesce("organization_id", "person__organization_id"))
        .values("org")
        .order_by("org")
        .annotate(
            assigned=Count("id"),
            on_time=Count("id", filter=done_on_time_q()),
            # Late = accepted − on time (``done_late_q`` is exactly the accepted rows not on time): one
            # conversion of ``completed_at`` to a local day a row instead of two.
            accepted=Count("id", filter=Q(status=AssignmentStatus.ACCEPTED)),
            overdue=Count("id", filter=overdue),
        )
        .values_list("org", "assigned", "on_time", "accepted", "overdue")
    )


def discipline_report(queryset, *, now: datetime.datetime | None = None) -> DisciplineReport:
    """Figures per organisation of the assignments of ``queryset`` in two queries: one GROUP BY aggregate
    and one for the names. (The report page reads the same through ``discipline_report_of_user``.)"""
    figures = list(_figures(queryset, overdue_q(now)))
    names = Organization.objects.filter(pk__in=[f[0] for f in figures if f[0]]).order_by() \
        .values_list("pk", "short_name", "full_name")
    return _report(figures, names)


# The discipline report page's two queries, compiled once per process (``core.prepared``): compiling
# the aggregate was ~2–3 ms of every request. Placeholders: the clusters the user controls and the joint
# meetings (``tasks.selectors.cluster_assignments``), the filter's cluster and period, and the moment
# «overdue» is judged at; ``shape`` (superuser, which filters are set, after the end of the day) is
# compiled into the SQL. ``tasks/tests/test_discipline_prepared.py`` compares them with ``discipline_report``.
_DAY_FROM = SENTINEL_DAY + datetime.timedelta(days=1)
_DAY_TO = SENTINEL_DAY + datetime.timedelta(days=2)


def _prepared_figures(shape, today, clock, managed=None, joint=None, cluster=None, date_from=None, date_to=None):
    superuser, after_end_of_day = shape[0], shape[-1]
    queryset = Assignment.objects.all() if superuser else Assignment.objects.filter(_of_managed_q(managed, joint))
    if cluster is not None:
        queryset = queryset.filter(of_cluster_q(cluster))
    if date_from is not None:
        queryset = queryset.filter(deadline__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(deadline__lte=date_to)
    return _figures(queryset, overdue_q(local_moment=(today, clock, after_end_of_day)))


_NAMES = PreparedQuery(lambda ids: Organization.objects.filter(pk__in=ids).order_by()
                       .values_list("pk", "short_name", "full_name"), ids=[SENTINEL_ID])


def discipline_report_of_user(user, *, cluster_id: int | None = None, date_from: datetime.date | None = None,
                              date_to: datetime.date | None = None,
                              now: datetime.datetime | None = None) -> DisciplineReport:
    """``discipline_report`` of ``tasks.selectors.cluster_assignments(user)``, filtered to one of the
    clusters (``of_cluster_q``) and to deadlines in a period as the report's filter asks, at ``now``."""
    today, clock, after_end_of_day = local_moment(now)
    values = {"today": today, "clock": clock}
    placeholders = {"today": SENTINEL_DAY, "clock": SENTINEL_TIME}
    if not user.is_superuser:
        values.update(managed=managed_cluster_ids(user), joint=joint_meeting_ids(user))
        placeholders.update(managed=[SENTINEL_ID], joint=[SENTINEL_ID])
    for name, value, sentinel in (("cluster", cluster_id, SENTINEL_ID - 1), ("date_from", date_from, _DAY_FROM),
                                  ("date_to", date_to, _DAY_TO)):
        if value is not None:
            values[name], placeholders[name] = value, sentinel
    shape = (user.is_superuser, *placeholders, after_end_of_day)
    figures = prepared(("discipline-figures", shape), _prepared_figures, shape, **placeholders).rows(**values)
    ids = [f[0] for f in figures if f[0]]
    return _report(figures, _NAMES.rows(ids=ids) if ids else [])


def _report(figures, names) -> DisciplineReport:
    """The report from the aggregate's tuples and ``(pk, short name, full name)`` of their organisations."""
    names = {pk: short or full for pk, short, full in names}
    bodies = str(BODIES_LABEL)  # a lazy string: translated once, not once a row
    rows, total = [], DisciplineRow(None, gettext("Total"))
    # Tuples, not dicts or model instances: an administrator's report has ~3 000 organisations.
    for org, assigned, on_time, accepted, overdue in figures:
        late = accepted - on_time
        row = DisciplineRow(org, names.get(org, bodies), assigned, on_time, late, overdue,
                            assigned - on_time - late - overdue)
        rows.append(row)
        total.assigned += assigned
        total.on_time += on_time
        total.late += late
        total.overdue += overdue
        total.open += row.open
    # The worst first: most overdue, then lowest on-time rate, then by name.
    rows.sort(key=_worst_first)
    return DisciplineReport(rows=rows, total=total)


def _worst_first(row: DisciplineRow):
    decided = row.on_time + row.late + row.overdue
    return -row.overdue, row.on_time / decided if decided else 2, row.name


HEADERS = [
    _("Organisation"), _("Assigned"), _("Done on time"), _("Done late"), _("Overdue"), _("Open (in work)"), _("On time, %"),
]


def discipline_xlsx(report: DisciplineReport, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Execution discipline"))[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([])
    sheet.append([str(header) for header in HEADERS])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in [*report.rows, report.total]:
        rate = row.on_time_rate
        sheet.append([row.name, row.assigned, row.on_time, row.late, row.overdue, row.open,
                      None if rate is None else round(rate * 100, 1)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 50
    for letter in "BCDEFG":
        sheet.column_dimensions[letter].width = 16
    sheet.freeze_panes = "B4"
    return workbook_bytes(workbook)


def discipline_filter_html(form, several_clusters: bool) -> SafeString:
    """The report's filter controls (``tasks/_discipline_filter_fields.html``) for ``form``."""
    return mark_safe(render_to_string("tasks/_discipline_filter_fields.html",
                                      {"form": form, "several_clusters": several_clusters}))


def opening_discipline_filter_html(cluster_ids, build) -> tuple[SafeString, object | None]:
    """The report's filter controls as it opens (no filter value), from the ``local`` cache: the same for
    every request of one language and set of managed clusters (their ids and names, the cluster choices),
    so the form is built and its controls rendered once per process, not per request. ``build()`` makes
    the form on a miss, and it is returned with the HTML then (None on a hit). One cluster: no choice list
    is shown, so no names are read."""
    several = len(cluster_ids) > 1
    clusters = (tuple((c.pk, str(c)) for c in Cluster.objects.filter(pk__in=cluster_ids).order_by("pk"))
                if several else tuple(cluster_ids))
    key = "discipline-filter:" + hashlib.sha256(repr((get_language(), several, clusters)).encode()).hexdigest()
    cache = caches["local"]
    html = cache.get(key)
    if html is not None:
        return mark_safe(html), None
    form = build()
    html = discipline_filter_html(form, several)
    cache.set(key, str(html), 3600)
    return html, form
