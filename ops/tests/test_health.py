"""/healthz and /readyz: public JSON, 200 or 503, each dependency reported, no secrets, bounded cost."""

import datetime
import json

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.testing import Row, cases, check, expect
from ops import health
from ops.models import WorkerHeartbeat
from ops.tests.helpers import DATABASE_TASKS

pytestmark = pytest.mark.django_db

TABLE = [
    Row("healthz", "/healthz", "get", expect(200, 200, 200, 200, 200, anonymous=200)),
    Row("readyz", "/readyz", "get", expect(200, 200, 200, 200, 200, anonymous=200)),
    Row("healthz_post", "/healthz", "post", expect(405, 405, 405, 405, 405, anonymous=405)),
]


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permission_table(client_as, row, role):
    check(client_as(role), row, role)


def beat(seconds_ago):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id=f"w{seconds_ago}", hostname="node-1", pid=1, started_at=now,
                                   seen_at=now - datetime.timedelta(seconds=seconds_ago))


def test_inline_jobs_need_no_worker(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]
    assert body["checks"]["worker"] == {"ok": True, "mode": "inline", "ms": body["checks"]["worker"]["ms"]}
    assert response["Cache-Control"].startswith("max-age=0")


@override_settings(TASKS=DATABASE_TASKS, WORKER_STALE_SECONDS=120)
def test_no_worker_is_503(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False and response.json()["status"] == "fail"
    beat(600)  # a worker died ten minutes ago
    assert client.get("/healthz").status_code == 503


@override_settings(TASKS=DATABASE_TASKS, WORKER_STALE_SECONDS=120)
def test_a_live_worker_and_the_queue(client):
    beat(5)
    beat(600)
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="ops.jobs.send_reminders",
                                backend_name="default", run_after=timezone.now())
    response = client.get("/healthz")
    worker = response.json()["checks"]["worker"]
    assert response.status_code == 200
    assert worker["workers"] == 1 and worker["queued"] == 1 and 4 <= worker["last_heartbeat_age_s"] < 60


def test_a_broken_storage_is_503_without_details(client, monkeypatch):
    def broken(name):
        raise PermissionError("/secret/path/of/the/media")

    monkeypatch.setattr("django.core.files.storage.default_storage.exists", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["error"] == "PermissionError"
    assert "secret" not in response.content.decode()


@override_settings(TASKS=DATABASE_TASKS)
def test_healthz_costs_the_same_whatever_the_queue(client, django_assert_max_num_queries):
    beat(1)
    with django_assert_max_num_queries(5):
        client.get("/healthz")
    for _ in range(50):
        DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="ops.jobs.send_reminders",
                                    backend_name="default", run_after=timezone.now())
    with django_assert_max_num_queries(5):
        assert client.get("/healthz").json()["checks"]["worker"]["queued"] == 50


def test_readyz_reports_pending_migrations(client, monkeypatch):
    assert client.get("/readyz").json() == {"status": "ok"}
    monkeypatch.setattr(health, "pending_migrations", lambda: ["ops.0002_future"])
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json() == {"status": "fail", "pending_migrations": 1}


def test_no_secret_in_the_answer(client, settings):
    settings.SECRET_KEY = "s3cr3t-key-value"
    text = json.dumps(client.get("/healthz").json()) + json.dumps(client.get("/readyz").json())
    assert "s3cr3t" not in text and settings.DATABASES["default"]["NAME"] not in text


@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_health_checks_answer_on_plain_http(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
