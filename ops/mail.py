"""E-mail from requests goes through the queue: nothing talks to the mail server while a user waits.

Every e-mail is built from three templates, ``<app>/email/<name>_subject.txt``, ``<name>.txt`` and
``<name>.html`` (the HTML extends ``email/base.html``), rendered inside ``translation.override`` of the
recipient's language: :func:`send_templated` for mail sent from a request or a service,
:func:`render_templated` where the caller sends it itself (the hourly reminders, already in the worker).

``queue_mail`` enqueues ``ops.jobs.send_email`` once the current transaction commits (a rolled-back
change sends nothing); the worker sends it. With the immediate task backend (tests, a deployment
without a worker) it is sent right after the commit, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template import loader
from django.utils import translation

from core.models import supported_language, user_language


def queue_mail(subject: str, body: str, to, *, html: str | None = None) -> None:
    from ops.jobs import send_email

    recipients = [address for address in to if address]
    if not recipients:
        return
    subject = " ".join(str(subject).splitlines())  # a header: one line
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=str(body), to=recipients, html=html))


@dataclass(frozen=True)
class Recipient:
    """An address and the language its mail is written in."""

    email: str
    language: str = settings.LANGUAGE_CODE


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    body: str
    html: str


def as_recipient(to) -> Recipient:
    """A :class:`Recipient`, an ``(email, language)`` pair, a login (its own address, its chosen
    language) or a bare address (Russian)."""
    if isinstance(to, Recipient):
        return to
    if isinstance(to, str):
        return Recipient(to)
    if isinstance(to, tuple):
        email, language = to
        return Recipient(email, supported_language(language))
    return Recipient(to.email, user_language(to))


def render_templated(name: str, context: dict, *, language: str = settings.LANGUAGE_CODE) -> RenderedMail:
    """``name`` is ``"<app>/<name>"``: the templates ``<app>/email/<name>_subject.txt``, ``.txt``, ``.html``."""
    app, _slash, mail = name.partition("/")
    base = f"{app}/email/{mail}"
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(supported_language(language)):
        subject = " ".join(loader.render_to_string(f"{base}_subject.txt", context).split())  # a header: one line
        body = loader.render_to_string(f"{base}.txt", context)
        html = loader.render_to_string(f"{base}.html", {**context, "subject": subject})  # the <title>, escaped
    return RenderedMail(subject=subject, body=body.strip() + "\n", html=html)


def send_templated(name: str, context: dict, to) -> None:
    """Queue the e-mail ``name`` to ``to`` (one recipient or a list, see :func:`as_recipient`): one
    message per language, each with a text body and an HTML alternative; sent after commit."""
    recipients = [as_recipient(r) for r in (to if isinstance(to, (list, set, frozenset)) else [to])]
    by_language: dict[str, list[str]] = {}
    for recipient in recipients:
        if recipient.email and recipient.email not in by_language.get(recipient.language, []):
            by_language.setdefault(recipient.language, []).append(recipient.email)
    for language, emails in by_language.items():
        mail = render_templated(name, context, language=language)
        queue_mail(mail.subject, mail.body, emails, html=mail.html)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, its e-mail (``registration/email/password_reset*``) rendered in the
    request in the user's language and sent by the worker."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        user = context["user"]
        send_templated("registration/password_reset", context, Recipient(to_email, user_language(user)))
