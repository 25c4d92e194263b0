"""Errors as JSON with the message in the request's language (Russian by default).

Every error body is ``{"detail": "<message>", "code": "<code>"}``, plus ``"errors"`` ({field: [messages]})
for invalid input. Domain rules broken (``DomainError``) are 400 with the rule's message.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import DomainError


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {key: [str(m) for m in (value if isinstance(value, list) else [value])] for key, value in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc)]}, code="domain_error")
    elif isinstance(exc, (BadRequest, SuspiciousOperation)):
        exc = exceptions.ParseError(_("Malformed request."))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found: no such object, or you have no access to it."))
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next((messages[0] for messages in errors.values() if messages), _("Invalid input."))
        code = "domain_error" if errors.keys() == {"non_field_errors"} and _is_domain(exc) else "invalid"
        response.data = {"detail": first, "code": code, "errors": errors}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        response.data = {"detail": str(detail), "code": code}
    return response


def _is_domain(exc) -> bool:
    detail = exc.detail.get("non_field_errors") if isinstance(exc.detail, dict) else None
    return bool(detail) and getattr(detail[0], "code", "") == "domain_error"


def not_found(request, *args, **kwargs):
    """Any other path under /api/: a JSON 404, not the portal's HTML page."""
    return JsonResponse({"detail": _("Not found: no such API endpoint."), "code": "not_found"},
                        status=status.HTTP_404_NOT_FOUND)


def error_response(message: str, code: str, http_status: int) -> Response:
    return Response({"detail": message, "code": code}, status=http_status)
