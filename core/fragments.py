"""Rendered fragments kept per process (settings.CACHES["local"]): the navbar, a signed protocol's
page content. Their keys carry everything they show, so an entry is never stale, only replaced;
old ones age out (``TIMEOUT``, ``MAX_ENTRIES``)."""

from django.core.cache import caches

ALIAS = "local"
TIMEOUT = 7 * 24 * 3600


def get(key: str) -> str | None:
    return caches[ALIAS].get(key)


def put(key: str, html: str) -> None:
    caches[ALIAS].set(key, html, TIMEOUT)
