"""Bearer secrets (calendar feeds): unguessable, URL-safe."""

import secrets


def new_token() -> str:
    return secrets.token_urlsafe(24)
