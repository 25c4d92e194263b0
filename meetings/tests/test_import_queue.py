"""Imports on the background queue: the files of a large upload are parsed by jobs, not by the page that
polls; the page says when they wait for a worker that is not running; unconfirmed imports are pruned after
PROTOCOL_IMPORT_KEEP_DAYS by a periodic job and by a command, confirmed ones kept."""

import datetime
import io
import pathlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meetings.importing import jobs, services
from meetings.importing.models import ProtocolImport
from ops.models import WorkerHeartbeat
from ops.tests.helpers import DATABASE_TASKS, run_worker
from ops.worker import schedule_periodic

pytestmark = pytest.mark.django_db

SAMPLES = pathlib.Path(__file__).parent / "import_samples"
WORKING_GROUP = (SAMPLES / "working_group_heard_spoke.txt").read_text(encoding="utf-8")
PARSE_PATH = "meetings.importing.jobs.parse_protocol_import"
MANY = services.PARSE_IN_REQUEST + 1


def parse_rows():
    return list(DBTaskResult.objects.filter(task_path=PARSE_PATH).order_by("enqueued_at"))


def upload(client, demo, capture, count=MANY):
    files = [SimpleUploadedFile(f"wg{n}.txt", WORKING_GROUP.encode()) for n in range(count)]
    with capture(execute=True):
        response = client.post("/meetings/import/", {"body": demo["council"].pk, "file": files})
    assert response.status_code == 302
    return list(ProtocolImport.objects.order_by("id"))


def beat(seconds_ago=0):
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id="w1", defaults={
        "hostname": "h", "pid": 1, "started_at": now, "seen_at": now - datetime.timedelta(seconds=seconds_ago)})


@override_settings(TASKS=DATABASE_TASKS, WORKER_STALE_SECONDS=120)
def test_a_large_upload_is_parsed_by_the_worker_and_the_page_only_reads_progress(
        client_as, demo, django_capture_on_commit_callbacks):
    client = client_as("secretary")
    records = upload(client, demo, django_capture_on_commit_callbacks)
    rows = parse_rows()
    assert sorted(r.args_kwargs["kwargs"]["import_id"] for r in rows) == [r.pk for r in records]
    assert {r.status for r in rows} == {TaskResultStatus.READY}

    # No worker: the page says so (and polls slowly), and polling parses nothing.
    html = client.get("/meetings/import/").content.decode()
    assert f"{MANY} файла ждут фонового обработчика, а он сейчас не работает." in html and "сообщите администратору портала" in html
    assert 'hx-trigger="every 10s"' in html and "ждёт обработчика" in html
    assert not ProtocolImport.objects.filter(parsed_at__isnull=False).exists()

    beat(seconds_ago=600)  # a heartbeat long stale is no worker either
    assert "фонового обработчика" in client.get("/meetings/import/").content.decode()

    beat()  # a live worker: the usual progress
    html = client.get("/meetings/import/").content.decode()
    assert f"Прочитано файлов: 0 из {MANY}, остальные читаются…" in html and 'hx-trigger="every 2s"' in html
    assert "фонового обработчика" not in html

    run_worker()
    assert {r.status for r in parse_rows()} == {TaskResultStatus.SUCCESSFUL}
    assert not ProtocolImport.objects.filter(parsed_at__isnull=True).exists()
    html = client.get("/meetings/import/").content.decode()
    assert "остальные читаются" not in html and "hx-trigger" not in html and "обработчик" not in html


@override_settings(TASKS=DATABASE_TASKS)
def test_a_small_upload_is_parsed_in_its_request_and_enqueues_nothing(client_as, demo,
                                                                      django_capture_on_commit_callbacks):
    records = upload(client_as("secretary"), demo, django_capture_on_commit_callbacks, count=services.PARSE_IN_REQUEST)
    assert all(r.is_parsed for r in records) and parse_rows() == []


