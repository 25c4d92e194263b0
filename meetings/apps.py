from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings and protocols")

    def ready(self):
        from members import panels
        from meetings.selectors import person_attendance

        panels.person_section("attendance", person_attendance)
