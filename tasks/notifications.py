"""E-mail notifications about assignments, sent by ``manage.py send_reminders`` (hourly from cron).

Every e-mail has a key in ``tasks.SentNotification``; the key is written in the same
transaction as the e-mail is handed to the mail backend, so an e-mail is never sent twice and
one that failed is retried on the next run. A failure for one recipient is logged and the
others go on. Keys:

- ``created:<assignment>:<recipient>`` — a new assignment of an approved or signed protocol
  (open and not yet past its deadline when the command first sees it);
- ``reminder:<assignment>:<deadline>:<N>:<recipient>`` — N days before the deadline, for each N of
  ``settings.REMINDER_DAYS`` (only the nearest N is sent when a run finds several due, and a
  moved deadline starts the reminders again);
- ``overdue:<ISO week>:<recipient>`` — a weekly digest of the recipient's overdue assignments;
- ``weekly:<cluster>:<ISO week>:<recipient>`` — the weekly summary for the cluster's secretaries.

Recipients of an assignment: the responsible person's ``Person.contact_email``, or every person of
the responsible organisation who has a login. Assignments of bodies have no mailbox of their
own: they appear in the secretaries' weekly summary.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from members.models import BodyMembership, BodyRole, ClusterRole, PortalRole, Person, mail_languages, user_contact_email
from meetings.models import PUBLISHED_STATUSES, Assignment, AssignmentStatus, open_q, overdue_q
from tasks.models import SentNotification
from ops.mail import render_templated
from tasks.selectors import with_assignment_context

logger = logging.getLogger(__name__)


@dataclass
class Email:
    key: str
    recipient: str
    subject: str
    body: str
    html: str = ""


@dataclass
class RunResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    by_kind: dict = field(default_factory=lambda: defaultdict(int))


def _hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:20]


def make_key(kind: str, *parts, recipient: str) -> str:
    return ":".join([kind, *map(str, parts), _hash(recipient)])


def url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def render(template: str, context: dict, language: str = settings.LANGUAGE_CODE) -> tuple[str, str, str]:
    """(subject, text body, HTML body) from tasks/email/<template>_subject.txt, .txt and .html, in ``language``."""
    mail = render_templated(f"tasks/{template}", context, language=language)
    return mail.subject, mail.body, mail.html


def build_email(key: str, recipient: str, template: str, context: dict, languages: dict[str, str]) -> Email:
    """The e-mail ``key`` to ``recipient``, written in its language (``languages``: :func:`mail_languages`)."""
    subject, body, html = render(template, context, languages.get(recipient, settings.LANGUAGE_CODE))
    return Email(key, recipient, subject, body, html)


def send_once(email: Email) -> bool:
    """Send unless the key was sent before; False when skipped. Errors propagate (nothing recorded)."""
    try:
        with transaction.atomic():
            SentNotification.objects.create(key=email.key, recipient=email.recipient)
            send_mail(email.subject, email.body, None, [email.recipient], html_message=email.html or None)
    except IntegrityError:
        return False
    return True


def deliver(emails, result: RunResult, kind: str) -> None:
    for email in emails:
        try:
            if send_once(email):
                result.sent += 1
                result.by_kind[kind] += 1
            else:
                result.skipped += 1
        except Exception:  # one bad mailbox or a mail server hiccup must not stop the others
            result.failed += 1
            logger.exception("Could not send %s to %s", email.key, email.recipient)


def already_sent(keys) -> set[str]:
    keys, found = list(keys), set()
    for start in range(0, len(keys), 500):
        found.update(SentNotification.objects.filter(key__in=keys[start:start + 500]).values_list("key", flat=True))
    return found


# ---------------------------------------------------------------- recipients


def published_assignments():
    return Assignment.objects.filter(decision__agenda_item__meeting__status__in=PUBLISHED_STATUSES)


def with_context(queryset):
    return with_assignment_context(queryset).select_related("person__user", "decision__agenda_item__meeting__cluster")


def recipients_of(assignments) -> dict[int, list[str]]:
    """{assignment pk: e-mails}, in one query for all the organisations' people."""
    org_ids = {a.organization_id for a in assignments if a.organization_id}
    by_org: dict[int, list[str]] = defaultdict(list)
    people = Person.objects.filter(organization_id__in=org_ids, user__isnull=False, user__is_active=True).select_related("user")
    for person in people.order_by("pk"):
        email = person.contact_email
        if email and email not in by_org[person.organization_id]:
            by_org[person.organization_id].append(email)
    result = {}
    for a in assignments:
        if a.person_id:
            email = a.person.contact_email
            result[a.pk] = [email] if email else []
        else:
            result[a.pk] = by_org.get(a.organization_id, [])
    return result


def secretaries_by_cluster(cluster_ids, today) -> dict[int, list[str]]:
    emails: dict[int, list[str]] = defaultdict(list)
    seats = (
        BodyMembership.objects.filter(body__cluster_id__in=cluster_ids, role=BodyRole.SECRETARY,
                                      person__user__isnull=False, person__user__is_active=True)
        .current_on(today)
        .select_related("body", "person__user")
    )
    grants = ClusterRole.objects.filter(cluster_id__in=cluster_ids, role=PortalRole.SECRETARY,
                                        user__is_active=True).select_related("user__person")
    addresses = [(seat.body.cluster_id, seat.person.contact_email) for seat in seats]
    addresses += [(grant.cluster_id, user_contact_email(grant.user)) for grant in grants]
    for cluster_id, email in addresses:
        if email and email not in emails[cluster_id]:
            emails[cluster_id].append(email)
    return emails


