from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cluster_portal.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SIGNERS, load_demo


class Command(BaseCommand):
    help = "Load the Smolensk ICT cluster seed documents and the demo logins (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: demo data and demo passwords do not belong in production. "
                               "Use --force if you really mean it.")
        ctx = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {ctx['cluster']}."))
        self.stdout.write(f"Demo logins: {', '.join(DEMO_LOGINS)}; password: {DEMO_PASSWORD}")
        pki = ctx["demo_pki"]
        files = ", ".join(path.name for name, path in pki.items() if name in DEMO_SIGNERS)
        self.stdout.write(f"Demo signing certificates (PKCS#12) in {pki['dir']}: {files}; "
                          f"password: {pki['password']}; demo CA: {pki['ca']}")
