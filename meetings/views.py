"""Protocol list, protocol page, editor and workflow. Views are thin: access first, then a
selector or a service; ``DomainError`` becomes a message for the user."""

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from meetings import list_rows, protocol_page, selectors, services
from meetings.signatories import meeting_signatories_set
from meetings.protocol import SIGNS_WITH_CHAIR, SIGNS_WITH_SECRETARY
from meetings.protocol import signatories as protocol_signatories
from meetings.access import can_edit_meeting, get_meeting_for_user
from meetings.filters import MeetingFilter, opening_fields_html
from meetings.forms import PersonCreateForm, ProtocolEditor, decision_label, editor_initial, people_matching, person_label
from meetings.models import Decision, Meeting, MeetingKind, MeetingStatus, Speaker, number_decisions
from meetings.protocol import build_protocol
from core import fragments
from core.errors import DomainError
from core.htmx import render_list
from core.params import id_param
from members import services as member_services
from members.access import access_for, visible_cluster_ids
from members.forms import signatories_forms, signatory_entries
from members.models import Body, SignatoriesStyle


@login_required
@require_safe
def meeting_list(request):
    unfiltered = not any(value for key, value in request.GET.items() if key != "page")
    if unfiltered:
        # the list as it opens: the filter's controls from the cache, count and page from prepared queries
        meeting_filter, filter_fields = None, opening_fields_html(request.user)
        meetings = selectors.MeetingListPages(request.user)
    else:
        meeting_filter, filter_fields = MeetingFilter(request.GET, queryset=selectors.meeting_list(request.user),
                                                      user=request.user), None
        meeting_filter.prepare_options(request.user)
        meetings = selectors.meeting_list_rows(meeting_filter.qs)
    page = Paginator(meetings, 25).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # tuples (meetings.list_rows.COLUMNS)
    query = request.GET.copy()
    query.pop("page", None)
    return render_list(request, "meetings/meeting_list.html", "meetings/_meeting_results.html", {
        "filter": meeting_filter, "filter_fields": filter_fields, "page_obj": page, "query": query.urlencode(),
        "rows_html": list_rows.rows_html(page.object_list),
        "can_create": any(a.is_secretary for a in _accesses(request.user)),
    })


def _accesses(user):
    return [access_for(user, pk) for pk in visible_cluster_ids(user)]


@login_required
@require_safe
def meeting_detail(request, pk):
    form = "short" if request.GET.get("form") == "short" else "full"
    meeting, access = get_meeting_for_user(request.user, pk, queryset=selectors.protocol_page_meetings())
    page_key = protocol_page.page_key(meeting, access, form)
    page_html = fragments.get(page_key) if page_key else None
    if page_html is not None:
        # a signed protocol's content comes whole from the cache: nothing else to load
        return render(request, "meetings/meeting_detail.html",
                      {"meeting": meeting, "page_key": page_key, "page_html": page_html})
    selectors.protocol_page_load(meeting)
    can_edit = can_edit_meeting(meeting, access)
    on_approval = meeting.status == MeetingStatus.ON_APPROVAL
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting,
        "page_key": page_key,
        "access": access,
        "p": build_protocol(meeting, form=form),
        "form": form,
        "can_edit": can_edit,
        "can_submit": can_edit,
        "submit_problems": services.meeting_submit_problems(meeting=meeting) if can_edit else [],
        "can_approve": on_approval and access.is_chair,
        "can_return": on_approval and access.is_chair,
        "waiting_for_chair": on_approval and not access.is_chair,
        "show_return_comment": bool(meeting.return_comment) and meeting.is_editable and access.can_manage,
        "can_see_history": access.can_manage,
    })


@login_required
@require_safe
def meeting_history(request, pk):
    """The change history of a protocol, for its secretary and chair: loaded when asked for (the
    protocol page links here, htmx puts the panel in place), not on every view of the page."""
    meeting, access = get_meeting_for_user(request.user, pk)
    if not access.can_manage:
        raise PermissionDenied
    context = {"meeting": meeting, "history": selectors.meeting_history(meeting)}
    if request.htmx:
        return render(request, "meetings/_history.html", context)
    return render(request, "meetings/meeting_history.html", context)


