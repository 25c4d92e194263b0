"""An existing database migrates forward over the model move of issue 10 with nothing lost.

The test database holds the demo (loaded once per session). The test migrates it back to the
state before the move (calendar tokens in ``members``; protocol documents, signatures,
reports, report files, extensions and sent notifications in ``meetings``), writes rows through
those historical models, puts the content types back where an old database had them,
migrates forward to the latest migrations and finds every row under the new models, with
the content types pointing to the new apps.

Schema changes cannot run inside the transaction a ``django_db`` test is wrapped in, and a
``transactional_db`` test would flush the session's demo data; so this test opens the
database itself (``django_db_blocker``), ends at the latest migrations, deletes the rows it
made, loads back a ``pg_dump`` taken before (the round trip empties tables and columns newer than the
move) and checks that everything is as it was.
"""

import datetime
import os
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.testing import changed_tables, database_state
from documents.models import ProtocolDocument, ProtocolSignature
from meetings.models import Assignment, Meeting
from tasks.models import AssignmentReport, AssignmentReportFile, CalendarToken, DeadlineExtension, SentNotification

# The last migration of each app before the move (tasks did not exist).
BEFORE_MOVE = [
    ("members", "0002_person_first_name_label"),
    ("meetings", "0003_protocol_document_signing"),
    ("documents", "0001_protocol_correction"),
    ("tasks", None),
]
MOVED = {
    "members": {"calendartoken": "tasks"},
    "meetings": {"protocoldocument": "documents", "protocolsignature": "documents", "assignmentreport": "tasks",
                 "assignmentreportfile": "tasks", "deadlineextension": "tasks", "sentnotification": "tasks"},
}
KEY = "migration-test"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def write_old_rows(old_apps):
    """One row of every moved model, written through the models as they were before the move."""
    User = old_apps.get_model("auth", "User")
    Token = old_apps.get_model("members", "CalendarToken")
    Document = old_apps.get_model("meetings", "ProtocolDocument")
    Signature = old_apps.get_model("meetings", "ProtocolSignature")
    Report = old_apps.get_model("meetings", "AssignmentReport")
    ReportFile = old_apps.get_model("meetings", "AssignmentReportFile")
    Extension = old_apps.get_model("meetings", "DeadlineExtension")
    Notification = old_apps.get_model("meetings", "SentNotification")

    now = timezone.now()
    user = User.objects.create(username=KEY, password="!")
    meeting_id = Meeting.objects.exclude(status="signed").order_by("pk").values_list("pk", flat=True).first()
    assignment_id = Assignment.objects.order_by("pk").values_list("pk", flat=True).first()
    document = Document.objects.create(meeting_id=meeting_id, version=99, file=f"protocols/{KEY}.pdf", sha256="a" * 64,
                                       public_id=KEY)
    report = Report.objects.create(assignment_id=assignment_id, author_id=user.pk, text=f"Отчёт {KEY}")
    return {
        "user": user.pk,
        "token": Token.objects.create(user_id=user.pk, token=f"{KEY}-token").pk,
        "document": document.pk,
        "signature": Signature.objects.create(
            document_id=document.pk, order=1, role="secretary", certificate_subject=f"CN={KEY}",
            certificate_serial="1", valid_from=now, valid_to=now + datetime.timedelta(days=365), signed_at=now,
        ).pk,
        "report": report.pk,
        "file": ReportFile.objects.create(report_id=report.pk, file=f"reports/{KEY}.pdf", name=f"{KEY}.pdf", size=3).pk,
        "extension": Extension.objects.create(assignment_id=assignment_id, requested_by_id=user.pk, reason=KEY,
                                              new_deadline=datetime.date(2030, 1, 31)).pk,
        "notification": Notification.objects.create(key=KEY, recipient="test@example.org").pk,
    }


def put_content_types_back():
    """An old database has the moved models' content types under their old apps."""
    for old_app, names in MOVED.items():
        for name, new_app in names.items():
            ContentType.objects.filter(app_label=new_app, model=name).update(app_label=old_app)
    ContentType.objects.clear_cache()


