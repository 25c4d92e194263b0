"""How the OpenAPI document describes the Bearer tokens (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Личный токен API: создаётся на странице «Токены API» (/members/me/api-tokens/) "
                           "или командой `manage.py api_token USERNAME`.",
        }
