"""Send assignment e-mails: new assignments, reminders, overdue digests, weekly summaries.

Safe to run every hour from cron: each e-mail is keyed in tasks.SentNotification and
never sent twice; a failure for one recipient is logged and the rest are sent.

    0 * * * *  cd /srv/cluster-portal && .venv/bin/python manage.py send_reminders

The workers (``manage.py run_worker``) enqueue the same job every REMINDERS_EVERY_MINUTES (60), so
no cron line is needed where a worker runs. With REMINDERS_EVERY_MINUTES=0, cron can hand the run
to the worker instead of doing it itself (retried there when it fails):

    0 * * * *  cd /srv/cluster-portal && .venv/bin/python manage.py send_reminders --enqueue
"""

from django.core.management.base import BaseCommand

from tasks.notifications import send_all


class Command(BaseCommand):
    help = "Send assignment notifications and reminders (idempotent; run hourly)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="Enqueue the run for the background worker instead of sending here.")

    def handle(self, *args, **options):
        if options["enqueue"]:
            from ops.jobs import send_reminders

            result = send_reminders.enqueue()
            self.stdout.write(f"enqueued {result.id}")
            return
        result = send_all()
        kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(result.by_kind.items())) or "—"
        self.stdout.write(f"sent {result.sent} ({kinds}), already sent {result.skipped}, failed {result.failed}")
        if result.failed:
            self.stderr.write(f"{result.failed} e-mail(s) failed; see the log. They will be retried on the next run.")
