from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from documents.pki import DEMO_PKI_PASSWORD
from documents.services import demo_certificate_issue


class Command(BaseCommand):
    help = ("Demo mode: issue a demo signing certificate (PKCS#12) from the portal's demo CA in the name of "
            "a login's register entry, as DEMO_PKI_DIR/<login>.p12.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No login {username!r}.")
        try:
            _data, name = demo_certificate_issue(user=user)
        except DomainError as error:
            raise CommandError(str(error)) from None

        self.stdout.write(self.style.SUCCESS(f"{settings.DEMO_PKI_DIR / name}"))
        self.stdout.write(f"Password: {DEMO_PKI_PASSWORD}. Trusted only while DEMO_MODE is on.")
