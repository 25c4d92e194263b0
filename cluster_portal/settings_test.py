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
# Background jobs run inline (right after the commit, as the e-mails did before the queue); the tests
# of the queue itself (ops/tests) switch to the database backend and run the worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Per-process caches: the query-count tests count database queries, which a database cache adds.
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-default"}}  # noqa: F405
LOG_REQUESTS = False
LANGUAGE_CODE = "ru"
# The test client's login() calls authenticate() without a request, which the lockout
# backend refuses; the throttling test switches it on with override_settings.
AXES_ENABLED = False
