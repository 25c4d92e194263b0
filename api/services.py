"""Writes on API tokens: creation (the secret is returned once, never stored) and revocation."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import TOKEN_PREFIX, ApiToken, hash_token
from core.errors import DomainError

# A user does not need more than this many working tokens; the bound keeps the page and the table small.
MAX_ACTIVE_TOKENS = 20
# ``last_used_at`` is written at most this often per token: not one UPDATE per API request.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def api_token_create(*, user, name: str, created_by=None) -> tuple[ApiToken, str]:
    """A new token of ``user``: (the row, the secret to show once)."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the token: what will use it?"))
    if len(name) > 100:
        raise DomainError(_("The name of a token is at most 100 characters."))
    if not user.is_active:
        raise DomainError(_("This login is disabled: it cannot have API tokens."))
    # lock the user's row: two requests at once cannot both pass the limit
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user).active().count() >= MAX_ACTIVE_TOKENS:
        raise DomainError(_("At most %(count)s working tokens: revoke one you no longer use.")
                          % {"count": MAX_ACTIVE_TOKENS})
    secret = new_secret()
    token = ApiToken(user=user, name=name, prefix=secret[: len(TOKEN_PREFIX) + 6], token_hash=hash_token(secret),
                     created_by=created_by or user)
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """The token stops working at once; the row stays as a record of what existed."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Record the use of a token, at most once per ``LAST_USED_PRECISION``."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
