"""Test settings: the real settings with fast hashing, in-memory mail and temp media."""

import tempfile
from pathlib import Path

from .settings import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cluster-portal-media-"))
DEMO_PKI_DIR = Path(tempfile.mkdtemp(prefix="cluster-portal-pki-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "ru"
# The test client's login() calls authenticate() without a request, which the lockout
# backend refuses; the throttling test switches it on with override_settings.
AXES_ENABLED = False
