"""Reads for plans: scoped lookups (call them first in every view) and eager-loaded querysets.

Members read approved plans of their clusters; drafts stay with the secretary and the chair;
plans of other clusters do not exist for the user (404).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import CharField, Count, F, Func, Prefetch, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.http import Http404

from core.prepared import SENTINEL_ID, PreparedQuery, fill_reverse_prefetch
from members.access import ClusterAccess, access_for, managed_cluster_ids, user_organization_id, visible_cluster_ids
from members.models import Body, Membership, MembershipStatus, Organization
from meetings.models import Decision, DecisionKind, Meeting, MeetingStatus, number_decisions
from plans.models import ItemStatus, PlanItem, PlanSection, PlanStatus, WorkPlan

PUBLISHED_MEETING = [MeetingStatus.APPROVED, MeetingStatus.SIGNED]


def plans_visible_to(user):
    """Approved plans of the user's clusters, plus drafts where they are secretary or chair."""
    return WorkPlan.objects.filter(
        Q(cluster_id__in=visible_cluster_ids(user), status=PlanStatus.APPROVED) | Q(cluster_id__in=managed_cluster_ids(user))
    )


def plan_list(user):
    """The list page: plans with their cluster and item counts (one query)."""
    return (
        plans_visible_to(user)
        .select_related("cluster")
        .annotate(
            item_count=Count("sections__items", distinct=True),
            done_count=Count("sections__items", filter=Q(sections__items__status=ItemStatus.DONE), distinct=True),
        )
        .order_by("cluster__name", "-period_start", "-version")
    )


_PLAN = PreparedQuery(lambda pk: WorkPlan.objects.filter(pk=pk).select_related("cluster", "previous_version"),
                      pk=SENTINEL_ID)


def get_plan_for_user(user, pk) -> tuple[WorkPlan, ClusterAccess]:
    """The plan if the user may read it, with their access in its cluster; else 404. (Prepared: every
    plan page and item form reads it.)"""
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        raise Http404 from None
    found = _PLAN.objects(pk=pk) if -(2**63) < pk < 2**63 else []  # beyond a bigint: no such row
    if not found:
        raise Http404
    plan = found[0]
    access = access_for(user, plan.cluster_id)
    if not access.can_read or (plan.status != PlanStatus.APPROVED and not access.can_manage):
        raise Http404
    return plan, access


