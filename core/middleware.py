"""Requests no view should see."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

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


class RequestBodyLimitMiddleware:
    """A request body larger than its URL allows answers 413 before anything reads it.

    Django keeps form fields in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE but streams files to disk
    without any ceiling, and the forms check a file's size only once it has been received: a
    100 MB body to /verify/ was read in full before being refused. Here the declared
    Content-Length is compared with the limit of the URL (settings.REQUEST_BODY_LIMITS by URL name,
    settings.REQUEST_BODY_DEFAULT_LIMIT otherwise) and nothing is read. A body without a length
    (``Transfer-Encoding: chunked``) answers 411: Django would read none of it anyway, and no page
    of the portal is posted that way. Placed before every middleware that reads ``request.POST``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        if not declared:
            if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
                return _refusal(request, 411, _("Length required"),
                                _("The request does not say how large it is (no Content-Length): it is not accepted."))
            return self.get_response(request)
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            return HttpResponseBadRequest("Invalid Content-Length")
        limit = body_limit(request.path_info)
        if length > limit:
            return _refusal(request, 413, _("The upload is too large"),
                            _("This page accepts at most %(limit)s at once, the upload is %(size)s. "
                              "Make the file smaller or split it.")
                            % {"limit": filesizeformat(limit), "size": filesizeformat(length)})
        return self.get_response(request)


def body_limit(path: str) -> int:
    """The largest request body the URL accepts, in bytes."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        name = ""
    return settings.REQUEST_BODY_LIMITS.get(name, settings.REQUEST_BODY_DEFAULT_LIMIT)


def _refusal(request, status: int, title, message) -> HttpResponse:
    # The locale middleware has not run yet: the language the user chose, Russian by default.
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    language = chosen if chosen in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string("core/request_refused.html", {
            "status": status, "title": str(title), "message": str(message),
        })
    return HttpResponse(html, status=status)


DOWNLOAD_TOKEN = "download_token"
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class DownloadTokenMiddleware:
    """A form that answers with a file (``<form data-busy="download">``, static/js/portal.js) sends a
    one-time ``download_token``; the file's response carries it back in a short-lived cookie, so that the
    page, which a download does not replace, gives the form back at once instead of after a timeout.
    Any other answer (a page, a redirect) replaces the page anyway and gets no cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "POST" or request.content_type not in FORM_TYPES:
            return response
        if not response.get("Content-Disposition", "").startswith("attachment"):
            return response
        token = request.POST.get(DOWNLOAD_TOKEN, "")
        if 8 <= len(token) <= 64 and set(token) <= _TOKEN_CHARS:
            response.set_cookie(DOWNLOAD_TOKEN, token, max_age=60, samesite="Strict",
                                secure=request.is_secure())
        return response
