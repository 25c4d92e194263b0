"""The worker as it runs in production, in a subprocess on the real settings (database backend): killed
with SIGKILL in the middle of a task, then started again, it loses nothing."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from ops import jobs
from ops.tests import jobs_for_tests
from ops.tests.helpers import DATABASE_TASKS

pytestmark = pytest.mark.django_db(transaction=True)
TABLE = DBTaskResult._meta.db_table


class Database:
    """The test database as a subprocess can open it: PostgreSQL's by name, SQLite's in-memory one copied to a file."""

    def __init__(self, tmp_path: Path):
        db = connection.settings_dict
        self.sqlite_file = None
        if connection.vendor == "sqlite":
            self.sqlite_file = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.sqlite_file}"
        else:
            password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
            self.url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    def publish(self):
        """After the test has written its rows: SQLite's copy is made now."""
        if self.sqlite_file:
            connection.ensure_connection()
            target = sqlite3.connect(self.sqlite_file)
            connection.connection.backup(target)
            target.close()

    def rows(self) -> dict:
        query = f"SELECT id, status, return_value FROM {TABLE}"
        if self.sqlite_file:
            with sqlite3.connect(self.sqlite_file, timeout=10) as db:
                found = db.execute(query).fetchall()
        else:
            with connection.cursor() as cursor:
                cursor.execute(query)
                found = cursor.fetchall()
        return {str(pk).replace("-", ""): (status, value) for pk, status, value in found}


def start_worker(database: Database, mail_dir: Path, *extra) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "TASKS_BACKEND"}}
    env.update(DJANGO_SETTINGS_MODULE="cluster_portal.settings", DATABASE_URL=database.url, DEBUG="1",
               EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(mail_dir),
               WORKER_HEARTBEAT_SECONDS="1", WORKER_STALE_SECONDS="2", REMINDERS_EVERY_MINUTES="0",
               PROTOCOL_IMPORT_PRUNE_EVERY_MINUTES="0",
               CACHE_BACKEND="django.core.cache.backends.locmem.LocMemCache")
    return subprocess.Popen([sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval", "0.2", *extra],
                            cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def key(result) -> str:
    return str(result.id).replace("-", "")


@override_settings(TASKS=DATABASE_TASKS)
def test_a_killed_worker_loses_nothing(tmp_path):
    database = Database(tmp_path)
    slow = jobs_for_tests.slow.enqueue(3, "slow")  # priority 10: runs first
    mails = [jobs.send_email.enqueue(subject=f"Письмо {n}", body="Текст", to=[f"user{n}@example.org"]) for n in range(3)]
    database.publish()
    mail_dir = tmp_path / "mail"

    first = start_worker(database, mail_dir)
    try:
        assert wait_for(lambda: database.rows()[key(slow)][0] == "RUNNING"), "the worker never started the slow task"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    rows = database.rows()
    assert rows[key(slow)][0] == "RUNNING"  # the row is still there, claimed by a dead worker
    assert {rows[key(m)][0] for m in mails} == {"READY"}
    assert not mail_dir.exists() or not list(mail_dir.iterdir())

    time.sleep(2.5)  # the dead worker's heartbeat goes stale (WORKER_STALE_SECONDS=2)
    second = start_worker(database, mail_dir, "--batch")
    output, _ = second.communicate(timeout=60)
    assert second.returncode == 0, output
    rows = database.rows()
    assert {pk: status for pk, (status, _value) in rows.items()} == {key(r): "SUCCESSFUL" for r in [slow, *mails]}, output
    assert "done slow" in rows[key(slow)][1]
    sent = "".join(path.read_text() for path in mail_dir.iterdir())
    assert all(f"user{n}@example.org" in sent for n in range(3))
    assert "abandoned by worker" in output


@override_settings(TASKS=DATABASE_TASKS)
def test_sigterm_finishes_the_running_task(tmp_path):
    database = Database(tmp_path)
    slow = jobs_for_tests.slow.enqueue(1.5, "graceful")
    database.publish()
    worker = start_worker(database, tmp_path / "mail")
    try:
        assert wait_for(lambda: database.rows()[key(slow)][0] == "RUNNING")
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert database.rows()[key(slow)][0] == "SUCCESSFUL", output
