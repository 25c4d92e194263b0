"""The queue: e-mails leave requests, failed jobs are retried and shown to the administrator,
periodic jobs are enqueued once per slot, tasks of a dead worker are queued again."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.testing import Row, cases, check, expect
from meetings.models import MeetingStatus
from meetings.tests.conftest import make_protocol
from ops import jobs
from ops.mail import queue_mail
from ops.models import ScheduledRun, WorkerHeartbeat
from ops.tests.helpers import DATABASE_TASKS, FlakyBackend
from ops.worker import LOST, recover_abandoned, schedule_periodic, time_slot

pytestmark = pytest.mark.django_db


def run_worker():
    """The worker in this process, inside the test's transaction: it must not drop the connection between
    tasks as it does in production (on PostgreSQL that would close the test's transaction)."""
    with mock.patch("ops.worker.close_old_connections"):
        call_command("run_worker", "--batch", "--no-startup-delay", verbosity=0)


def mail_rows():
    return list(DBTaskResult.objects.filter(task_path="ops.jobs.send_email").order_by("enqueued_at"))


@override_settings(TASKS=DATABASE_TASKS)
def test_no_email_is_sent_inside_the_request(demo, client_as, django_capture_on_commit_callbacks):
    draft = make_protocol(demo)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("secretary").post(f"/meetings/{draft.pk}/submit/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == MeetingStatus.ON_APPROVAL
    assert mail.outbox == []  # nothing went to the mail server while the secretary waited
    [row] = mail_rows()
    assert row.status == TaskResultStatus.READY and row.args_kwargs["kwargs"]["to"] == ["chair@demo.cluster-portal.local"]
    run_worker()
    assert [m.to for m in mail.outbox] == [["chair@demo.cluster-portal.local"]]
    assert "утверждение" in mail.outbox[0].subject
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL


@override_settings(TASKS=DATABASE_TASKS)
def test_password_reset_is_sent_by_the_worker(users, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": users["member"].email})
    assert response.status_code == 302 and mail.outbox == [] and len(mail_rows()) == 1
    run_worker()
    assert mail.outbox[0].to == [users["member"].email] and "/accounts/reset/" in mail.outbox[0].body


@override_settings(TASKS=DATABASE_TASKS)
def test_a_rolled_back_change_enqueues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_mail("Тема", "Текст", ["a@example.org"])
    assert len(callbacks) == 1 and mail_rows() == []  # only on commit


@override_settings(TASKS=DATABASE_TASKS, EMAIL_BACKEND="ops.tests.helpers.FlakyBackend", TASK_RETRY_DELAY_SECONDS=60)
def test_a_failed_email_is_retried_later():
    FlakyBackend.failures = 1
    jobs.send_email.enqueue(subject="Тема", body="Текст", to=["a@example.org"])
    run_worker()
    first, second = mail_rows()
    assert first.status == TaskResultStatus.FAILED and "SMTPServerDisconnected" in first.exception_class_path
    assert second.status == TaskResultStatus.READY and second.args_kwargs["kwargs"]["attempt"] == 2
    assert 59 <= (second.run_after - first.finished_at).total_seconds() <= 61  # not before its delay
    assert second.run_after > timezone.now()
    assert mail.outbox == []
    DBTaskResult.objects.filter(pk=second.pk).update(run_after=timezone.now())
    run_worker()
    second.refresh_from_db()
    assert second.status == TaskResultStatus.SUCCESSFUL and len(mail.outbox) == 1


@override_settings(TASKS=DATABASE_TASKS, EMAIL_BACKEND="ops.tests.helpers.FlakyBackend", TASK_RETRY_DELAY_SECONDS=0,
                   TASK_MAX_ATTEMPTS=3)
def test_retries_are_bounded():
    FlakyBackend.failures = 100
    jobs.send_email.enqueue(subject="Тема", body="Текст", to=["a@example.org"])
    run_worker()
    rows = mail_rows()
    FlakyBackend.failures = 0
    assert [(r.status, r.args_kwargs["kwargs"].get("attempt", 1)) for r in rows] == [
        (TaskResultStatus.FAILED, 1), (TaskResultStatus.FAILED, 2), (TaskResultStatus.FAILED, 3)]
    assert mail.outbox == []


def test_the_delay_doubles(settings):
    settings.TASK_RETRY_DELAY_SECONDS = 60
    assert [jobs.retry_delay(n) for n in (1, 2, 3, 20)] == [60, 120, 240, 86400]


@override_settings(TASKS=DATABASE_TASKS)
def test_reminders_run_as_a_job(demo):
    result = jobs.send_reminders.enqueue()
    run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL and set(row.return_value) >= {"sent", "failed"}


@override_settings(TASKS=DATABASE_TASKS, REMINDERS_EVERY_MINUTES=60, PROTOCOL_IMPORT_PRUNE_EVERY_MINUTES=0)
def test_periodic_jobs_are_enqueued_once_per_slot():
    now = timezone.now()
    assert schedule_periodic(now) == ["reminders"]
    assert schedule_periodic(now) == []  # a second worker, the same hour
    assert DBTaskResult.objects.filter(task_path="ops.jobs.send_reminders").count() == 1
    assert schedule_periodic(now + datetime.timedelta(hours=1)) == ["reminders"]
    assert ScheduledRun.objects.count() == 2


def test_time_slots():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 2, 13, 47))
    assert time_slot(moment, 60) == "2026-12-02T13:00"
    assert time_slot(moment, 15) == "2026-12-02T13:45"
    assert time_slot(moment, 24 * 60) == "2026-12-02T00:00"


def _running(worker_ids, minutes_ago=10):
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"subject": "s", "body": "b", "to": ["a@example.org"]}},
        task_path="ops.jobs.send_email", backend_name="default", run_after=timezone.now(),
        status=TaskResultStatus.RUNNING, worker_ids=worker_ids,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))