@override_settings(TASKS=DATABASE_TASKS)
def test_a_refused_upload_enqueues_nothing(client_as, demo, django_capture_on_commit_callbacks):
    files = [SimpleUploadedFile(f"wg{n}.txt", WORKING_GROUP.encode()) for n in range(MANY)]
    files.append(SimpleUploadedFile("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 64))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("secretary").post("/meetings/import/", {"body": demo["council"].pk, "file": files})
    assert response.status_code == 200 and not ProtocolImport.objects.exists() and parse_rows() == []


@override_settings(TASKS=DATABASE_TASKS)
def test_a_file_opened_before_its_turn_is_read_then_and_the_job_leaves_it_as_it_is(
        client_as, demo, django_capture_on_commit_callbacks):
    client = client_as("secretary")
    first, *_rest = upload(client, demo, django_capture_on_commit_callbacks)
    assert "Казаков А.В." in client.get(f"/meetings/import/{first.token}/").content.decode()
    first.refresh_from_db()
    parsed_at = first.parsed_at
    assert parsed_at is not None
    run_worker()
    first.refresh_from_db()
    assert first.parsed_at == parsed_at  # idempotent: the job skipped the parsed row
    assert {r.status for r in parse_rows()} == {TaskResultStatus.SUCCESSFUL}


@override_settings(TASKS=DATABASE_TASKS)
def test_an_import_discarded_before_its_turn_is_nothing_to_do(client_as, demo, django_capture_on_commit_callbacks):
    client = client_as("secretary")
    first, *_rest = upload(client, demo, django_capture_on_commit_callbacks)
    assert client.post(f"/meetings/import/{first.token}/", {"discard": "1"}).status_code == 302
    run_worker()
    row = next(r for r in parse_rows() if r.args_kwargs["kwargs"]["import_id"] == first.pk)
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value["gone"] is True


@override_settings(TASKS=DATABASE_TASKS, TASK_RETRY_DELAY_SECONDS=0, TASK_MAX_ATTEMPTS=3)
def test_a_failed_parse_is_retried(demo, users, monkeypatch):
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=WORKING_GROUP,
                                           parse_now=False)
    real, failures = services.parse_and_match, [1]

    def flaky(**kwargs):
        if failures:
            failures.pop()
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "parse_and_match", flaky)
    jobs.parse_protocol_import.enqueue(import_id=record.pk)
    run_worker()
    assert [(r.status, r.args_kwargs["kwargs"].get("attempt", 1)) for r in parse_rows()] == [
        (TaskResultStatus.FAILED, 1), (TaskResultStatus.SUCCESSFUL, 2)]
    record.refresh_from_db()
    assert record.is_parsed and record.result["items"]


def test_with_the_immediate_backend_an_unparsed_import_is_offered_to_open(client_as, demo, users):
    """A deployment without a worker runs the jobs inline, so an import left unparsed (its job failed) waits
    for nothing: the page says to open it, and opening it reads it."""
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=WORKING_GROUP,
                                           parse_now=False)
    client = client_as("secretary")
    html = client.get("/meetings/import/").content.decode()
    assert "1 файл не прочитан в фоне: откройте его, чтобы прочитать сейчас." in html
    assert "остальные читаются" not in html and "hx-trigger" not in html and "фонового обработчика" not in html
    client.get(f"/meetings/import/{record.token}/")
    assert ProtocolImport.objects.get(pk=record.pk).is_parsed


@override_settings(TASKS=DATABASE_TASKS, TASK_RETRY_DELAY_SECONDS=0, TASK_MAX_ATTEMPTS=2)
def test_an_import_whose_job_failed_for_good_is_not_left_spinning(client_as, demo, users, monkeypatch):
    records = [services.protocol_import_read(body=demo["council"], user=users["secretary"], text=WORKING_GROUP,
                                             parse_now=False) for _n in range(2)]
    beat()
    jobs.parse_protocol_import.enqueue(import_id=records[0].pk)  # the other's job is lost
    real = services.parse_and_match
    monkeypatch.setattr(services, "parse_and_match", lambda **kwargs: 1 / 0)
    run_worker()
    assert [r.status for r in parse_rows()] == [TaskResultStatus.FAILED] * 2  # both attempts
    client = client_as("secretary")
    html = client.get("/meetings/import/").content.decode()
    assert "2 файла не прочитаны в фоне: откройте каждый, чтобы прочитать сейчас." in html
    assert html.count(">открыть и прочитать</a>") == 2 and "hx-trigger" not in html and "остальные читаются" not in html
    monkeypatch.setattr(services, "parse_and_match", real)  # what failed was passing (the database was away)
    client.get(f"/meetings/import/{records[0].token}/")
    html = client.get("/meetings/import/").content.decode()
    assert "1 файл не прочитан в фоне" in html and ProtocolImport.objects.get(pk=records[0].pk).is_parsed


