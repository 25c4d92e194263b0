from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Production operation: background jobs and their worker, health checks, request logs,
    object storage, backup and restore (issue 16)."""

    name = "ops"
    verbose_name = _("Operation")

    def ready(self):
        from ops import logs  # noqa: F401  (connects the task log signals)
