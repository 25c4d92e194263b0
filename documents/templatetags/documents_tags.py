from django import template
from django.conf import settings

from documents.services import next_signer_role
from meetings.models import ProtocolDocument

register = template.Library()


@register.simple_tag
def protocol_documents(meeting, access):
    """Signed versions the user may see: complete ones for members, all for secretary and chair."""
    documents = (ProtocolDocument.objects.filter(meeting=meeting).select_related("corrects")
                 .prefetch_related("signatures__signer").order_by("-version"))
    if not access.can_manage:
        documents = documents.filter(is_complete=True)
    return list(documents)


@register.simple_tag
def can_sign_now(meeting, access) -> bool:
    role = next_signer_role(meeting)
    return (role == "secretary" and access.is_secretary) or (role == "chair" and access.is_chair)


@register.simple_tag
def seal_configured() -> bool:
    return bool(settings.SIGNING_SEAL_PKCS12)
