from django.apps import AppConfig
from django.db.backends.signals import connection_created

from cluster_portal.search_text import fold


def register_sqlite_functions(sender, connection, **kwargs):
    """``portal_fold(text)`` on every SQLite connection: the search fallback's case folding for
    Cyrillic (``cluster_portal.search_text.fold``), which SQLite's own ``lower()`` does not do."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("portal_fold", 1, fold, deterministic=True)


class ClusterPortalConfig(AppConfig):
    """The top floor: the dashboard, the search, the demo data and the project's commands."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cluster_portal"

    def ready(self):
        connection_created.connect(register_sqlite_functions, dispatch_uid="portal_fold")
