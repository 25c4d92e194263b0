from django import template

from documents.panel import protocol_panel

register = template.Library()


@register.simple_tag
def documents_panel(meeting, access) -> dict:
    """The PDF panel of the protocol page (a meetings page, which cannot import documents): its flags
    are decided by ``documents.panel``, the template reads them."""
    return protocol_panel(meeting, access)