# ---------------------------------------------------------------- the four kinds


def _per_assignment(assignments, kind, template, key_parts, extra=lambda a: {}):
    recipients = recipients_of(assignments)
    candidates = []
    for a in assignments:
        for email in recipients[a.pk]:
            candidates.append((make_key(kind, a.pk, *key_parts(a), recipient=email), email, a))
    sent = already_sent(key for key, _e, _a in candidates)
    candidates = [(key, address, a) for key, address, a in candidates if key not in sent]
    languages = mail_languages(address for _k, address, _a in candidates)
    for key, address, a in candidates:
        yield build_email(key, address, template, {"a": a, "link": url("tasks:task-detail", a.pk), **extra(a)}, languages)


def assignment_created_emails(now):
    queryset = published_assignments().open_not_overdue(now)
    assignments = list(with_context(queryset.order_by("pk")))
    return _per_assignment(assignments, "created", "assignment_created", lambda a: [])


def reminder_threshold(days_left: int, reminder_days) -> int | None:
    """The nearest configured N that the deadline is within (7 then 1 for the default [7, 1])."""
    due = [n for n in reminder_days if 0 <= days_left <= n]
    return min(due) if due else None


def reminder_emails(now, reminder_days):
    if not reminder_days:
        return iter(())
    today = timezone.localtime(now).date()
    horizon = today + datetime.timedelta(days=max(reminder_days))
    queryset = published_assignments().open_not_overdue(now).filter(deadline__lte=horizon)
    assignments = [a for a in with_context(queryset.order_by("deadline", "pk"))
                   if reminder_threshold((a.deadline - today).days, reminder_days) is not None]
    return _per_assignment(
        assignments, "reminder", "reminder",
        lambda a: [a.deadline.isoformat(), reminder_threshold((a.deadline - today).days, reminder_days)],
        extra=lambda a: {"days_left": (a.deadline - today).days},
    )


def week_of(today) -> str:
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def overdue_digest_emails(now):
    today = timezone.localtime(now).date()
    assignments = list(with_context(published_assignments().overdue(now).order_by("deadline", "pk")))
    recipients = recipients_of(assignments)
    by_email: dict[str, list] = defaultdict(list)
    for a in assignments:
        for email in recipients[a.pk]:
            by_email[email].append(a)
    keys = {email: make_key("overdue", week_of(today), recipient=email) for email in by_email}
    sent = already_sent(keys.values())
    pending = [address for address in by_email if keys[address] not in sent]
    languages = mail_languages(pending)
    for address in pending:
        rows = [{"a": a, "days": (today - a.deadline).days, "link": url("tasks:task-detail", a.pk)}
                for a in by_email[address]]
        context = {"rows": rows, "list_link": url("tasks:task-list") + "?state=overdue"}
        yield build_email(keys[address], address, "overdue_digest", context, languages)


def weekly_summary_emails(now):
    today = timezone.localtime(now).date()
    week_end = today + datetime.timedelta(days=7)
    is_open, overdue = open_q(), overdue_q(now)
    figures = (
        published_assignments()
        .values("decision__agenda_item__meeting__cluster_id", "decision__agenda_item__meeting__cluster__name")
        .order_by("decision__agenda_item__meeting__cluster_id")
        .annotate(
            open=Count("id", filter=is_open),
            overdue=Count("id", filter=overdue),
            due_week=Count("id", filter=is_open & ~overdue & Q(deadline__lte=week_end)),
            reported=Count("id", filter=Q(status=AssignmentStatus.REPORTED)),
        )
    )
    figures = {f["decision__agenda_item__meeting__cluster_id"]: f for f in figures}
    secretaries = secretaries_by_cluster(list(figures), today)
    overdue_by_cluster: dict[int, list] = defaultdict(list)
    overdue_rows = published_assignments().overdue(now).filter(decision__agenda_item__meeting__cluster_id__in=list(secretaries))
    for a in with_context(overdue_rows.order_by("deadline", "pk")):
        overdue_by_cluster[a.decision.agenda_item.meeting.cluster_id].append(a)
    for cluster_id, emails in secretaries.items():
        keys = {address: make_key("weekly", cluster_id, week_of(today), recipient=address) for address in emails}
        sent = already_sent(keys.values())
        pending = [address for address in emails if keys[address] not in sent]
        if not pending:
            continue
        languages = mail_languages(pending)
        context = {
            "cluster_name": figures[cluster_id]["decision__agenda_item__meeting__cluster__name"],
            "f": figures[cluster_id],
            "overdue": [{"a": a, "days": (today - a.deadline).days} for a in overdue_by_cluster[cluster_id][:30]],
            "overdue_more": max(len(overdue_by_cluster[cluster_id]) - 30, 0),
            "report_link": url("tasks:discipline-report"),
            "list_link": url("tasks:task-list") + "?scope=all&state=overdue",
        }
        rendered = {}  # the same summary for each secretary of a language
        for address in pending:
            language = languages.get(address, settings.LANGUAGE_CODE)
            if language not in rendered:
                rendered[language] = render("weekly_summary", context, language)
            yield Email(keys[address], address, *rendered[language])


def send_all(*, now: datetime.datetime | None = None, reminder_days=None) -> RunResult:
    now = now or timezone.now()
    reminder_days = settings.REMINDER_DAYS if reminder_days is None else reminder_days
    result = RunResult()
    deliver(assignment_created_emails(now), result, "created")
    deliver(reminder_emails(now, reminder_days), result, "reminder")
    deliver(overdue_digest_emails(now), result, "overdue")
    deliver(weekly_summary_emails(now), result, "weekly")
    return result
