"""E-mail from requests goes through the queue: nothing talks to the mail server while a user waits.

``queue_mail`` enqueues ``ops.jobs.send_email`` once the current transaction commits (a rolled-back
change sends nothing); the worker sends it. With the immediate task backend (tests, a deployment
without a worker) it is sent right after the commit, as before.
"""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template import loader


def queue_mail(subject: str, body: str, to, *, html: str | None = None) -> None:
    from ops.jobs import send_email

    recipients = [address for address in to if address]
    if not recipients:
        return
    subject = " ".join(str(subject).splitlines())  # a header: one line
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=str(body), to=recipients, html=html))


def render_mail(subject_template_name: str, email_template_name: str, context: dict,
                html_email_template_name: str | None = None) -> tuple[str, str, str | None]:
    subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
    body = loader.render_to_string(email_template_name, context)
    html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
    return subject, body, html


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, its e-mail rendered in the request and sent by the worker."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject, body, html = render_mail(subject_template_name, email_template_name, context, html_email_template_name)
        queue_mail(subject, body, [to_email], html=html)