@override_settings(WORKER_STALE_SECONDS=120, TASK_MAX_ATTEMPTS=3)
def test_tasks_of_a_dead_worker_are_queued_again():
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="alive", hostname="h", pid=1, started_at=now, seen_at=now)
    WorkerHeartbeat.objects.create(worker_id="dead", hostname="h", pid=2, started_at=now,
                                   seen_at=now - datetime.timedelta(minutes=5))
    of_alive, of_dead, of_vanished = _running(["alive"]), _running(["dead"]), _running(["gone"])
    just_started = _running(["gone"], minutes_ago=0)
    poison = _running(["a", "b", "c"])
    assert recover_abandoned() == 3
    statuses = {row.pk: row.status for row in DBTaskResult.objects.all()}
    assert statuses[of_alive.pk] == TaskResultStatus.RUNNING
    assert statuses[of_dead.pk] == statuses[of_vanished.pk] == TaskResultStatus.READY
    assert statuses[just_started.pk] == TaskResultStatus.RUNNING  # may be a worker that has not beaten yet
    poison.refresh_from_db()
    assert poison.status == TaskResultStatus.FAILED and poison.exception_class_path == LOST


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_beats_and_removes_its_row_when_it_stops(monkeypatch):
    seen = []
    monkeypatch.setattr("ops.worker.PortalWorker.loop", lambda self: seen.extend(WorkerHeartbeat.objects.all()))
    run_worker()
    assert len(seen) == 1 and WorkerHeartbeat.objects.count() == 0


# ---------------------------------------------------------------- the administrator's view


def failed_row():
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"subject": "s", "body": "b", "to": ["a@example.org"], "attempt": 5}},
        task_path="ops.jobs.send_email", backend_name="default", run_after=timezone.now(),
        status=TaskResultStatus.FAILED, exception_class_path="smtplib.SMTPServerDisconnected", traceback="Traceback…")


ADMIN = "/admin/django_tasks_database/dbtaskresult/"
TABLE = [
    Row("task_results", ADMIN, "get", expect(302, 302, 302, 302, 200)),
    Row("task_result", lambda o: f"{ADMIN}{o['row'].pk}/change/", "get", expect(302, 302, 302, 302, 200)),
    Row("heartbeats", "/admin/ops/workerheartbeat/", "get", expect(302, 302, 302, 302, 200)),
]


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permission_table(client_as, row, role):
    check(client_as(role), row, role, {"row": failed_row()})


def test_the_admin_shows_the_failure_and_enqueues_it_again(client_as, django_assert_max_num_queries):
    row = failed_row()
    admin = client_as("admin")
    with django_assert_max_num_queries(12):
        page = admin.get(ADMIN + "?status__exact=FAILED")
    assert page.status_code == 200 and "SMTPServerDisconnected" in page.content.decode()
    with override_settings(TASKS=DATABASE_TASKS):
        response = admin.post(ADMIN, {"action": "enqueue_again", "_selected_action": [str(row.pk)]})
        assert response.status_code == 302
        again = DBTaskResult.objects.exclude(pk=row.pk).get()
    assert again.status == TaskResultStatus.READY and again.args_kwargs["kwargs"]["attempt"] == 1


def test_the_task_list_costs_the_same_for_more_rows(client_as, django_assert_num_queries):
    admin = client_as("admin")
    failed_row()
    admin.get(ADMIN)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin.get(ADMIN)
    for _ in range(30):
        failed_row()
    with CaptureQueriesContext(connection) as many:
        admin.get(ADMIN)
    assert len(many) == len(few)
