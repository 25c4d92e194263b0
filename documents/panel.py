"""What the documents part of a protocol's pages offers a user: the stored versions they may see and
what they may do with them (download, render, sign, correct). Decided here in Python; the templates
(the protocol page's PDF panel, the signing page) only read the flags."""

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery

from documents.models import ProtocolCorrection, ProtocolDocument, ProtocolSignature
from documents.services import is_signer, next_signer, signing_state
from meetings.models import Meeting, MeetingStatus
from meetings.protocol import signatories
from members.access import ClusterAccess


def visible_documents(meeting: Meeting, access: ClusterAccess, *, signer: bool = False) -> list[ProtocolDocument]:
    """Signed versions the user may see: complete ones for members, all for secretary and chair and for a
    printed ``signer`` of the protocol (who sees the version they signed while others still sign)."""
    reasons = ProtocolCorrection.objects.filter(document=OuterRef("pk")).order_by("-started_at").values("reason")[:1]
    documents = (ProtocolDocument.objects.filter(meeting=meeting).select_related("corrects")
                 .annotate(correction_reason=Subquery(reasons))
                 .prefetch_related(Prefetch("signatures", ProtocolSignature.objects.select_related("signer")))
                 .order_by("-version"))
    if not (access.can_manage or signer):
        documents = documents.signed()
    documents = list(documents)
    # «Заменён версией N»: the version that corrects it is in the same list (it is complete once it supersedes).
    by_corrected = {document.corrects_id: document for document in documents if document.corrects_id}
    for document in documents:
        document.superseded_by = by_corrected.get(document.pk)
        document.being_corrected = bool(document.correction_reason) and meeting.status != MeetingStatus.SIGNED
    return documents


def may_sign(signer, user) -> bool:
    """Whether ``user`` signs now, when ``signer`` (``next_signer``) is the one to sign: their own login only."""
    return is_signer(signer, user)


def signing_steps(meeting: Meeting) -> list[dict]:
    """The protocol's signers in order, each with whether they have signed the version being signed
    and whether they sign next (the signing page lists them)."""
    signers, done = signing_state(meeting)
    return [{"signer": s, "signed": n < done, "next": n == done and meeting.status == MeetingStatus.APPROVED}
            for n, s in enumerate(signers)]


def is_printed_signer(meeting: Meeting, user) -> bool:
    """Whether ``user`` is one of the protocol's signers (``signatories``: who signs, not who has signed, so
    no query for the version being signed)."""
    return any(is_signer(s, user) for s in signatories(meeting))


def may_get_demo_certificate(meeting: Meeting, user) -> bool:
    """In demo mode a printed signer of the protocol may take a demo certificate from the portal."""
    return settings.DEMO_MODE and is_printed_signer(meeting, user)


def protocol_panel(meeting: Meeting, access: ClusterAccess, user=None) -> dict:
    """The protocol page's PDF panel: downloads, signing, corrections, the versions."""
    signed = meeting.status == MeetingStatus.SIGNED
    printed_signer = user is not None and not access.can_manage and is_printed_signer(meeting, user)
    documents = visible_documents(meeting, access, signer=printed_signer)
    signer = next_signer(meeting)
    can_sign = user is not None and access.can_read and may_sign(signer, user)
    return {
        "documents": documents,
        "can_download_signed": signed,
        "can_certify": signed and bool(settings.SIGNING_SEAL_PKCS12),
        "can_render_full": access.can_manage and not signed,
        "can_render_short": access.can_manage,
        "can_sign": can_sign,
        "next_signer": signer,
        # only with someone to wait for: no signer known means no «second signature» either (issue 18)
        "waiting_for_signature": (access.can_manage and not can_sign and meeting.status == MeetingStatus.APPROVED
                                  and signer is not None),
        "waiting_for_approval": access.can_manage and not signed and meeting.status != MeetingStatus.APPROVED,
        "can_correct": access.is_secretary and signed,
    }
