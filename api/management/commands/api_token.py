"""Make an API token for a login (operators), or revoke a login's tokens.

    python manage.py api_token USERNAME [--name "regional system"]
    python manage.py api_token USERNAME --revoke-all

The secret is printed once on standard output; only its hash is stored.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api import services
from api.models import ApiToken
from core.errors import DomainError


class Command(BaseCommand):
    help = "Create an API token for a user (printed once), or revoke all of the user's tokens."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for (default: «manage.py api_token»).")
        parser.add_argument("--revoke-all", action="store_true", help="Revoke every working token of the user.")

    def handle(self, *args, username, name, revoke_all, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user «{username}».")
        if revoke_all:
            count = ApiToken.objects.filter(user=user).active().update(revoked_at=timezone.now())
            self.stdout.write(f"Revoked {count} token(s) of {username}.")
            return
        try:
            token, secret = services.api_token_create(user=user, name=name or "manage.py api_token")
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"Token «{token.name}» for {username} (shown once, keep it secret):")
        self.stdout.write(secret)