# ---------------------------------------------------------------- editor

def _secretary_cluster_ids(user):
    return [a.cluster_id for a in _accesses(user) if a.is_secretary]


def _signing_officers(body, chair, secretary):
    """The officers a new protocol starts with: those of the body's chair and secretary who sign its protocols
    (a body whose protocols the secretary alone signs gets no chair line it does not have)."""
    return (chair if body.signatories in SIGNS_WITH_CHAIR else None,
            secretary if body.signatories in SIGNS_WITH_SECRETARY else None)


def _new_meeting_initial(request, cluster_ids) -> dict:
    """A new protocol starts from the body's next number and those of its current chair and secretary who sign."""
    today = timezone.localdate()
    bodies = Body.objects.filter(cluster_id__in=cluster_ids)
    body = bodies.filter(pk=id_param(request.GET, "body") or 0).first() or bodies.first()
    if body is None:
        return editor_initial(None)
    chair, secretary = _signing_officers(body, *selectors.body_officers(body=body, day=today))
    last = Meeting.objects.filter(body=body).order_by("-date").first()
    initial = editor_initial(None)
    initial["meeting"] = {
        "body": body.pk, "date": today, "number": selectors.next_meeting_number(body_id=body.pk, year=today.year),
        "chair": chair.pk if chair else None, "secretary": secretary.pk if secretary else None,
        "city": last.city if last else "", "kind": last.kind if last else MeetingKind.COUNCIL,
    }
    return initial


@login_required
def meeting_create(request):
    cluster_ids = _secretary_cluster_ids(request.user)
    if not cluster_ids:
        raise PermissionDenied
    return _editor(request, None, cluster_ids)


def _draft_of_secretary(request, pk):
    """The protocol a secretary edits, and the redirect (with the reason) when it is no longer a draft."""
    meeting, access = get_meeting_for_user(request.user, pk, queryset=selectors.protocol_queryset())
    if not access.is_secretary:
        raise PermissionDenied
    if not meeting.is_editable:
        messages.error(request, _("This protocol is %(status)s and can no longer be edited.")
                       % {"status": meeting.get_status_display().lower()})
        return meeting, redirect("meetings:meeting-detail", pk=meeting.pk)
    return meeting, None


@login_required
def meeting_edit(request, pk):
    meeting, refused = _draft_of_secretary(request, pk)
    if refused:
        return refused
    return _editor(request, meeting, [meeting.cluster_id])


def _search_urls(meeting) -> dict:
    """The editor of a saved protocol searches its cluster only; a new one the clusters the user keeps."""
    if meeting is None:
        return {"people_search_url": reverse("meetings:person-search"),
                "decision_search_url": reverse("meetings:decision-search")}
    return {"people_search_url": reverse("meetings:meeting-person-search", args=[meeting.pk]),
            "decision_search_url": reverse("meetings:meeting-decision-search", args=[meeting.pk])}


