"""/healthz and /readyz: public (a load balancer or an orchestrator asks them without a login), JSON,
200 when everything is fine, 503 otherwise, never cached."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ops import health


def _answer(ok: bool, body: dict) -> JsonResponse:
    return JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})


@never_cache
@require_safe
def healthz(request):
    return _answer(*health.health())


@never_cache
@require_safe
def readyz(request):
    return _answer(*health.ready())
