from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FlakyBackend(EmailBackend):
    """The in-memory backend that fails the first ``failures`` sends (a class attribute the test sets)."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise SMTPServerDisconnected("the mail server went away")
        return super().send_messages(messages)
