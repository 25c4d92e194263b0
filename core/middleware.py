"""Requests no view should see."""

from django.http import HttpResponseBadRequest

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(querydict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values if isinstance(value, str))
               for key, values in querydict.lists())


class RejectNulBytesMiddleware:
    """A NUL byte in the path, the query string or a form field answers 400.

    No text in the portal contains one, and PostgreSQL refuses it in a string literal
    (a 500 from the driver), so it is stopped before any view runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            return HttpResponseBadRequest("NUL byte in the request")
        if request.method == "POST" and request.content_type in FORM_TYPES and _has_nul(request.POST):
            return HttpResponseBadRequest("NUL byte in the form")
        return self.get_response(request)
