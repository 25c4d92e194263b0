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


def run_worker():
    """The worker in this process, inside the test's transaction: it must not drop the connection between
    tasks as it does in production (on PostgreSQL that would close the test's transaction)."""
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("ops.worker.close_old_connections"):
        call_command("run_worker", "--batch", "--no-startup-delay", verbosity=0)
