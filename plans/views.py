"""Plan pages. Views are thin: the scoped lookup first (outsiders get 404), then a selector or a service."""

import hashlib
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import fragments
from core.errors import DomainError
from meetings.access import can_read_meeting
from members.access import user_organization_id
from plans import exports, rendering, selectors, services
from plans.filters import PlanItemFilter, WorkPlanFilter
from plans.forms import ApproveForm, ImportForm, ItemReportForm, PlanItemForm, SectionForm, WorkPlanForm
from plans.imports import PlanImportError


@login_required
def plan_list(request):
    filterset = WorkPlanFilter(request.GET, queryset=selectors.plan_list(request.user))
    can_create = bool(selectors.secretary_cluster_ids(request.user))
    return render(request, "plans/workplan_list.html", {"filter": filterset, "plans": filterset.qs, "can_create": can_create})


@login_required
def plan_detail(request, pk):
    plan, access = selectors.get_plan_for_user(request.user, pk)
    filterset = PlanItemFilter(request.GET, queryset=selectors.plan_items_queryset(plan), plan=plan, request=request)
    filtered = filterset.is_valid() and any(filterset.form.cleaned_data.values())
    siblings = selectors.plan_page_sibling_decisions(plan)
    context = {
        "plan": plan,
        "can_edit": access.is_secretary,
        "filter": filterset,
        "filtered": filtered,
        "approving": selectors.plan_page_decisions(plan, [], siblings),
        "newer": selectors.newer_versions(plan),
        "my_org_id": user_organization_id(request.user),
        "organizer_key": _organizer_key(filterset),
    }
    _mark_readable_meetings(access, siblings, [])
    context["content_key"] = _content_key(plan, access, filterset, filtered, siblings, context)
    context["content_html"] = fragments.get(context["content_key"]) if context["content_key"] else None
    if context["content_html"] is None:  # not cached: the items, their table and the chart
        _add_plan_content(request, plan, access, filterset, filtered, siblings, context)
    return render(request, "plans/workplan_detail.html", context)


def _add_plan_content(request, plan, access, filterset, filtered, siblings, context) -> None:
    """What the chart, the filter form and the table print: the items (unfiltered: every item from a
    prepared query; filtered: the filter's items; their relations either way), and their fragment keys."""
    items = selectors.plan_page_item_list(plan, list(filterset.qs) if filtered or not filterset.is_valid() else None)
    selectors.plan_page_decisions(plan, items, siblings)
    context.update({
        "table": selectors.plan_table(plan, items, keep_empty=not filtered),
        "progress": selectors.quarter_progress(items),
        "reportable": {item.pk for item in items if selectors.can_report(item, access, request.user)},
    })
    _mark_readable_meetings(access, [], items)
    for item in items:
        item.row_key = _row_key(item, context["my_org_id"], item.pk in context["reportable"])
    context["table_key"] = _table_key(context["table"], filtered)
    context["controls_key"] = _controls_key(plan, filterset, filtered, context)


def _digest(prefix: str, values) -> str:
    return prefix + hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def _table_key(table, filtered: bool) -> str:
    """The fragment-cache key of the plan table's body: the sections as their header rows print them and
    each item's row key (``_row_key``, every value of the row), whether the table is filtered (the
    «no items» texts), the language."""
    return _digest("plan-table:", (
        [(section.pk, section.number, section.title, [item.row_key for item in items]) for section, items in table],
        filtered, get_language(),
    ))


def _controls_key(plan, filterset, filtered: bool, context) -> str:
    """The fragment-cache key of the progress chart and the filter form: each quarter's counts, the form's
    values, the organizer select's key, whether the viewer has an organisation («mine»), the language."""
    form = filterset.form
    return _digest("plan-controls:", (
        plan.pk, filtered, bool(context["my_org_id"]), context["organizer_key"],
        [(q.quarter, q.total, q.done, q.segments) for q in context["progress"]],
        [(name, form[name].value()) for name in form.fields], get_language(),
    ))


def _organizer_key(filterset) -> str:
    """The fragment-cache key of the organizer filter's ``<select>``: its choices (the cluster's
    organisations and bodies as the filter lists them), the chosen value, the field's id, the language."""
    bound = filterset.form["organizer"]
    return _digest("plan-organizer:", (filterset.organizer_rows, bound.value(), bound.auto_id, bound.html_name,
                                       get_language()))


