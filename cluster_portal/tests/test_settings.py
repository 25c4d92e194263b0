import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    """Import the real settings module in a fresh interpreter with the given environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    clean.update(env)
    code = "import cluster_portal.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_boolean_is_rejected_loudly():
    result = load_settings(DEBUG="maybe")
    assert "DEBUG must be a boolean" in result.stderr


def test_production_reads_postgres_and_hosts_from_the_environment():
    result = load_settings(
        DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.gov",
        DATABASE_URL="postgres://u:p@db:5432/portal",
    )
    assert result.stdout.split() == ["False", "django.db.backends.postgresql", "['portal.example.gov']"]


def test_development_defaults_to_sqlite():
    result = load_settings()
    assert result.stdout.split()[:2] == ["True", "django.db.backends.sqlite3"]


@pytest.mark.django_db
def test_password_reset_mails_a_russian_link(client, users, django_capture_on_commit_callbacks):
    # the e-mail is enqueued when the request's transaction commits (ops.mail); tasks run inline in tests
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": users["member"].email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert "пароль" in (mail.outbox[0].subject + mail.outbox[0].body).lower()


def test_persistent_connections_are_health_checked():
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    clean.update(DATABASE_URL="postgres://u:p@db:5432/portal", DB_CONN_MAX_AGE="120")
    code = "import cluster_portal.settings as s; d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.stdout.split() == ["120", "True"]

