"""Download, sign and verify protocol PDFs. Access first, then the service."""

import base64
import binascii
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.urls import reverse
from django.utils.translation import gettext as _

from documents.forms import CorrectionForm, VerifyForm
from documents.panel import is_printed_signer, may_get_demo_certificate, may_sign, signing_steps, visible_documents
from documents.pki import DEMO_PKI_PASSWORD
from documents.rendering import needs_watermark, render_protocol_pdf
from documents.services import (
    OwnerMismatch,
    demo_certificate_issue,
    next_signer,
    protocol_certified_copy,
    protocol_correction_start,
    protocol_sign_finish,
    protocol_sign_prepare,
)
from documents.verification import find_registered, verify_pdf
from meetings.access import can_edit_meeting, get_meeting_for_user
from meetings.models import Meeting, MeetingStatus
from meetings.protocol import SIGNATORY_PREFETCH
from core.errors import DomainError
from core.params import id_param


def _stored_document(meeting, version: str | None):
    """The stored file asked for: ?version=N, else the signed protocol; None means render."""
    if version:
        document = meeting.documents.filter(version=id_param({"version": version}, "version")).first()
        if document is None:
            raise Http404
        return document
    if meeting.status == MeetingStatus.SIGNED:
        return meeting.documents.current_signed()
    return None


@login_required
def protocol_pdf(request, pk):
    meeting, access = get_meeting_for_user(request.user, pk)
    form = "short" if request.GET.get("form") == "short" else "full"
    item_order = id_param(request.GET, "item")
    item = meeting.agenda_items.filter(order=item_order).first() if item_order else None
    document = None if form == "short" or item else _stored_document(meeting, request.GET.get("version"))
    if document is not None and (document.is_complete or access.can_manage or is_printed_signer(meeting, request.user)):
        name = f"protocol-{meeting.date:%Y-%m-%d}-v{document.version}.pdf"
        return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=name)
    if not access.can_manage:
        raise PermissionDenied  # unsigned renders are for the secretary and the chair
    pdf = render_protocol_pdf(meeting, form=form, watermark=needs_watermark(meeting), item=item)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protocol-{meeting.date:%Y-%m-%d}-{form}.pdf"'
    return response


@login_required
def protocol_certified_copy_view(request, pk):
    """The signed protocol with the portal's seal added: a certified copy anyone in the cluster may take."""
    meeting, access = get_meeting_for_user(request.user, pk)
    document = _stored_document(meeting, request.GET.get("version"))
    if document is None or not document.is_complete:
        raise Http404
    try:
        data = protocol_certified_copy(document=document)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(reverse("meetings:meeting-detail", args=[meeting.pk]))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protocol-{meeting.date:%Y-%m-%d}-v{document.version}-copy.pdf"'
    return response


def _signing_queryset():
    """A meeting with what ``signatories`` reads, so the page's several questions about the signers cost no query."""
    return Meeting.objects.select_related("cluster", "body", "chair", "secretary").prefetch_related(*SIGNATORY_PREFETCH)


def _sign_page_access(request, pk):
    meeting, access = get_meeting_for_user(request.user, pk, queryset=_signing_queryset())
    signer = next_signer(meeting)
    if not (access.can_manage or may_sign(signer, request.user) or may_get_demo_certificate(meeting, request.user)):
        raise PermissionDenied
    return meeting, access, signer


@login_required
@require_GET
def protocol_sign_view(request, pk):
    """The signing page: who signs in order, and for the one who signs now (their own login) the signing
    panel of static/js/signing.js: their key stays in the browser, the page posts only the certificate and
    the signature value to the two endpoints below."""
    meeting, access, signer = _sign_page_access(request, pk)
    return render(request, "documents/protocol_sign.html", {
        "meeting": meeting, "signer": signer,
        "can_sign": may_sign(signer, request.user), "steps": signing_steps(meeting),
        "can_get_demo_certificate": may_get_demo_certificate(meeting, request.user),
        "demo_password": DEMO_PKI_PASSWORD, "signing_client": settings.SIGNING_CLIENT,
        "documents": visible_documents(meeting, access, signer=is_printed_signer(meeting, request.user)),
    })


def _json_body(request) -> dict:
    if request.content_type != "application/json":
        raise SuspiciousOperation("the signing endpoints take JSON")
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise SuspiciousOperation("malformed JSON") from None
    if not isinstance(body, dict):
        raise SuspiciousOperation("malformed JSON")
    return body


