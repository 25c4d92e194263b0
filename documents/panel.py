"""What the documents part of a protocol's pages offers a user: the stored versions they may see and
what they may do with them (download, render, sign, correct). Decided here in Python; the templates
(the protocol page's PDF panel, the signing page) only read the flags."""

from django.conf import settings
from django.db.models import OuterRef, Subquery

from documents.models import ProtocolCorrection, ProtocolDocument
from documents.services import CHAIR, SECRETARY, next_signer_role
from meetings.models import Meeting, MeetingStatus
from members.access import ClusterAccess


def visible_documents(meeting: Meeting, access: ClusterAccess) -> list[ProtocolDocument]:
    """Signed versions the user may see: complete ones for members, all for secretary and chair."""
    reasons = ProtocolCorrection.objects.filter(document=OuterRef("pk")).order_by("-started_at").values("reason")[:1]
    documents = (ProtocolDocument.objects.filter(meeting=meeting).select_related("corrects")
                 .annotate(correction_reason=Subquery(reasons))
                 .prefetch_related("signatures__signer").order_by("-version"))
    if not access.can_manage:
        documents = documents.signed()
    documents = list(documents)
    # «Заменён версией N»: the version that corrects it is in the same list (it is complete once it supersedes).
    by_corrected = {document.corrects_id: document for document in documents if document.corrects_id}
    for document in documents:
        document.superseded_by = by_corrected.get(document.pk)
        document.being_corrected = bool(document.correction_reason) and meeting.status != MeetingStatus.SIGNED
    return documents


def may_sign(role: str | None, access: ClusterAccess) -> bool:
    """Whether the user signs now, when ``role`` (``next_signer_role``) is the one to sign."""
    return (role == SECRETARY and access.is_secretary) or (role == CHAIR and access.is_chair)


def protocol_panel(meeting: Meeting, access: ClusterAccess) -> dict:
    """The protocol page's PDF panel: downloads, signing, corrections, the versions."""
    signed = meeting.status == MeetingStatus.SIGNED
    documents = visible_documents(meeting, access)
    can_sign = access.can_manage and may_sign(next_signer_role(meeting), access)
    return {
        "documents": documents,
        "can_download_signed": signed,
        "can_certify": signed and bool(settings.SIGNING_SEAL_PKCS12),
        "can_render_full": access.can_manage and not signed,
        "can_render_short": access.can_manage,
        "can_sign": can_sign,
        "waiting_for_signature": access.can_manage and not can_sign and meeting.status == MeetingStatus.APPROVED,
        "waiting_for_approval": access.can_manage and not signed and meeting.status != MeetingStatus.APPROVED,
        "can_correct": access.is_secretary and signed,
    }
