"""`manage.py check --deploy` with a production environment prints no warning."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3Zr9-pQ_2vX8mYtLw4nB7cJ1hF6sD0aGeUiOoPxRqWzTyVb5NmKlJhGfDsAaQwE",
    "ALLOWED_HOSTS": "portal.example.gov",
    "DATABASE_URL": "postgres://portal:secret@db.example.gov:5432/portal",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    clean.update(PRODUCTION, DJANGO_SETTINGS_MODULE="cluster_portal.settings", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120)


def test_deploy_check_is_clean_with_a_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_turning_hsts_off_from_the_environment_is_reported():
    result = manage("check", "--deploy", SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="0")
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000,
                   SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_http_is_redirected_and_https_gets_hsts(client):
    assert client.get("/accounts/login/").status_code == 301
    response = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
