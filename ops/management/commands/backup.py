from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media (local folder or object storage) into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, e.g. /var/backups/portal-2026-12-02.tar.gz")

    def handle(self, *args, path, **options):
        try:
            manifest = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{path}: {manifest['database']['vendor']} database, {manifest['media']} media file(s)")