def _row_key(item, my_org_id, reportable: bool) -> str:
    """The fragment-cache key of an item's row in the plan table (core.fragments): every value the row
    prints or decides on, so any change (the item, its organisers' names, a protocol's number, today's
    «overdue», the viewer's report button) makes a new key."""
    reporter = item.reported_by
    values = (
        item.pk, item.section.order, item.order, item.title, item.timeframe_display, item.organizers_text,
        [(o.pk, str(o), o.pk == my_org_id) for o in item.organizer_list], [str(b) for b in item.organizer_body_list],
        [(m.pk, str(m), m.readable) for m in item.meeting_list],
        [(d.number, d.agenda_item.meeting.pk, d.agenda_item.meeting.number, d.agenda_item.meeting.date,
          d.agenda_item.meeting.readable) for d in item.decision_list],
        item.progress_status, item.report, item.reported_at,
        (reporter.get_full_name(), reporter.get_username()) if reporter else None, reportable, get_language(),
    )
    return _digest("plan-row:", values)


def _content_key(plan, access, filterset, filtered: bool, siblings, context) -> str:
    """The fragment-cache key of the page below the heading (the chart, the filter form and the table): the
    plan's items as ``selectors.plan_page_fingerprint`` digests them, what the decisions print (numbers,
    protocols, links), today («overdue»), the viewer (their organisation: «mine», badges and report
    buttons; secretary or not; which protocols they may open), the filter's values and select, the
    language. A warm page reads no item."""
    form = filterset.form
    return _digest("plan-content:", (
        plan.pk, selectors.plan_page_fingerprint(plan), timezone.localdate(),
        [(d.pk, d.number, d.approves_plan_id, d.agenda_item.meeting.pk, d.agenda_item.meeting.number,
          d.agenda_item.meeting.date, d.agenda_item.meeting.readable) for d in siblings],
        context["my_org_id"], access.is_secretary, access.can_read, access.can_manage,
        filtered, filterset.is_valid(), [(name, form[name].value()) for name in form.fields], context["organizer_key"],
        get_language(),
    ))


def _mark_readable_meetings(access, decisions, items) -> None:
    """``meeting.readable`` on every meeting the page links (prefetched): only those get a link."""
    meetings = [decision.agenda_item.meeting for decision in decisions]
    for item in items:
        meetings += [*item.meeting_list, *(decision.agenda_item.meeting for decision in item.decision_list)]
    for meeting in meetings:
        meeting.readable = can_read_meeting(meeting, access)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def plan_export_xlsx(request, pk):
    plan, _access = selectors.get_plan_for_user(request.user, pk)
    data = exports.plan_xlsx(plan)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=exports.export_filename(plan, "xlsx"), content_type=XLSX)


@login_required
def plan_export_pdf(request, pk):
    plan, _access = selectors.get_plan_for_user(request.user, pk)
    data = rendering.render_plan_pdf(plan)
    return FileResponse(io.BytesIO(data), filename=exports.export_filename(plan, "pdf"), content_type="application/pdf")


def _done(request, error_or_message, plan, *, anchor="", level=messages.SUCCESS, editor=True):
    messages.add_message(request, level, str(error_or_message))
    url = reverse("plans:plan-edit" if editor else "plans:plan-detail", args=[plan.pk])
    return redirect(url + anchor)


@login_required
def plan_create(request):
    cluster_ids = selectors.secretary_cluster_ids(request.user)
    if not cluster_ids:
        raise PermissionDenied
    form = WorkPlanForm(request.POST or None, cluster_ids=cluster_ids)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(**form.cleaned_data)
        return _done(request, _("The plan is created: add sections and items."), plan)
    return render(request, "plans/workplan_form.html", {"form": form})


@login_required
def plan_edit(request, pk):
    plan, access = selectors.get_plan_for_user(request.user, pk)
    selectors.require_secretary(access)
    if plan.is_locked:
        return _done(request, _("An approved plan cannot be changed: make a new version («changes to the plan»)."),
                     plan, level=messages.WARNING, editor=False)
    form = WorkPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_update(plan=plan, **form.cleaned_data)
        return _done(request, _("Saved."), plan)
    items = list(selectors.plan_items(plan))
    context = {"plan": plan, "form": form, "table": selectors.plan_table(plan, items), "section_form": SectionForm()}
    return render(request, "plans/workplan_edit.html", context)


@login_required
def section_create(request, pk):
    plan, access = selectors.get_plan_for_user(request.user, pk)
    return _section_form(request, plan, access, None)


@login_required
def section_edit(request, pk):
    section, access = selectors.get_section_for_user(request.user, pk)
    return _section_form(request, section.plan, access, section)