def get_item_for_user(user, pk) -> tuple[PlanItem, ClusterAccess]:
    try:
        item = PlanItem.objects.select_related("section__plan__cluster").get(pk=pk)
    except (PlanItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    get_plan_for_user(user, item.section.plan_id)
    return item, access_for(user, item.section.plan.cluster_id)


def get_section_for_user(user, pk) -> tuple[PlanSection, ClusterAccess]:
    try:
        section = PlanSection.objects.select_related("plan__cluster").get(pk=pk)
    except (PlanSection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    get_plan_for_user(user, section.plan_id)
    return section, access_for(user, section.plan.cluster_id)


def can_report(item: PlanItem, access: ClusterAccess, user) -> bool:
    """The secretary, or a member whose organisation organises the item (organizers prefetched or not)."""
    if access.is_secretary:
        return True
    org_id = user_organization_id(user)
    organizers = getattr(item, "organizer_list", None)
    if organizers is None:
        organizers = item.organizers.all()
    return bool(org_id) and any(o.pk == org_id for o in organizers)


def decisions_prefetch(queryset=None):
    """Decisions with what ``Decision.number`` and ``str(meeting)`` need, in a bounded number of queries."""
    queryset = queryset if queryset is not None else Decision.objects.all()
    return queryset.select_related("agenda_item__meeting__body").prefetch_related("agenda_item__decisions")


def plan_items(plan: WorkPlan, queryset=None):
    """Items of a plan, eager-loaded for the table: organizers, bodies, meetings, decisions."""
    queryset = queryset if queryset is not None else PlanItem.objects.all()
    return (
        queryset.filter(section__plan=plan)
        .select_related("section", "reported_by__person")
        .prefetch_related(
            "organizers",
            "organizer_bodies",
            Prefetch("meetings", queryset=Meeting.objects.only("id", "number", "date", "status", "cluster_id")),
            Prefetch("decisions", queryset=decisions_prefetch()),
        )
        .order_by("section__order", "order")
    )


def plan_items_queryset(plan: WorkPlan):
    """The plan page's items for its filter: ``plan_page_item_list`` adds their relations."""
    return PlanItem.objects.filter(section__plan=plan).select_related("section", "reported_by__person").order_by(
        "section__order", "order")


def _through(relation: str, related: str, order: list[str], select: str = "", values: tuple[str, ...] = ()):
    """Rows of an item relation's through table for a whole plan, with the related object joined and
    ordered as the related model orders itself; with ``values``, tuples (item id, related id, *values)."""
    through = getattr(PlanItem, relation).through

    def build(plan_id):
        ordering = [f"-{related}__{name[1:]}" if name.startswith("-") else f"{related}__{name}" for name in order]
        queryset = through.objects.filter(planitem__section__plan_id=plan_id).order_by(*ordering, "pk")
        if values:
            return queryset.values_list("planitem_id", f"{related}_id", *(f"{related}__{name}" for name in values))
        return queryset.select_related(select or related)

    return PreparedQuery(build, plan_id=SENTINEL_ID)


class NamedRef:
    """An organiser or a body as the plan page and the API print it: its id and ``str()`` (the model's
    ``__str__``), read as a tuple instead of a model instance."""

    __slots__ = ("pk", "name")

    def __init__(self, pk: int, name: str):
        self.pk, self.name = pk, name

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"NamedRef({self.pk!r}, {self.name!r})"


def _organization_ref(pk, short_name, full_name) -> NamedRef:
    return NamedRef(pk, short_name or full_name)  # Organization.__str__


def _body_ref(pk, name) -> NamedRef:
    return NamedRef(pk, name)  # Body.__str__


# The plan page's items and their four relations, by plan, from prepared queries (one placeholder: the
# plan), in the related models' own order, as the managers' prefetch gives them. Organisers and bodies
# are only named (``NamedRef`` from tuples); meetings and decisions are instances (their numbers, links).
_ITEM_RELATIONS = {
    "organizer_list": (_organization_ref, _through("organizers", "organization", ["short_name", "full_name"],
                                                   values=("short_name", "full_name"))),
    "organizer_body_list": (_body_ref, _through("organizer_bodies", "body", ["cluster", "kind", "name"],
                                                values=("name",))),
    "meeting_list": ("meeting", _through("meetings", "meeting", ["-date", "-id"])),
    "decision_list": ("decision", _through("decisions", "decision", ["agenda_item", "order"],
                                           select="decision__agenda_item__meeting__body")),
}
_PLAN_ITEMS = PreparedQuery(
    lambda plan_id: PlanItem.objects.filter(section__plan_id=plan_id).select_related("section", "reported_by__person")
    .order_by("section__order", "order"),
    plan_id=SENTINEL_ID,
)


def plan_page_item_list(plan: WorkPlan, items=None) -> list[PlanItem]:
    """The plan page's items (``items``, a filtered list, or all of the plan's) with four plain lists:
    ``organizer_list``, ``organizer_body_list``, ``meeting_list``, ``decision_list``. Each relation is read
    for the whole plan in one prepared query (``core.prepared``); a prefetch into the managers built a
    queryset per item and relation (160 for a plan of 40 items) and compiled its queries every time."""
    items = _PLAN_ITEMS.objects(plan_id=plan.pk) if items is None else items
    by_pk = {item.pk: item for item in items}
    for item in items:
        for attr in _ITEM_RELATIONS:
            setattr(item, attr, [])
    for attr, (related, query) in _ITEM_RELATIONS.items():
        if callable(related):  # tuples (item id, related id, *names)
            for item_id, *values in query.rows(plan_id=plan.pk):
                item = by_pk.get(item_id)
                if item is not None:
                    getattr(item, attr).append(related(*values))
            continue
        for row in query.objects(plan_id=plan.pk):
            item = by_pk.get(row.planitem_id)
            if item is not None:
                getattr(item, attr).append(getattr(row, related))
    return items


_SECTIONS = PreparedQuery(lambda plan_id: PlanSection.objects.filter(plan_id=plan_id).order_by("order"),
                          plan_id=SENTINEL_ID)
_NEWER = PreparedQuery(lambda plan_id: WorkPlan.objects.filter(previous_version_id=plan_id).order_by("version"),
                       plan_id=SENTINEL_ID)


def _page_decisions(plan_id):
    """Every decision of the agenda items that hold a decision approving the plan or linked to one of its
    items, in the decisions' own order (agenda item, order), with their meeting and body."""
    approving = Decision.objects.filter(approves_plan_id=plan_id).order_by().values("agenda_item_id")
    linked = Decision.objects.filter(plan_items__section__plan_id=plan_id).order_by().values("agenda_item_id")
    # IN a UNION, not an OR: PostgreSQL answers each part from an index (an OR scans every decision)
    return (Decision.objects.filter(agenda_item_id__in=approving.union(linked))
            .select_related("agenda_item__meeting__body").order_by("agenda_item", "order"))


_PAGE_DECISIONS = PreparedQuery(_page_decisions, plan_id=SENTINEL_ID)


def plan_page_sibling_decisions(plan: WorkPlan) -> list[Decision]:
    """From one prepared query: the decisions of every agenda item that approves the plan or carries one of
    its items' decisions, each agenda item's ``decisions`` filled, ready to tell their ``number``
    (``number_decisions``: a query only for one-block protocols). The approving ones are among them."""
    siblings = _PAGE_DECISIONS.objects(plan_id=plan.pk)
    if siblings:
        fill_reverse_prefetch([d.agenda_item for d in siblings], "decisions", siblings)
    return number_decisions(siblings)


def plan_page_decisions(plan: WorkPlan, items, siblings=None) -> list[Decision]:
    """The plan's approving decisions, and what ``Decision.number`` needs for them and for the items'
    ``decision_list`` (each agenda item's decisions), from ``plan_page_sibling_decisions`` (or its
    ``siblings``, already read). The approving ones are in ``Decision``'s own order (agenda item, order)."""
    siblings = plan_page_sibling_decisions(plan) if siblings is None else siblings
    approving = [d for d in siblings if d.approves_plan_id == plan.pk]
    agenda_items = [d.agenda_item for item in items for d in item.decision_list]
    if agenda_items:
        fill_reverse_prefetch(agenda_items, "decisions", siblings)
        number_decisions(d for item in items for d in item.decision_list)
    return approving


_FP_SEP = Value("\x1f")


def _fingerprint_part(queryset, part: int, *names: str):
    """(part, one text of the row's ``names``) for ``plan_page_fingerprint``."""
    texts = []
    for name in names:
        texts += [Coalesce(Cast(name, TextField()), Value("")), _FP_SEP]
    # a flat «a || b || …» (standard SQL on both backends); Concat nests a pair per field, deeper than SQLite parses
    text = Func(*texts, function="", arg_joiner=" || ", output_field=TextField())
    return queryset.order_by().annotate(fp_part=Value(part), fp=text).values_list("fp_part", "fp")


def _plan_fingerprint(plan_id):
    def through(relation):
        return getattr(PlanItem, relation).through.objects.filter(planitem__section__plan_id=plan_id)

    items = _fingerprint_part(
        PlanItem.objects.filter(section__plan_id=plan_id), 0,
        "pk", "section_id", "order", "title", "timeframe_kind", "year", "q1", "q2", "q3", "q4", "month", "date_from",
        "date_to", "due_date", "organizers_text", "status", "report", "reported_at", "reported_by_id",
        "reported_by__first_name", "reported_by__last_name", "reported_by__username", "reported_by__person__id",
        "reported_by__person__last_name", "reported_by__person__first_name", "reported_by__person__patronymic")
    return items.union(
        _fingerprint_part(PlanSection.objects.filter(plan_id=plan_id), 1, "pk", "order", "title"),
        _fingerprint_part(through("organizers"), 2, "planitem_id", "organization_id", "organization__short_name",
                          "organization__full_name"),
        _fingerprint_part(through("organizer_bodies"), 3, "planitem_id", "body_id", "body__name"),
        _fingerprint_part(through("meetings"), 4, "planitem_id", "meeting_id", "meeting__number", "meeting__date",
                          "meeting__status"),
        _fingerprint_part(through("decisions"), 5, "planitem_id", "decision_id"),
        all=True,
    )


_PLAN_FINGERPRINT = PreparedQuery(_plan_fingerprint, plan_id=SENTINEL_ID)


def plan_page_fingerprint(plan: WorkPlan) -> str:
    """A digest of everything the plan page prints of its items, in one prepared query: each item's fields
    (its timeframe, status, report, who reported and their register name), the sections, the items'
    organisers and bodies with their names, the linked meetings (number, date, status) and decisions.
    What the decisions print (numbers, protocols) comes from ``plan_page_sibling_decisions``; today's
    date («overdue») and the viewer are the caller's to add."""
    rows = sorted(_PLAN_FINGERPRINT.rows(plan_id=plan.pk))
    return hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()


def approving_decisions(plan: WorkPlan) -> list[Decision]:
    return list(decisions_prefetch(plan.approving_decisions.all()))


def eligible_approving_decisions(plan: WorkPlan):
    """«Утвердить» decisions of approved or signed protocols of the plan's cluster."""
    return decisions_prefetch(
        Decision.objects.filter(
            kind=DecisionKind.ADOPT,
            agenda_item__meeting__cluster_id=plan.cluster_id,
            agenda_item__meeting__status__in=PUBLISHED_MEETING,
        ).order_by("-agenda_item__meeting__date", "agenda_item__order", "order")
    )


def cluster_organizations(cluster_id: int):
    """Organisations the cluster works with, for the organizer pickers: members and invited ones, the
    organisations of people seated in its bodies (the regional departments are seated, not members),
    and those already named in its plans."""
    members = Membership.objects.filter(
        cluster_id=cluster_id, status__in=[MembershipStatus.JOINED, MembershipStatus.INVITED]
    ).values("organization_id")
    seated = Organization.objects.filter(people__body_memberships__body__cluster_id=cluster_id).values("pk")
    planned = Organization.objects.filter(plan_items__section__plan__cluster_id=cluster_id).values("pk")
    return Organization.objects.filter(Q(pk__in=members) | Q(pk__in=seated) | Q(pk__in=planned)).order_by(
        "short_name", "full_name"
    )


def cluster_bodies(cluster_id: int):
    return Body.objects.filter(cluster_id=cluster_id).order_by("kind", "name")


def _organizer_choices(cluster_id):
    """The organizer filter's choices in one query: the cluster's organisations (kind 0, ordered by short
    and full name) and bodies (kind 1, ordered by body kind and name) as (kind, pk, label, other label)."""
    orgs = (cluster_organizations(cluster_id).order_by()
            .annotate(part=Value(0), sort1=F("short_name"), sort2=F("full_name"))
            .values_list("part", "pk", "short_name", "full_name", "sort1", "sort2"))
    bodies = (cluster_bodies(cluster_id).order_by()
              .annotate(part=Value(1), other=Value("", output_field=CharField()), sort1=F("kind"), sort2=F("name"))
              .values_list("part", "pk", "name", "other", "sort1", "sort2"))
    return orgs.union(bodies, all=True).order_by("part", "sort1", "sort2")


_ORGANIZER_CHOICES = PreparedQuery(_organizer_choices, cluster_id=SENTINEL_ID)


def organizer_choices(cluster_id: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(organisations, bodies) of the cluster as (pk, label) for the plan page's organizer filter, from
    one query compiled once per process (``core.prepared``): the organisations' three-way OR is costly."""
    orgs, bodies = [], []
    for part, pk, label, other, _sort1, _sort2 in _ORGANIZER_CHOICES.rows(cluster_id=cluster_id):
        if part == 0:
            orgs.append((pk, label or other))
        else:
            bodies.append((pk, label))
    return orgs, bodies


def cluster_meetings(cluster_id: int):
    return Meeting.objects.filter(cluster_id=cluster_id).order_by("-date")


def cluster_decisions(cluster_id: int):
    return decisions_prefetch(
        Decision.objects.filter(agenda_item__meeting__cluster_id=cluster_id).order_by(
            "-agenda_item__meeting__date", "agenda_item__order", "order"
        )
    )


@dataclass
class QuarterProgress:
    quarter: int
    total: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    cancelled: int = 0

    @property
    def planned(self) -> int:
        return self.total - self.done - self.in_progress - self.overdue - self.cancelled

    def percent(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0

    @property
    def segments(self) -> list[tuple[str, int, float]]:
        """(status, count, percent) for the stacked bar."""
        return [
            (name, count, self.percent(count))
            for name, count in (
                ("done", self.done),
                ("in_progress", self.in_progress),
                ("overdue", self.overdue),
                ("cancelled", self.cancelled),
                ("planned", self.planned),
            )
            if count
        ]


def quarter_progress(items) -> list[QuarterProgress]:
    """Per quarter: how many items run in it and how they stand. Pure Python over loaded items."""
    result = [QuarterProgress(quarter=q) for q in range(1, 5)]
    for item in items:
        status = item.progress_status
        for progress in result:
            if not item.active_in_quarter(progress.quarter):
                continue
            progress.total += 1
            if status in ("done", "in_progress", "overdue", "cancelled"):
                setattr(progress, status, getattr(progress, status) + 1)
    return result


def secretary_cluster_ids(user) -> list[int]:
    """Clusters where the user keeps the plans (secretary or administrator)."""
    return [pk for pk in visible_cluster_ids(user) if access_for(user, pk).is_secretary]


def newer_versions(plan: WorkPlan) -> list[WorkPlan]:
    return _NEWER.objects(plan_id=plan.pk)


def plan_table(plan: WorkPlan, items, *, keep_empty: bool = True) -> list[tuple[PlanSection, list[PlanItem]]]:
    """[(section, items)] in order; sections without items are dropped when the table is filtered."""
    by_section: dict[int, list[PlanItem]] = {}
    for item in items:
        by_section.setdefault(item.section_id, []).append(item)
    return [
        (section, by_section.get(section.pk, []))
        for section in _SECTIONS.objects(plan_id=plan.pk)
        if keep_empty or section.pk in by_section
    ]


def require_secretary(access: ClusterAccess) -> None:
    """Secretaries (and administrators) keep the plans; others who can read get 403."""
    from django.core.exceptions import PermissionDenied

    if not access.is_secretary:
        raise PermissionDenied


def readable_plan_items(user):
    """Items of the plans the user may read (``plans_visible_to``): approved plans of their clusters,
    any plan of the clusters where they are secretary or chair."""
    return plan_items_readable_in(visible_cluster_ids(user), managed_cluster_ids(user))


def plan_items_readable_in(visible_ids, managed_ids):
    """``readable_plan_items`` for given cluster ids (the search's prepared queries fill them in)."""
    visible = Q(section__plan__cluster_id__in=visible_ids, section__plan__status=PlanStatus.APPROVED)
    managed = Q(section__plan__cluster_id__in=managed_ids)
    return PlanItem.objects.filter(visible | managed)


def plan_items_of(user, organization):
    """Plan items the organisation organises, in plans the user may read (the organisation page)."""
    return list(
        readable_plan_items(user).filter(organizers=organization)
        .select_related("section__plan")
        .order_by("due_date", "pk")
    )
