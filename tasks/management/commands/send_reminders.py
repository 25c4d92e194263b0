"""Send assignment e-mails: new assignments, reminders, overdue digests, weekly summaries.

Safe to run every hour from cron: each e-mail is keyed in tasks.SentNotification and
never sent twice; a failure for one recipient is logged and the rest are sent.

    0 * * * *  cd /srv/cluster-portal && .venv/bin/python manage.py send_reminders
"""

from django.core.management.base import BaseCommand

from tasks.notifications import send_all


class Command(BaseCommand):
    help = "Send assignment notifications and reminders (idempotent; run hourly)."

    def handle(self, *args, **options):
        result = send_all()
        kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(result.by_kind.items())) or "—"
        self.stdout.write(f"sent {result.sent} ({kinds}), already sent {result.skipped}, failed {result.failed}")
        if result.failed:
            self.stderr.write(f"{result.failed} e-mail(s) failed; see the log. They will be retried on the next run.")
