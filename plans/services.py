"""Multi-step writes on plans. Views call these; each is one transaction and raises ``DomainError``
with a message for the user. Numbers («1.», «1.1.») are never stored: they follow from the order,
which these functions keep gap-free."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Decision, DecisionKind, MeetingStatus
from core.errors import DomainError
from members.models import Cluster
from plans.models import PlanItem, PlanSection, PlanStatus, WorkPlan
from plans.imports import PlanImportError, parse_plan_xlsx
from plans.selectors import cluster_bodies, cluster_organizations

ITEM_FIELDS = [
    "title", "timeframe_kind", "year", "q1", "q2", "q3", "q4", "month", "date_from", "date_to", "organizers_text",
]


def ensure_editable(plan: WorkPlan) -> None:
    if plan.is_locked:
        raise DomainError(_("An approved plan cannot be changed: make a new version («changes to the plan»)."))


def _renumber(queryset) -> None:
    """Close gaps after a removal: 1, 2, 3… (ascending, so each target slot is already free)."""
    for index, pk_order in enumerate(queryset.order_by("order").values_list("pk", "order"), start=1):
        pk, order = pk_order
        if order != index:
            queryset.model.objects.filter(pk=pk).update(order=index)


def _swap(queryset, obj, direction: int) -> None:
    """Swap ``obj`` with its neighbour above (-1) or below (+1); the unique (parent, order) survives
    because the moving row parks at order 0 first."""
    neighbour = (
        queryset.filter(order__lt=obj.order).order_by("-order").first()
        if direction < 0
        else queryset.filter(order__gt=obj.order).order_by("order").first()
    )
    if neighbour is None:
        return
    mine, theirs = obj.order, neighbour.order
    model = queryset.model
    model.objects.filter(pk=obj.pk).update(order=0)
    model.objects.filter(pk=neighbour.pk).update(order=mine)
    model.objects.filter(pk=obj.pk).update(order=theirs)
    obj.order = theirs


# ---------------------------------------------------------------- plan


@transaction.atomic
def plan_create(
    *, cluster: Cluster, title: str, period: str, period_start: datetime.date, period_end: datetime.date
) -> WorkPlan:
    plan = WorkPlan(cluster=cluster, title=title, period=period, period_start=period_start, period_end=period_end)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, plan: WorkPlan, title: str, period: str, period_start, period_end) -> WorkPlan:
    ensure_editable(plan)
    plan.title, plan.period, plan.period_start, plan.period_end = title, period, period_start, period_end
    plan.full_clean()
    plan.save()
    return plan


# ---------------------------------------------------------------- sections


@transaction.atomic
def section_add(*, plan: WorkPlan, title: str) -> PlanSection:
    ensure_editable(plan)
    last = plan.sections.aggregate(last=Max("order"))["last"] or 0
    section = PlanSection(plan=plan, order=last + 1, title=title.strip())
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_update(*, section: PlanSection, title: str) -> PlanSection:
    ensure_editable(section.plan)
    section.title = title.strip()
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_remove(*, section: PlanSection) -> None:
    plan = section.plan
    ensure_editable(plan)
    section.delete()
    _renumber(plan.sections.all())


@transaction.atomic
def section_move(*, section: PlanSection, direction: int) -> None:
    ensure_editable(section.plan)
    _swap(section.plan.sections.all(), section, direction)


# ---------------------------------------------------------------- items


@transaction.atomic
def item_save(
    *,
    section: PlanSection,
    data: dict,
    organizers=(),
    organizer_bodies=(),
    item: PlanItem | None = None,
) -> PlanItem:
    """Create an item at the end of ``section`` or update ``item`` (moving it to the end of ``section`` when
    the section changes). An empty ``organizers_text`` is written from the picked organisations and bodies."""
    ensure_editable(section.plan)
    old_section = item.section if item is not None and item.section_id != section.pk else None
    item = item or PlanItem(section=section)
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    if item.pk is None or old_section is not None:
        item.section = section
        item.order = (section.items.aggregate(last=Max("order"))["last"] or 0) + 1
    if not (item.organizers_text or "").strip():
        item.organizers_text = ". ".join([o.full_name for o in organizers] + [b.name for b in organizer_bodies])
    item.due_date = item.compute_due_date()
    item.full_clean()
    item.save()
    item.organizers.set(organizers)
    item.organizer_bodies.set(organizer_bodies)
    if old_section is not None:
        _renumber(old_section.items.all())
    return item


@transaction.atomic
def item_remove(*, item: PlanItem) -> None:
    section = item.section
    ensure_editable(section.plan)
    item.delete()
    _renumber(section.items.all())


@transaction.atomic
def item_move(*, item: PlanItem, direction: int) -> None:
    ensure_editable(item.section.plan)
    _swap(item.section.items.all(), item, direction)


@transaction.atomic
def item_report(*, item: PlanItem, user, status: str, report: str, meetings=None, decisions=None) -> PlanItem:
    """Progress on an item: allowed on approved plans too (the plan's content stays locked)."""
    cluster_id = item.section.plan.cluster_id
    if meetings is not None and any(m.cluster_id != cluster_id for m in meetings):
        raise DomainError(_("Only meetings of the plan's cluster can be linked."))
    item.status = status
    item.report = report.strip()
    item.reported_by = user
    item.reported_at = timezone.now()
    item.full_clean()
    item.save()
    if meetings is not None:
        item.meetings.set(meetings)
    if decisions is not None:
        item.decisions.set(decisions)
    return item


# ---------------------------------------------------------------- approval and versions


@transaction.atomic
def plan_approve(*, plan: WorkPlan, decision: Decision, user=None) -> WorkPlan:
    """Approve ``plan`` by an «утвердить» decision of an approved or signed protocol of the same cluster."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    meeting = decision.agenda_item.meeting
    if plan.status == PlanStatus.APPROVED:
        raise DomainError(_("The plan is already approved."))
    if decision.kind != DecisionKind.ADOPT:
        raise DomainError(_("A plan is approved by an «adopt» decision."))
    if meeting.cluster_id != plan.cluster_id:
        raise DomainError(_("The decision belongs to another cluster."))
    if meeting.status not in (MeetingStatus.APPROVED, MeetingStatus.SIGNED):
        raise DomainError(_("The decision's protocol is not approved yet."))
    if decision.approves_plan_id and decision.approves_plan_id != plan.pk:
        raise DomainError(_("This decision already approves another plan."))
    if not PlanItem.objects.filter(section__plan=plan).exists():
        raise DomainError(_("An empty plan cannot be approved."))
    decision.approves_plan = plan
    decision.save(update_fields=["approves_plan"])
    plan.status = PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_new_version(*, plan: WorkPlan, user=None) -> WorkPlan:
    """«Изменения в план»: a draft copy (version + 1) of an approved plan; the approved one stays as it is."""
    if plan.status != PlanStatus.APPROVED:
        raise DomainError(_("Only an approved plan gets a new version; edit the draft instead."))
    if plan.next_versions.exists():
        raise DomainError(_("This version already has a newer version."))
    copy = WorkPlan(
        cluster_id=plan.cluster_id, title=plan.title, period=plan.period, period_start=plan.period_start,
        period_end=plan.period_end, version=plan.version + 1, previous_version=plan,
    )
    copy.full_clean()
    copy.save()
    items = PlanItem.objects.filter(section__plan=plan).prefetch_related(
        "organizers", "organizer_bodies", "meetings", "decisions"
    )
    by_section: dict[int, list[PlanItem]] = {}
    for item in items:
        by_section.setdefault(item.section_id, []).append(item)
    for section in plan.sections.order_by("order"):
        new_section = PlanSection.objects.create(plan=copy, order=section.order, title=section.title)
        for item in by_section.get(section.pk, []):
            new_item = PlanItem(section=new_section, order=item.order)
            for name in ITEM_FIELDS + ["status", "report", "reported_by_id", "reported_at"]:
                setattr(new_item, name, getattr(item, name))
            new_item.save()
            new_item.organizers.set(item.organizers.all())
            new_item.organizer_bodies.set(item.organizer_bodies.all())
            new_item.meetings.set(item.meetings.all())
            new_item.decisions.set(item.decisions.all())
    return copy


# ---------------------------------------------------------------- import


def _match_register(text: str, candidates, name) -> list:
    """Register entries whose name is written in the organizers text (case-insensitive)."""
    folded = text.casefold()
    return [obj for obj in candidates if name(obj) and name(obj).casefold() in folded]


@transaction.atomic
def plan_import(*, cluster: Cluster, file) -> WorkPlan:
    """A draft plan from an XLSX table; ``PlanImportError`` lists every bad row and nothing is saved."""
    parsed = parse_plan_xlsx(file)
    years = [y for y in parsed.years if y]
    if not years:
        raise DomainError(_("The plan's year cannot be found: write the period row, e.g. «на 2023 год»."))
    plan = plan_create(
        cluster=cluster, title=parsed.title[:500], period=parsed.period[:200] or f"на {years[0]} год",
        period_start=datetime.date(min(years), 1, 1), period_end=datetime.date(max(years), 12, 31),
    )
    organizations = list(cluster_organizations(cluster.pk))
    bodies = list(cluster_bodies(cluster.pk))
    for s_order, parsed_section in enumerate(parsed.sections, start=1):
        section = PlanSection.objects.create(plan=plan, order=s_order, title=parsed_section.title)
        for i_order, parsed_item in enumerate(parsed_section.items, start=1):
            item = PlanItem(section=section, order=i_order, title=parsed_item.title,
                            organizers_text=parsed_item.organizers_text, **parsed_item.timeframe)
            item.due_date = item.compute_due_date()
            try:
                item.full_clean()
            except ValidationError as error:
                raise PlanImportError([(parsed_item.row, "; ".join(error.messages))]) from None
            item.save()
            item.organizers.set(_match_register(parsed_item.organizers_text, organizations, lambda o: o.full_name))
            item.organizer_bodies.set(_match_register(parsed_item.organizers_text, bodies, lambda b: b.name))
    return plan
