from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks"
    verbose_name = _("Execution control")

    def ready(self):
        from meetings.services import assignment_own_deadline_rule
        from members import panels
        from tasks.models import ExtensionStatus
        from tasks.selectors import open_assignments_of_party

        # A granted «перенос срока» makes the deadline the assignment's own: a corrected protocol
        # that moves the decision's deadline does not move it back.
        assignment_own_deadline_rule(
            "extended", lambda assignments: assignments.filter(extensions__status=ExtensionStatus.GRANTED))

        panels.organization_section("assignments", lambda user, org: open_assignments_of_party(user, organization=org))
        panels.person_section("assignments", lambda user, person: open_assignments_of_party(user, person=person))
