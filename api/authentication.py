"""``Authorization: Bearer <token>``: a personal token, looked up by its hash."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import ApiToken, hash_token
from api.services import api_token_touch

KEYWORD = "Bearer"
# A token of the portal is ~48 characters; anything much longer is not one (and costs nothing to refuse).
MAX_TOKEN_LENGTH = 200


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A request with a valid token acts as the token's user, with exactly the user's access.

    ``request.auth`` is the ``ApiToken`` (the throttle keys on it). The user comes with the register
    entry and its organisation, as ``members.backends.PortalBackend`` loads it for a session.
    """

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header: expected «Bearer <token>»."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if len(raw) > MAX_TOKEN_LENGTH:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = (
            ApiToken.objects.active().filter(token_hash=hash_token(raw), user__is_active=True)
            .select_related("user__person__organization").first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        api_token_touch(token)
        return token.user, token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'