def _editor(request, meeting, cluster_ids):
    data = request.POST.copy() if request.method == "POST" else None  # mutable: refused removals come back
    initial = _new_meeting_initial(request, cluster_ids) if meeting is None and data is None else None
    editor = ProtocolEditor(data=data, meeting=meeting, cluster_ids=cluster_ids, initial=initial,
                            search_urls=_search_urls(meeting))
    save_error = None
    if meeting is None and data is not None:  # sent again: its validation would refuse the number it took
        created = services.meeting_created_with(data.get(editor.meeting_form.add_prefix("creation_key")))
        if created is not None and created.cluster_id in cluster_ids:
            messages.info(request, str(services.AlreadySaved(created)))
            return redirect("meetings:meeting-edit" if created.is_editable else "meetings:meeting-detail", pk=created.pk)
    if data is not None and editor.is_valid():
        try:
            saved = services.meeting_save_protocol(meeting=meeting, user=request.user, **editor.service_kwargs())
        except services.AlreadySaved as error:
            if error.meeting.cluster_id not in cluster_ids:
                raise PermissionDenied from None
            messages.info(request, str(error))
            target = "meetings:meeting-edit" if error.meeting.is_editable else "meetings:meeting-detail"
            return redirect(target, pk=error.meeting.pk)
        except services.DecisionInUse as error:
            save_error = str(error)
            editor.restore_decisions(error.by_decision)
        except DomainError as error:
            save_error = str(error)
        else:
            messages.success(request, _("The protocol is saved."))
            if meeting is None:  # the browser's back button leads to an empty form: it says where this one went
                request.session["protocol_just_created"] = saved.pk
            target = "meetings:meeting-edit" if "continue" in request.POST else "meetings:meeting-detail"
            return redirect(target, pk=saved.pk)
    just_created = None
    if meeting is None and data is None and (pk := request.session.pop("protocol_just_created", None)):
        just_created = Meeting.objects.filter(pk=pk, cluster_id__in=cluster_ids).first()
    copy_sources = Meeting.objects.filter(cluster_id__in=cluster_ids).select_related("body").order_by("-date")
    if meeting is not None:
        copy_sources = copy_sources.exclude(pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {
        "editor": editor, "meeting": meeting, "save_error": save_error,
        "invalid": data is not None and save_error is None, "copy_sources": copy_sources[:50],
        "just_created": just_created,
        "person_form": PersonCreateForm(prefix="np", cluster_ids=cluster_ids),
        "person_search_url": editor.choices.people_search_url,
        # The editor numbers decisions as the protocol will: it needs each body's layout and numbering (one query).
        "body_layouts": json.dumps({pk: {"layout": layout, "numbering": numbering} for pk, layout, numbering in
                                    editor.meeting_form.fields["body"].queryset.values_list(
                                        "pk", "protocol_layout", "decision_numbering")}),
    }, status=200)


def _require_secretary(user):
    if not _secretary_cluster_ids(user):
        raise PermissionDenied


def _edited_cluster_ids(request, pk=None) -> list[int]:
    """What the editor's searches may list: the cluster of the protocol being edited (``pk``), else
    every cluster the user keeps as secretary."""
    if pk is None:
        cluster_ids = _secretary_cluster_ids(request.user)
        if not cluster_ids:
            raise PermissionDenied
        return cluster_ids
    meeting, access = get_meeting_for_user(request.user, pk, queryset=Meeting.objects.all())
    if not access.is_secretary:
        raise PermissionDenied
    return [meeting.cluster_id]


@login_required
@require_safe
def person_search(request, pk=None):
    """Search-as-you-type in the register of the edited clusters: <option>s for the editor's selects."""
    people = people_matching(request.GET.get("q", ""), cluster_ids=_edited_cluster_ids(request, pk))
    return render(request, "meetings/_options.html", {"options": [(p.pk, person_label(p)) for p in people]})


@login_required
@require_safe
def decision_search(request, pk=None):
    """Earlier decisions of the edited clusters, for «continues»."""
    cluster_ids = _edited_cluster_ids(request, pk)
    query = request.GET.get("q", "").strip()
    decisions = Decision.objects.none()
    if query:
        decisions = (
            Decision.objects.filter(agenda_item__meeting__cluster_id__in=cluster_ids)
            .filter(Q(text__contains=query) | Q(text__contains=query.lower()) | Q(text__contains=query.capitalize())
                    | Q(agenda_item__meeting__number=query))
            .select_related("agenda_item__meeting__body").prefetch_related("agenda_item__decisions")[:20]
        )
    return render(request, "meetings/_options.html",
                  {"options": [(d.pk, decision_label(d)) for d in number_decisions(decisions)]})


