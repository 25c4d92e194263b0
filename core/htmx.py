"""Partial responses for htmx: a filter form with hx-get swaps only the list under it."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_partial(request) -> bool:
    """An htmx request for a fragment; a history restore (the cached page is gone) wants the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def render_list(request, page_template: str, partial_template: str, context: dict, status: int = 200):
    """The whole page, or only its list for an htmx filter request; the two are cached apart."""
    template = partial_template if wants_partial(request) else page_template
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
