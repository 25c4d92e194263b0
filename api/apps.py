from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # drf-spectacular reads the authentication scheme of the Bearer tokens from here
        from api import schema  # noqa: F401
