from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore the database and the media from an archive of `manage.py backup`. Stop the nodes and the "
            "workers first; restart them afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes, **options):
        if not yes and options.get("interactive", True):
            answer = input("This replaces the whole database and the media files of the archive. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = restore(path)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored {manifest['database']['vendor']} database of {manifest['created_at']}, "
                          f"{manifest['media']} media file(s)")