# ---------------------------------------------------------------- pruning


def _aged(days, *, demo, users, confirmed=False, number="p1"):
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=WORKING_GROUP,
                                           file_name=f"{days}-days{'-confirmed' if confirmed else ''}.txt")
    if confirmed:
        services.protocol_import_confirm(record=record, user=users["secretary"], number=number,
                                         date=timezone.localdate())
    ProtocolImport.objects.filter(pk=record.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    return record


@pytest.fixture
def aged(demo, users):
    return {"old": _aged(31, demo=demo, users=users), "recent": _aged(29, demo=demo, users=users),
            "old_confirmed": _aged(90, demo=demo, users=users, confirmed=True)}


def _left():
    return set(ProtocolImport.objects.values_list("file_name", flat=True))


@override_settings(PROTOCOL_IMPORT_KEEP_DAYS=30)
def test_prune_deletes_only_old_unconfirmed_imports(aged):
    assert [r.pk for r in services.protocol_imports_prune(dry_run=True)] == [aged["old"].pk]
    assert len(_left()) == 3
    assert [r.pk for r in services.protocol_imports_prune()] == [aged["old"].pk]
    assert _left() == {"29-days.txt", "90-days-confirmed.txt"}
    assert ProtocolImport.objects.get(pk=aged["old_confirmed"].pk).meeting is not None


@override_settings(PROTOCOL_IMPORT_KEEP_DAYS=7)
def test_the_setting_says_how_long_imports_are_kept(aged):
    assert {r.pk for r in services.protocol_imports_prune()} == {aged["old"].pk, aged["recent"].pk}
    assert _left() == {"90-days-confirmed.txt"}


@override_settings(PROTOCOL_IMPORT_KEEP_DAYS=30)
def test_the_command_lists_in_a_dry_run_and_deletes_otherwise(aged):
    out = io.StringIO()
    call_command("prune_protocol_imports", "--dry-run", stdout=out)
    assert "31-days.txt" in out.getvalue() and "would delete 1" in out.getvalue() and len(_left()) == 3
    out = io.StringIO()
    call_command("prune_protocol_imports", stdout=out)
    assert "deleted 1" in out.getvalue() and _left() == {"29-days.txt", "90-days-confirmed.txt"}
    out = io.StringIO()
    call_command("prune_protocol_imports", stdout=out)
    assert "deleted 0" in out.getvalue()


@override_settings(TASKS=DATABASE_TASKS, PROTOCOL_IMPORT_KEEP_DAYS=30, PROTOCOL_IMPORT_PRUNE_EVERY_MINUTES=24 * 60,
                   REMINDERS_EVERY_MINUTES=0)
def test_the_worker_schedules_the_pruning_once_a_day(aged):
    now = timezone.now()
    assert schedule_periodic(now) == ["prune_protocol_imports"]
    assert schedule_periodic(now) == []  # another worker, the same day
    run_worker()
    [row] = DBTaskResult.objects.filter(task_path="meetings.importing.jobs.prune_protocol_imports")
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == {"deleted": 1}
    assert _left() == {"29-days.txt", "90-days-confirmed.txt"}
    assert schedule_periodic(now + datetime.timedelta(days=1)) == ["prune_protocol_imports"]


@override_settings(TASKS=DATABASE_TASKS, PROTOCOL_IMPORT_PRUNE_EVERY_MINUTES=0, REMINDERS_EVERY_MINUTES=0)
def test_the_pruning_can_be_left_to_cron():
    assert schedule_periodic(timezone.now()) == []


@override_settings(TASKS=DATABASE_TASKS)
def test_the_progress_costs_the_same_for_few_and_many_waiting_files(client_as, demo, users,
                                                                    django_assert_max_num_queries):
    def waiting(count):
        for _n in range(count):
            record = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=WORKING_GROUP,
                                                   parse_now=False)
            jobs.parse_protocol_import.enqueue(import_id=record.pk)

    client = client_as("secretary")
    waiting(2)
    with CaptureQueriesContext(connection) as few:
        assert "2 файла ждут фонового обработчика" in client.get("/meetings/import/").content.decode()
    waiting(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "27 файлов ждут фонового обработчика" in client.get("/meetings/import/").content.decode()
