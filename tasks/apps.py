from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks"
    verbose_name = _("Execution control")

    def ready(self):
        from members import panels
        from tasks.selectors import open_assignments_of_party

        panels.organization_section("assignments", lambda user, org: open_assignments_of_party(user, organization=org))
        panels.person_section("assignments", lambda user, person: open_assignments_of_party(user, person=person))
