"""``manage.py import_protocols``: a dry run reports and saves nothing; a real run makes drafts."""

import pathlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meetings.importing.models import ProtocolImport
from meetings.models import Meeting

pytestmark = pytest.mark.django_db

SAMPLES = pathlib.Path(__file__).parent / "import_samples"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_protocols", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_reports_each_file_and_saves_nothing(demo):
    meetings = Meeting.objects.count()
    out, _err = run("--body", str(demo["council"].pk), "--dry-run",
                    str(SAMPLES / "protocol_smolensk_ict_2017-11-20.txt"), str(SAMPLES / "ministry_roman.txt"))
    assert "protocol_smolensk_ict_2017-11-20.txt: № — от 2017-11-20; items 3, decisions 10, with deadlines 3, " \
           "with responsible parties 3" in out
    assert "line 58: Номер «4» повторяется" in out
    assert Meeting.objects.count() == meetings and not ProtocolImport.objects.exists()


def test_a_run_creates_drafts_and_names_the_files_it_refused(demo, tmp_path):
    bad = tmp_path / "old.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CommandError, match="1 of 2 files were not imported"):
        run("--body", str(demo["presidium"].pk), str(SAMPLES / "working_group_heard_spoke.txt"), str(bad))
    draft = Meeting.objects.get(body=demo["presidium"], number="7")
    assert draft.status == "draft" and draft.agenda_items.count() == 2


def test_an_unknown_body_is_refused():
    with pytest.raises(CommandError, match="No body with this id"):
        run("--body", "999999", "x.txt")