@login_required
@require_POST
def person_create(request):
    """«Add a new person on the spot»: a register entry from the editor, answered as JSON. The register's
    own service makes it, so a person already in the organisation is refused and offered instead."""
    cluster_ids = _secretary_cluster_ids(request.user)
    if not cluster_ids:
        raise PermissionDenied
    form = PersonCreateForm(request.POST, prefix="np", cluster_ids=cluster_ids)
    if not form.is_valid():
        return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
    try:
        person = member_services.person_create(**form.cleaned_data)
    except member_services.DuplicatePersonError as error:
        existing = {"id": error.existing.pk, "label": person_label(error.existing)}
        return JsonResponse({"errors": {"__all__": [str(error)]}, "existing": existing}, status=400)
    except DomainError as error:
        return JsonResponse({"errors": {"__all__": [str(error)]}}, status=400)
    return JsonResponse({"id": person.pk, "label": person_label(person)})


@login_required
@require_safe
def meeting_agenda(request, pk):
    """The agenda of a meeting as JSON, for «copy the agenda from an earlier meeting»."""
    meeting, access = get_meeting_for_user(request.user, pk)
    if not access.is_secretary:
        raise PermissionDenied
    items = meeting.agenda_items.prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.select_related("person__organization"))
    )
    return JsonResponse({"body": meeting.body_id, "items": [
        {"title": item.title, "speakers": [
            {"person": s.person_id, "label": person_label(s.person) if s.person_id else "", "name_text": s.name_text,
             "position_text": s.position_text} for s in item.speakers.all()]}
        for item in items
    ]})


@login_required
@require_safe
def next_number(request):
    """The suggested number, chair and secretary for a body and date (the editor asks on change)."""
    _require_secretary(request.user)
    cluster_ids = _secretary_cluster_ids(request.user)
    body = Body.objects.filter(cluster_id__in=cluster_ids, pk=id_param(request.GET, "body") or 0).first()
    if body is None:
        raise Http404
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    chair, secretary = _signing_officers(body, *selectors.body_officers(body=body, day=day))
    return JsonResponse({
        "number": selectors.next_meeting_number(body_id=body.pk, year=day.year),
        "chair": chair.pk if chair else None, "chair_label": person_label(chair) if chair else "",
        "secretary": secretary.pk if secretary else None,
        "secretary_label": person_label(secretary) if secretary else "",
    })


# ---------------------------------------------------------------- who signs this protocol

@login_required
def meeting_signatories(request, pk):
    """Who signs this protocol (a draft): as its body's setting says, another way, or its own signers in order."""
    meeting, refused = _draft_of_secretary(request, pk)
    if refused:
        return refused
    data = request.POST if request.method == "POST" else None
    body_way = SignatoriesStyle(meeting.body.signatories).label
    form, formset = signatories_forms(
        data, cluster_id=meeting.cluster_id, style=meeting.signatories, rows=meeting.signatory_rows.all(),
        inherit_label=_("As the body's setting says (%(way)s)") % {"way": str(body_way).lower()})
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            meeting_signatories_set(meeting=meeting, style=form.cleaned_data["style"],
                                    entries=signatory_entries(formset))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved: the protocol names its signers."))
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    return render(request, "meetings/meeting_signatories.html", {
        "meeting": meeting, "form": form, "formset": formset, "signers": protocol_signatories(meeting),
    })


# ---------------------------------------------------------------- workflow

def _workflow(request, pk, allowed, action, done_message):
    meeting, access = get_meeting_for_user(request.user, pk)
    if not allowed(access):
        raise PermissionDenied
    try:
        action(meeting)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message)
    return redirect("meetings:meeting-detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_submit(request, pk):
    return _workflow(request, pk, lambda a: a.is_secretary,
                     lambda m: services.meeting_submit(meeting=m, user=request.user),
                     _("The protocol is sent to the chair for approval."))


@login_required
@require_POST
def meeting_approve(request, pk):
    return _workflow(request, pk, lambda a: a.is_chair,
                     lambda m: services.meeting_approve(meeting=m, user=request.user),
                     _("The protocol is approved; its decisions are now assignments."))


@login_required
@require_POST
def meeting_return(request, pk):
    return _workflow(request, pk, lambda a: a.is_chair,
                     lambda m: services.meeting_return(meeting=m, user=request.user,
                                                       comment=request.POST.get("comment", "")),
                     _("The protocol is returned to the secretary."))
