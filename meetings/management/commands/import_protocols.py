"""``manage.py import_protocols --body ID FILE...``: operators import protocols in bulk.

With ``--dry-run`` nothing is saved: the report says, per file, what was recognised and what needs
review. Without it each file becomes a draft protocol of the body (all or nothing per file), as if the
secretary had confirmed it on the review page.
"""

import datetime
import pathlib

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.errors import DomainError
from meetings.importing import reading, services
from members.models import Body


class DryRun(Exception):
    """Rolls back the staging record of a dry run."""


class Command(BaseCommand):
    help = "Import protocols (.docx, .txt, .md) into draft protocols of a body; --dry-run only reports."

    def add_arguments(self, parser):
        parser.add_argument("--body", type=int, required=True, help="id of the body the protocols belong to")
        parser.add_argument("--dry-run", action="store_true", help="report what would be imported, save nothing")
        parser.add_argument("files", nargs="+")

    def handle(self, *args, body, dry_run, files, **options):
        body = Body.objects.select_related("cluster").filter(pk=body).first()
        if body is None:
            raise CommandError("No body with this id.")
        failed = 0
        for name in files:
            try:
                self.import_one(body, pathlib.Path(name), dry_run)
            except (OSError, DomainError) as error:
                failed += 1
                self.stderr.write(f"{name}: {error}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} files were not imported.")

    def import_one(self, body, path, dry_run):
        if path.stat().st_size > reading.MAX_FILE_BYTES:
            raise DomainError(f"larger than {reading.MAX_FILE_BYTES // (1024 * 1024)} MB")
        text = reading.read_upload(path.name, path.read_bytes())
        try:
            with transaction.atomic():
                record = services.protocol_import_read(body=body, user=None, text=text, file_name=path.name)
                self.report(path.name, record.result)
                if dry_run:
                    raise DryRun
                result = record.result
                if not result["date"]:
                    raise DomainError("no meeting date in the text")
                meeting = services.protocol_import_confirm(record=record, user=None, number=result["number"],
                                                           date=datetime.date.fromisoformat(result["date"]))
                self.stdout.write(f"  → draft protocol id {meeting.pk}")
        except DryRun:
            pass

    def report(self, name, result):
        decisions = [d for item in result["items"] for d in item["decisions"]]
        with_deadline = sum(1 for d in decisions if d["deadline"])
        with_parties = sum(1 for d in decisions if any(d["parties"][k] for k in ("organizations", "people", "bodies",
                                                                                 "kinds")))
        flags = list(result["flags"]) + [f for d in decisions for f in d["flags"]]
        self.stdout.write(
            f"{name}: № {result['number'] or '—'} от {result['date'] or '?'}; items {len(result['items'])}, "
            f"decisions {len(decisions)}, with deadlines {with_deadline}, with responsible parties {with_parties}, "
            f"attendance {len(result['attendance']) or result['attendance_total'] or 0}; to review {len(flags)}")
        for flag in sorted(flags, key=lambda f: f.get("line") or 0):
            self.stdout.write(f"  line {flag.get('line') or '—'}: {flag['message']}")
