"""Background jobs (django-tasks, database backend): what the portal used to do inside a request or
from cron. A job runs in the worker (``manage.py run_worker``); one that raises is retried with a
growing delay up to ``TASK_MAX_ATTEMPTS`` times in all (each attempt is a row of its own in the
admin's «Task results», with its traceback), then left failed for the administrator, who can
enqueue it again from the admin.

Jobs are written to be run more than once (a worker killed mid-job leaves its row running; the next
worker puts it back in the queue): an e-mail may then arrive twice, never not at all; the reminders
are keyed in ``tasks.SentNotification`` and are not repeated.
"""

from __future__ import annotations

import datetime
import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> int:
    """Seconds before attempt ``attempt + 1``: TASK_RETRY_DELAY_SECONDS, doubled each time, at most a day."""
    return min(settings.TASK_RETRY_DELAY_SECONDS * 2 ** (attempt - 1), 86400)


@contextmanager
def retried(job, attempt: int, kwargs: dict):
    """Run the body; when it raises, enqueue ``job`` again (``attempt + 1``, after ``retry_delay``)
    unless that was the last attempt, and re-raise so that this attempt is recorded as failed."""
    try:
        yield
    except Exception as error:
        if attempt < settings.TASK_MAX_ATTEMPTS:
            again = job
            if job.get_backend().supports_defer:
                again = job.using(run_after=timezone.now() + datetime.timedelta(seconds=retry_delay(attempt)))
            logger.warning("Job %s failed (attempt %s of %s): %s; retrying", job.name, attempt,
                           settings.TASK_MAX_ATTEMPTS, error)
            again.enqueue(**kwargs, attempt=attempt + 1)
        else:
            logger.error("Job %s failed for good after %s attempts: %s", job.name, attempt, error)
        raise


@task()
def send_email(*, subject: str, body: str, to: list[str], html: str | None = None, attempt: int = 1) -> int:
    """One e-mail (to all of ``to``); returns the number of messages handed to the mail server."""
    with retried(send_email, attempt, {"subject": subject, "body": body, "to": to, "html": html}):
        message = EmailMultiAlternatives(subject, body, None, to)
        if html:
            message.attach_alternative(html, "text/html")
        return message.send()


@task()
def send_reminders(*, attempt: int = 1) -> dict:
    """The hourly assignment e-mails (tasks.notifications.send_all): the worker enqueues it every
    ``REMINDERS_EVERY_MINUTES``; ``manage.py send_reminders --enqueue`` does it from cron."""
    from tasks.notifications import send_all

    with retried(send_reminders, attempt, {}):
        result = send_all()
        return {"sent": result.sent, "skipped": result.skipped, "failed": result.failed,
                "by_kind": dict(result.by_kind)}
