"""Import pages: the upload (``/meetings/import/``) and each file's review (``/meetings/import/<token>/``)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import ru
from core.errors import DomainError
from meetings.importing import services
from meetings.importing.access import get_import_for_user
from meetings.importing.forms import ConfirmForm, ProtocolImportForm
from meetings.importing.models import ProtocolImport
from meetings.models import ChairTitle, DecisionKind, MeetingFormat, MeetingKind, Vote
from members.models import OrganizationKind
from members.selectors import secretary_cluster_ids


@login_required
def protocol_import(request):
    cluster_ids = secretary_cluster_ids(request.user)
    if not cluster_ids:
        raise PermissionDenied
    form = ProtocolImportForm(request.POST or None, request.FILES or None, cluster_ids=cluster_ids)
    if request.method == "POST" and form.is_valid():
        try:
            records = services.protocol_imports_read(body=form.cleaned_data["body"], user=request.user,
                                                     sources=form.sources)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if len(records) == 1:
                return redirect("meetings:import-review", token=records[0].token)
            messages.success(request, _("%(count)s protocols are read: review each and confirm its draft.")
                             % {"count": len(records)})
            return redirect("meetings:import")
    # The files of a large upload are parsed by background jobs: the page (polled while some wait) only reads.
    waiting = list(ProtocolImport.objects.filter(created_by=request.user, meeting__isnull=True,
                                                 body__cluster_id__in=cluster_ids)
                   .select_related("body").only("token", "file_name", "created_at", "body__name", "result",
                                                "parsed_at", "meeting_id")[:100])
    return render(request, "meetings/import_upload.html", {
        "form": form, "waiting": waiting, **services.protocol_imports_progress(waiting),
    })


@login_required
def protocol_import_review(request, token):
    record = get_import_for_user(request.user, token)
    if not record.is_parsed:  # a file of a large upload opened before its turn
        record = services.protocol_import_parse(record=record)
    result = record.result
    initial = {"number": result.get("number", ""), "date": result.get("date")}
    form = ConfirmForm(request.POST or None, initial=initial)
    if request.method == "POST" and "discard" in request.POST and not record.is_confirmed:
        services.protocol_import_discard(record=record)
        messages.success(request, _("The import is discarded."))
        return redirect("meetings:import")
    if request.method == "POST" and "rematch" in request.POST and not record.is_confirmed:
        services.protocol_import_rematch(record=record)
        messages.success(request, _("The protocol is matched against the register again."))
        return redirect("meetings:import-review", token=record.token)
    if request.method == "POST" and not record.is_confirmed and form.is_valid():
        try:
            meeting = services.protocol_import_confirm(record=record, user=request.user,
                                                       number=form.cleaned_data["number"], date=form.cleaned_data["date"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft protocol is created: check it in the editor and send it for approval."))
            return redirect("meetings:import-review", token=record.token)
    elif request.method == "POST" and record.is_confirmed:
        return redirect("meetings:import-review", token=record.token)
    return render(request, "meetings/import_review.html", {
        "record": record, "p": _display(result), "form": form, "source": _source_lines(record.source_text),
        "flags": _all_flags(result), "flagged": {f["field"] for f in result.get("flags", [])},
    })


def _label(choices, value):
    return dict(choices).get(value, value or "")


def _deadline_display(deadline: dict | None) -> str:
    if not deadline:
        return ""
    if deadline.get("words"):
        return deadline["words"]
    return ru.format_deadline(date=_parse_date(deadline.get("date")), start=_parse_date(deadline.get("start")),
                              time=datetime.time.fromisoformat(deadline["time"]) if deadline.get("time") else None)


def _vote_display(d: dict) -> str:
    """As ``Decision.vote_display`` prints it."""
    if d["vote"] == Vote.COUNTED:
        return (f"«за» — {d['votes_for'] or 0}, «против» — {d['votes_against'] or 0}, "
                f"«воздержались» — {d['votes_abstained'] or 0}")
    return "" if d["vote"] == Vote.NONE else str(_label(Vote.choices, d["vote"]))


def _display(result: dict) -> dict:
    """The parsed protocol with the labels the review page prints (a copy; the stored result stays as parsed)."""
    p = {**result, "items": []}
    p["date_display"] = ru.ru_date(_parse_date(result.get("date")))
    p["kind_label"] = _label(MeetingKind.choices, result.get("kind"))
    p["format_label"] = _label(MeetingFormat.choices, result.get("format"))
    p["chair_title_label"] = _label(ChairTitle.choices, result.get("chair_title"))
    kinds = dict(OrganizationKind.choices)
    for item in result.get("items", []):
        decisions = []
        for d in item["decisions"]:
            parties = d.get("parties") or {}
            decisions.append({**d, "kind_label": _label(DecisionKind.choices, d["kind"]),
                              "vote_label": _vote_display(d),
                              "deadline_display": _deadline_display(d.get("deadline")),
                              "kind_labels": [kinds.get(k, k) for k in parties.get("kinds", [])]})
        p["items"].append({**item, "decisions": decisions})
    return p


def _parse_date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _source_lines(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.splitlines(), start=1))


def _all_flags(result: dict) -> list[dict]:
    """Every flag of the protocol and its decisions, in the order of the source."""
    flags = list(result.get("flags", []))
    for item in result.get("items", []):
        for decision in item["decisions"]:
            flags += [{**f, "field": _("decision %(number)s") % {"number": decision["number"]}} for f in decision["flags"]]
    return sorted(flags, key=lambda f: f.get("line") or 0)
