"""Rate limits per token (or per login for the browsable docs), from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Each token has its own budget (``api`` rate); a session user has one per login. Counts live in the
    "default" cache, so every application node shares them when that cache is shared (Redis, database)."""

    scope = "api"

    def get_rate(self):
        # read when asked, not when the class was imported: the setting can change (tests, override_settings)
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ReportRateThrottle(TokenRateThrottle):
    """Submitting reports writes files: a tighter budget of its own (``api-write``)."""

    scope = "api-write"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
