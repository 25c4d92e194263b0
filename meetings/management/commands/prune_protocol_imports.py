"""``manage.py prune_protocol_imports [--dry-run]``: delete the protocol imports never confirmed and older
than ``PROTOCOL_IMPORT_KEEP_DAYS`` (the workers do it daily; this is for cron or by hand). Confirmed imports
are kept: they name the source of a draft protocol.

    30 3 * * *  cd /srv/cluster-portal && .venv/bin/python manage.py prune_protocol_imports
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from meetings.importing.services import protocol_imports_prune


class Command(BaseCommand):
    help = "Delete unconfirmed protocol imports older than PROTOCOL_IMPORT_KEEP_DAYS; --dry-run only lists them."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")

    def handle(self, *args, dry_run, **options):
        records = protocol_imports_prune(dry_run=dry_run)
        for record in records:
            self.stdout.write(f"  {record.pk}: {record} ({record.body.name}, {record.created_at:%Y-%m-%d})")
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {len(records)} unconfirmed import(s) older than "
                          f"{settings.PROTOCOL_IMPORT_KEEP_DAYS} days")
