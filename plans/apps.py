from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Work plans")

    def ready(self):
        from members import panels
        from plans.selectors import plan_items_of

        panels.organization_section("plan_items", plan_items_of)
