from django import template
from django.conf import settings
from django.db.models import OuterRef, Subquery

from documents.models import ProtocolCorrection
from documents.services import next_signer_role
from documents.models import ProtocolDocument

register = template.Library()


@register.simple_tag
def protocol_documents(meeting, access):
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
    return documents


@register.simple_tag
def can_sign_now(meeting, access) -> bool:
    role = next_signer_role(meeting)
    return (role == "secretary" and access.is_secretary) or (role == "chair" and access.is_chair)


@register.simple_tag
def seal_configured() -> bool:
    return bool(settings.SIGNING_SEAL_PKCS12)
