"""The static files storage of a production deployment (DEBUG off): WhiteNoise's hashed names and
pre-compressed copies, with Brotli optional (STATIC_BROTLI). Brotli at its highest quality costs minutes of
CPU for the ~50 MB the portal ships (the API docs, fonts, PKI.js), and Debian's nginx, which serves the
static files in deploy/, has no Brotli module: it sends the .gz copies (gzip_static)."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        kwargs.setdefault("use_brotli", settings.STATIC_BROTLI)
        return super().create_compressor(**kwargs)
