"""Decision numbering turned from on/off into a choice: an existing database keeps what it printed.

A body with numbering on becomes «1.1.» (hierarchical), off becomes «without numbers»; a protocol's
own True/False likewise, and a protocol without its own setting keeps following its body (empty).
Same approach as ``core/tests/test_migrations.py``: the session's database with the demo, migrated
back and forward outside the test transaction, left as it was (its fixture puts the demo's newer
settings back, which a boolean cannot hold).
"""

import datetime

import pytest

from core.tests.test_migrations import demo_database, latest, migrate  # noqa: F401 (the fixture)
from meetings.models import Meeting
from members.models import Body, DecisionNumbering

BEFORE = [("members", "0004_body_protocol_structure"), ("meetings", "0006_protocol_structure")]
KEY = "numbering-migration"


@pytest.mark.skipif(__import__("django.db").db.connection.vendor == "sqlite", reason="on SQLite, unapplying merged sibling migrations remakes tables without the other branch's columns; runs on PostgreSQL")
def test_numbering_on_off_and_unset_migrate_to_the_choice(django_db_setup, demo_database):  # noqa: F811
    executor = migrate(BEFORE)
    # The models as the database now is: BEFORE and whatever sibling migrations stay applied beside it
    # (e.g. the signatories column, whose NOT NULL an insert through the BEFORE state alone would miss).
    old = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    OldBody, OldMeeting = old.get_model("members", "Body"), old.get_model("meetings", "Meeting")
    cluster_id = Body.objects.values_list("cluster_id", flat=True).first()
    on = OldBody.objects.create(cluster_id=cluster_id, kind="working_group", name=f"{KEY} on", decision_numbering=True)
    off = OldBody.objects.create(cluster_id=cluster_id, kind="working_group", name=f"{KEY} off",
                                 decision_numbering=False)
    day = datetime.date(2026, 6, 10)
    meetings = {value: OldMeeting.objects.create(cluster_id=cluster_id, body_id=off.pk, date=day, year=day.year,
                                                 number=f"{KEY}-{value}", decision_numbering=value).pk
                for value in (True, False, None)}
    try:
        migrate(latest())
        assert Body.objects.get(pk=on.pk).decision_numbering == DecisionNumbering.HIERARCHICAL
        assert Body.objects.get(pk=off.pk).decision_numbering == DecisionNumbering.NONE
        got = {value: Meeting.objects.select_related("body").get(pk=pk) for value, pk in meetings.items()}
        assert {value: m.decision_numbering for value, m in got.items()} == {
            True: DecisionNumbering.HIERARCHICAL, False: DecisionNumbering.NONE, None: ""}
        # What they print: their own setting, else the body's (numbering off).
        assert {value: m.numbers_decisions for value, m in got.items()} == {True: True, False: False, None: False}
    finally:
        migrate(latest())
        Meeting.objects.filter(number__startswith=KEY).delete()
        Meeting.history.filter(number__startswith=KEY).delete()  # the deletion's own history rows
        Body.objects.filter(name__startswith=KEY).delete()