def _b64(value, *, field: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise SuspiciousOperation(f"{field} missing")
    try:
        return base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        raise SuspiciousOperation(f"{field} is not base64") from None


def _refused(error: DomainError) -> JsonResponse:
    return JsonResponse({"error": str(error), "owner_mismatch": isinstance(error, OwnerMismatch)}, status=400)


@login_required
@require_POST
def protocol_sign_prepare_view(request, pk):
    """JSON {certificate, chain: [..], confirm_owner_mismatch} (DER, base64) → what the browser signs."""
    meeting, _access, _signer = _sign_page_access(request, pk)
    body = _json_body(request)
    chain = body.get("chain") or []
    if not isinstance(chain, list):
        raise SuspiciousOperation("chain is not a list")
    try:
        prepared = protocol_sign_prepare(
            meeting=meeting, user=request.user, certificate=_b64(body.get("certificate"), field="certificate"),
            chain=[_b64(c, field="chain") for c in chain[:16]],
            confirm_owner_mismatch=body.get("confirm_owner_mismatch") is True)
    except DomainError as error:
        return _refused(error)
    return JsonResponse({
        "token": prepared.token,
        "signed_attrs": base64.b64encode(bytes(prepared.signed_attrs)).decode(),
        "digest_algorithm": "SHA-256",
        "document_digest": prepared.document_digest,
        "protocol": str(meeting),
        "version": prepared.version,
        "signer": prepared.role,
        "expires_at": prepared.expires_at.isoformat(),
    })


@login_required
@require_POST
def protocol_sign_finish_view(request, pk):
    """JSON {token, signature} (the signature value, base64) → the stored, checked signature."""
    meeting, _access, _signer = _sign_page_access(request, pk)
    body = _json_body(request)
    token = body.get("token")
    if not isinstance(token, str) or not token:
        raise SuspiciousOperation("token missing")
    try:
        document = protocol_sign_finish(meeting=meeting, user=request.user, token=token,
                                        signature=_b64(body.get("signature"), field="signature"))
    except DomainError as error:
        return _refused(error)
    messages.success(request, _("The protocol is signed."))
    return JsonResponse({"ok": True, "version": document.version, "sha256": document.sha256,
                         "complete": document.is_complete,
                         "redirect": reverse("documents:protocol-sign", args=[meeting.pk])})


@login_required
@require_POST
def demo_certificate_view(request, pk):
    """Demo mode: a printed signer of the protocol takes a demo certificate in their name (a download)."""
    meeting, _access = get_meeting_for_user(request.user, pk, queryset=_signing_queryset())
    if not may_get_demo_certificate(meeting, request.user):
        raise Http404  # outside demo mode the button does not exist
    try:
        data, name = demo_certificate_issue(user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(reverse("documents:protocol-sign", args=[meeting.pk]))
    response = HttpResponse(data, content_type="application/x-pkcs12")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def protocol_correction_view(request, pk):
    """«Внести исправления»: the secretary confirms and gives a reason; the protocol returns to the editor."""
    meeting, access = get_meeting_for_user(request.user, pk)
    if not access.is_secretary:
        raise PermissionDenied
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            protocol_correction_start(meeting=meeting, user=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The protocol is back in draft. Make the corrections and send it for "
                                        "approval again; the signed version stays until the new one is signed."))
            return redirect(reverse("meetings:meeting-edit", args=[meeting.pk]))
    return render(request, "documents/protocol_correction.html", {
        "meeting": meeting, "form": form, "document": meeting.documents.current(),
        "can_correct": meeting.status == MeetingStatus.SIGNED, "can_edit": can_edit_meeting(meeting, access),
    })


def _verify_page(request, template: str, context: dict):
    form = VerifyForm(request.POST or None, request.FILES or None)
    report = verify_pdf(form.cleaned_data["file"].read()) if request.method == "POST" and form.is_valid() else None
    return render(request, template, {**context, "form": form, "report": report})


def verify(request):
    return _verify_page(request, "documents/verify.html", {})


def verify_document(request, key):
    """The link printed on the PDF (/verify/<public id>/) or a SHA-256: what the portal registered."""
    document = find_registered(key)
    if document is None:
        raise Http404
    return _verify_page(request, "documents/verify_document.html", {"document": document})