def delete_rows(ids):
    SentNotification.objects.filter(pk=ids["notification"]).delete()
    DeadlineExtension.objects.filter(pk=ids["extension"]).delete()
    AssignmentReportFile.objects.filter(pk=ids["file"]).delete()
    AssignmentReport.objects.filter(pk=ids["report"]).delete()
    ProtocolSignature.objects.filter(pk=ids["signature"]).delete()
    ProtocolDocument.objects.filter(pk=ids["document"]).delete()
    CalendarToken.objects.filter(pk=ids["token"]).delete()
    get_user_model().objects.filter(pk=ids["user"]).delete()


def postgres_command(program: str, *args: str) -> list[str]:
    db = connection.settings_dict
    return [program, "--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432),
            "--username", db["USER"] or "postgres", "--dbname", db["NAME"], "--no-password", *args]


def dump_everything(path) -> None:
    """Every row of the database as it is, ids, timestamps and sequences included (``pg_dump``)."""
    subprocess.run(postgres_command("pg_dump", "--data-only", "--exclude-table-data=django_migrations", "--file", str(path)), check=True,
                   env={**os.environ, "PGPASSWORD": connection.settings_dict["PASSWORD"] or ""})


def restore_everything(path) -> None:
    """The database exactly as dumped: going back before the move unapplies every later migration,
    dropping the tables and columns they added (categories, prepared signings, participating
    clusters, layouts) with the demo's rows in them; the way forward recreates them empty."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.close()
    subprocess.run(postgres_command("psql", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1",
                                    "--file", str(path)), check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PGPASSWORD": connection.settings_dict["PASSWORD"] or ""})
    # django_migrations is not in the dump, but its id sequence is: set it past the rows the round trip wrote.
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('django_migrations', 'id'), "
                       "(SELECT max(id) FROM django_migrations))")
    ContentType.objects.clear_cache()


@pytest.fixture
def demo_database(django_db_setup, django_db_blocker, tmp_path):
    """The session's test database with the demo, outside any test transaction; put back as it was."""
    with django_db_blocker.unblock():
        if not Meeting.objects.exists():  # a transactional test before this one flushed the session's data
            from cluster_portal.demo import load_demo
            load_demo()
        before = database_state()
        dump_everything(tmp_path / "before.json")
        yield before
        migrate(latest())
        ContentType.objects.clear_cache()
        restore_everything(tmp_path / "before.json")
        assert changed_tables(before, database_state()) == [], "the demo data must be as it was"


@pytest.mark.skipif(connection.vendor == "sqlite", reason=(
    "going back to before the move on SQLite unapplies merged sibling migrations whose table remakes drop "
    "columns added by the other branch (no such column: deadline_text); the forward path is proved on PostgreSQL"))
def test_a_database_from_before_the_move_migrates_forward_with_every_row(demo_database):
    executor = migrate(BEFORE_MOVE)
    old_apps = executor.loader.project_state([node for node in BEFORE_MOVE if node[1]]).apps
    ids = write_old_rows(old_apps)
    put_content_types_back()
    try:
        migrate(latest())
        ContentType.objects.clear_cache()

        assert CalendarToken.objects.get(pk=ids["token"]).user_id == ids["user"]
        assert ProtocolDocument.objects.get(pk=ids["document"]).public_id == KEY
        assert ProtocolSignature.objects.get(pk=ids["signature"]).document_id == ids["document"]
        assert AssignmentReport.objects.get(pk=ids["report"]).text == f"Отчёт {KEY}"
        assert AssignmentReportFile.objects.get(pk=ids["file"]).report_id == ids["report"]
        assert DeadlineExtension.objects.get(pk=ids["extension"]).reason == KEY
        assert SentNotification.objects.get(pk=ids["notification"]).key == KEY
        for names in MOVED.values():
            for name, new_app in names.items():
                assert list(ContentType.objects.filter(model=name).values_list("app_label", flat=True)) == [new_app]
    finally:
        migrate(latest())
        delete_rows(ids)


def test_the_demo_is_still_there_after_the_migration_test(demo):
    # Runs after the test above (file order): the session's data serves the other tests.
    assert Meeting.objects.filter(cluster=demo["cluster"]).exists()
