"""The static files storage of a production deployment (DEBUG off): WhiteNoise's hashed names and
pre-compressed copies, with Brotli optional (STATIC_BROTLI). Brotli at its highest quality costs minutes of
CPU for the ~50 MB the portal ships (the API docs, fonts, PKI.js), and Debian's nginx, which serves the
static files in deploy/, has no Brotli module: it sends the .gz copies (gzip_static).

A name's URL is looked up once per process: the manifest does not change while the portal runs, and
every page asks for the same few files (``{% static %}`` costs a manifest lookup, a URL join and
quoting each time, ~25 µs; issue 13)."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

MAX_REMEMBERED_URLS = 1000  # the templates name a few dozen files; a bound all the same


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:  # collectstatic's own lookups while it hashes: never remembered
            return super().url(name, force=True)
        url = self._urls.get(name)
        if url is None:
            url = super().url(name)
            if len(self._urls) < MAX_REMEMBERED_URLS:
                self._urls[name] = url
        return url

    def create_compressor(self, **kwargs):
        kwargs.setdefault("use_brotli", settings.STATIC_BROTLI)
        return super().create_compressor(**kwargs)
