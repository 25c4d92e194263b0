from django import template

from documents.panel import protocol_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def documents_panel(context, meeting, access) -> dict:
    """The PDF panel of the protocol page (a meetings page, which cannot import documents): its flags
    are decided by ``documents.panel``, the template reads them."""
    request = context.get("request")
    return protocol_panel(meeting, access, request.user if request is not None else None)