def _section_form(request, plan, access, section):
    selectors.require_secretary(access)
    form = SectionForm(request.POST or None, initial={"title": section.title if section else ""})
    if request.method == "POST" and form.is_valid():
        try:
            if section:
                services.section_update(section=section, title=form.cleaned_data["title"])
            else:
                section = services.section_add(plan=plan, title=form.cleaned_data["title"])
        except DomainError as error:
            return _done(request, error, plan, level=messages.ERROR, editor=False)
        return _done(request, _("Saved."), plan, anchor=f"#section-{section.pk}")
    return render(request, "plans/plansection_form.html", {"plan": plan, "section": section, "form": form})


@login_required
def item_create(request, pk):
    section, access = selectors.get_section_for_user(request.user, pk)
    return _item_form(request, section.plan, access, None, initial={"section": section.pk})


@login_required
def item_edit(request, pk):
    item, access = selectors.get_item_for_user(request.user, pk)
    return _item_form(request, item.section.plan, access, item, initial=PlanItemForm.initial_for(item))


def _item_form(request, plan, access, item, initial):
    selectors.require_secretary(access)
    form = PlanItemForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        section = data.pop("section")
        organizers, bodies = data.pop("organizers"), data.pop("organizer_bodies")
        try:
            item = services.item_save(section=section, data=data, organizers=organizers, organizer_bodies=bodies, item=item)
        except DomainError as error:
            return _done(request, error, plan, level=messages.ERROR, editor=False)
        return _done(request, _("Saved."), plan, anchor=f"#item-{item.pk}")
    return render(request, "plans/planitem_form.html", {"plan": plan, "item": item, "form": form})


@login_required
def structure_action(request, kind, pk, action):
    """Move up/down or remove a section or an item (POST from the editor)."""
    lookup = selectors.get_section_for_user if kind == "section" else selectors.get_item_for_user
    obj, access = lookup(request.user, pk)
    selectors.require_secretary(access)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    plan = obj.plan if kind == "section" else obj.section.plan
    try:
        if action == "delete":
            (services.section_remove(section=obj) if kind == "section" else services.item_remove(item=obj))
            return _done(request, _("Removed."), plan)
        direction = -1 if action == "up" else 1
        (services.section_move(section=obj, direction=direction) if kind == "section"
         else services.item_move(item=obj, direction=direction))
    except DomainError as error:
        return _done(request, error, plan, level=messages.ERROR, editor=False)
    return redirect(reverse("plans:plan-edit", args=[plan.pk]) + f"#{kind}-{obj.pk}")


@login_required
def item_report(request, pk):
    item, access = selectors.get_item_for_user(request.user, pk)
    if not selectors.can_report(item, access, request.user):
        raise PermissionDenied
    links = access.is_secretary
    initial = {"status": item.status, "report": item.report}
    if links:
        initial.update(meetings=list(item.meetings.all()), decisions=list(item.decisions.all()))
    form = ItemReportForm(request.POST or None, item=item, links=links, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.item_report(item=item, user=request.user, **form.cleaned_data)
        return _done(request, _("The report is saved."), item.section.plan, anchor=f"#item-{item.pk}", editor=False)
    return render(request, "plans/planitem_report.html", {"plan": item.section.plan, "item": item, "form": form})


@login_required
def plan_approve(request, pk):
    plan, access = selectors.get_plan_for_user(request.user, pk)
    selectors.require_secretary(access)
    form = ApproveForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_approve(plan=plan, decision=form.cleaned_data["decision"], user=request.user)
        except DomainError as error:
            form.add_error("decision", str(error))
        else:
            return _done(request, _("The plan is approved."), plan, editor=False)
    return render(request, "plans/workplan_approve.html", {"plan": plan, "form": form})


@login_required
def plan_new_version(request, pk):
    plan, access = selectors.get_plan_for_user(request.user, pk)
    selectors.require_secretary(access)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        new = services.plan_new_version(plan=plan, user=request.user)
    except DomainError as error:
        return _done(request, error, plan, level=messages.ERROR, editor=False)
    return _done(request, _("A new version is made: change it and have it approved."), new)


@login_required
def plan_import(request):
    cluster_ids = selectors.secretary_cluster_ids(request.user)
    if not cluster_ids:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, cluster_ids=cluster_ids)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_import(cluster=form.cleaned_data["cluster"], file=form.cleaned_data["file"])
        except PlanImportError as error:
            errors = error.errors
        except DomainError as error:
            errors = [(0, str(error))]
        else:
            return _done(request, _("The plan is imported as a draft: check it and have it approved."), plan)
    return render(request, "plans/workplan_import.html", {"form": form, "errors": errors})
