"""Assignments and execution control. Every view calls the access helper first."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import ru
from core.htmx import render_list
from meetings.access import get_meeting_for_user
from meetings.models import Assignment, AssignmentStatus
from tasks.models import AssignmentReportFile, ExtensionStatus
from core.errors import DomainError
from members.access import managed_cluster_ids
from core.tokens import new_token
from tasks.models import CalendarToken
from tasks import ics
from tasks import selectors, services
from tasks.filters import AssignmentFilter
from tasks.forms import DisciplineFilterForm, ExtensionDecisionForm, ExtensionRequestForm, ReportForm, ReviewForm
from tasks.reports import discipline_filter_html, discipline_report_of_user, discipline_xlsx, opening_discipline_filter_html
from tasks.rows import opening_filter_html

PAGE_SIZE = 50
REPORT_PAGE_SIZE = 50  # organisations a page of the discipline report


@login_required
def task_list(request):
    manages = bool(managed_cluster_ids(request.user))
    scope = "all" if manages and request.GET.get("scope") == "all" else "mine"
    # The list as it opens (no filter value): prepared queries, compiled once per process.
    unfiltered = not any(request.GET.get(name) for name in AssignmentFilter.base_filters)
    rows = selectors.AssignmentListPages.for_user(request.user, scope, PAGE_SIZE) if unfiltered else None
    if rows is not None:  # the form is only shown
        base = Assignment.objects.none()
    else:
        base = selectors.cluster_assignments(request.user) if scope == "all" else selectors.my_assignments(request.user)
    filter_html = None
    if rows is not None:  # the controls as the list opens: cached HTML, no filter set built on a hit
        filter_html, filterset = opening_filter_html(
            request.user, lambda: AssignmentFilter(request.GET or None, queryset=base, user=request.user))
    else:
        filterset = AssignmentFilter(request.GET or None, queryset=base, user=request.user)
    if rows is None:
        # A filter that does not validate shows its message and no rows (not the list minus that filter).
        rows = selectors.sorted_by_urgency(filterset.qs if not filterset.is_bound or filterset.is_valid() else base.none())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    rows_html = None
    if isinstance(rows, selectors.AssignmentListPages):  # a page of tuples, rendered without model instances
        rows_html = rows.rows_html(page.object_list)
    else:
        today = timezone.localdate()
        for assignment in page:
            assignment.days_left = selectors.days_left(assignment, today)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "filter_html": filter_html, "page": page, "rows_html": rows_html, "scope": scope,
               "manages": manages, "query": query.urlencode()}
    return render_list(request, "tasks/assignment_list.html", "tasks/_assignment_results.html", context)


def _detail(request, assignment, acl, status=200, **forms):
    extra = selectors.assignment_detail_context(assignment, with_reports=acl.can_see_reports)
    pending_extension = any(ext.status == ExtensionStatus.REQUESTED for ext in extra["extensions"])
    context = {
        "assignment": assignment,
        "meeting": assignment.decision.agenda_item.meeting,
        "days_left": selectors.days_left(assignment),
        "report_form": forms.get("report_form") or ReportForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "extension_form": forms.get("extension_form") or ExtensionRequestForm(),
        "decision_form": ExtensionDecisionForm(),
        "can_see_reports": acl.can_see_reports,
        "can_start": acl.can_report and assignment.status in services.STARTABLE,
        "can_submit": acl.can_report and (assignment.status in services.REPORTABLE or "report_form" in forms),
        "can_review_report": acl.can_review and assignment.status == AssignmentStatus.REPORTED,
        "can_decide_extensions": acl.can_review,
        "can_request_extension": acl.can_report and (
            "extension_form" in forms or (not pending_extension and assignment.status not in services.CLOSED)
        ),
        **extra,
    }
    return render(request, "tasks/assignment_detail.html", context, status=status)


@login_required
def task_detail(request, pk):
    assignment, acl = selectors.get_assignment_for_user(request.user, pk)
    return _detail(request, assignment, acl)


@login_required
def report_file(request, pk, file_pk):
    """Report files are served only through the assignment's access check."""
    assignment, acl = selectors.get_assignment_for_user(request.user, pk)
    if not acl.can_see_reports:
        raise Http404
    attachment = get_object_or_404(AssignmentReportFile.objects.filter(report__assignment=assignment), pk=file_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


def _acting(request, pk, need: str):
    """Access first (404 outside the user's clusters), then the right to act (403)."""
    assignment, acl = selectors.get_assignment_for_user(request.user, pk)
    if not getattr(acl, need):
        raise PermissionDenied
    return assignment, acl


def _done(request, assignment, message):
    messages.success(request, message)
    return redirect("tasks:task-detail", pk=assignment.pk)


@login_required
@require_POST
def assignment_start(request, pk):
    assignment, _acl = _acting(request, pk, "can_report")
    try:
        services.assignment_start(assignment=assignment, user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("tasks:task-detail", pk=assignment.pk)
    return _done(request, assignment, _("The assignment is now in progress."))


@login_required
@require_POST
def report_submit(request, pk):
    assignment, acl = _acting(request, pk, "can_report")
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.assignment_report_submit(assignment=assignment, author=request.user, text=form.cleaned_data["text"],
                                              files=form.cleaned_data["files"])
            return _done(request, assignment, _("The report was sent to the secretary."))
        except DomainError as error:
            form.add_error(None, str(error))
    return _detail(request, assignment, acl, status=400, report_form=form)


def _review(request, pk, service, message):
    assignment, acl = _acting(request, pk, "can_review")
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        service(assignment=assignment, reviewer=request.user, comment=form.cleaned_data.get("comment", ""))
        return _done(request, assignment, message)
    except DomainError as error:
        form.add_error("comment", str(error))
    return _detail(request, assignment, acl, status=400, review_form=form)


@login_required
@require_POST
def report_accept(request, pk):
    return _review(request, pk, services.assignment_report_accept, _("The report was accepted: the assignment is done."))


@login_required
@require_POST
def report_return(request, pk):
    return _review(request, pk, services.assignment_report_return, _("The report was returned for rework."))


@login_required
@require_POST
def extension_request(request, pk):
    assignment, acl = _acting(request, pk, "can_report")
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_extension_request(assignment=assignment, requested_by=request.user, **form.cleaned_data)
            return _done(request, assignment, _("The extension request was sent."))
        except DomainError as error:
            form.add_error(None, str(error))
    return _detail(request, assignment, acl, status=400, extension_form=form)


@login_required
@require_POST
def extension_decide(request, pk, extension_pk, decision):
    if decision not in ("grant", "refuse"):
        raise Http404
    assignment, acl = _acting(request, pk, "can_review")
    extension = get_object_or_404(assignment.extensions.all(), pk=extension_pk)
    form = ExtensionDecisionForm(request.POST)
    form.is_valid()
    try:
        services.assignment_extension_decide(extension=extension, decided_by=request.user, grant=decision == "grant",
                                             comment=form.cleaned_data.get("comment", ""))
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("tasks:task-detail", pk=assignment.pk)
    return _done(request, assignment, _("The extension was granted.") if decision == "grant" else _("The extension was refused."))


@login_required
def discipline_report(request):
    managed = managed_cluster_ids(request.user)
    if not managed:
        raise PermissionDenied
    if request.GET.get("cluster") and request.GET["cluster"] not in {str(pk) for pk in managed}:
        raise Http404  # a cluster the user does not control: nothing about it, not even its name
    several_clusters = len(managed) > 1
    if not any(request.GET.get(name) for name in DisciplineFilterForm.base_fields):
        # As the report opens (no filter value): the controls from the cache, no form built on a hit.
        filter_html, form = opening_discipline_filter_html(
            managed, lambda: DisciplineFilterForm(request.GET or None, cluster_ids=managed))
        period = form.cleaned_data if form is not None and form.is_valid() else {}
    else:
        form = DisciplineFilterForm(request.GET or None, cluster_ids=managed)
        period = form.cleaned_data if form.is_valid() else {}
        filter_html = discipline_filter_html(form, several_clusters)
    report = discipline_report_of_user(request.user, cluster_id=period["cluster"].pk if period.get("cluster") else None,
                                       date_from=period.get("date_from"), date_to=period.get("date_to"))
    title = _("Execution discipline") + (f" — {period['cluster']}" if period.get("cluster") else "") + _period_label(period)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(discipline_xlsx(report, title=title),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="discipline.xlsx"'
        return response
    # One page of organisations (the chart too): an administrator's report has thousands of rows.
    page = Paginator(report.rows, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    report.shown = list(page.object_list)
    # Drill-down: the list filtered to exactly the rows counted here. The query around the organisation is
    # the same for every row: encoded once, not once a row.
    head = urlencode({"scope": "all", **({"cluster": period["cluster"].pk} if period.get("cluster") else {})})
    tail = urlencode({"deadline_after": period.get("date_from") or "", "deadline_before": period.get("date_to") or ""})
    for row in report.shown:
        row.drill = f"{head}&organization={row.organization_id or ''}&{tail}"
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "report": report, "page": page, "query": query.urlencode(), "title": title,
               "filter_html": filter_html,
               "several_clusters": several_clusters, "list_url": reverse("tasks:task-list")}
    return render(request, "tasks/discipline_report.html", context)


def _period_label(period) -> str:
    start, end = period.get("date_from"), period.get("date_to")
    if start and end:
        return f" — с {ru.ru_date(start)} по {ru.ru_date(end)}"
    if start:
        return f" — с {ru.ru_date(start)}"
    if end:
        return f" — по {ru.ru_date(end)}"
    return ""


@login_required
def calendar_settings(request):
    token, _created = CalendarToken.objects.get_or_create(user=request.user)
    if request.method == "POST":
        token.token = new_token()
        token.save()
        messages.success(request, _("A new calendar link was made; the old one no longer works."))
        return redirect("tasks:calendar-settings")
    feed_url = request.build_absolute_uri(reverse("tasks:calendar-feed", args=[token.token]))
    return render(request, "tasks/calendar_settings.html", {"token": token, "feed_url": feed_url})


def calendar_feed(request, token):
    """The personal feed: the secret token is the only credential (calendar apps cannot log in)."""
    entry = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if entry is None:
        raise Http404
    return _ics_response(ics.user_calendar(entry.user), "calendar.ics", inline=True)


@login_required
def meeting_ics(request, pk):
    meeting, _access = get_meeting_for_user(request.user, pk)
    return _ics_response(ics.meeting_calendar(meeting), f"meeting-{meeting.pk}.ics", inline=False)


def _ics_response(data: bytes, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response
