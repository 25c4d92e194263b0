"""backup → damage → restore gives back every row of every table and every media file; the restored
signed PDF still verifies."""

import hashlib
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import override_settings

from core.testing import changed_tables, database_state
from documents.models import ProtocolDocument
from documents.verification import VALID, verify_pdf
from members.models import Cluster
from ops.backup import media_names
from ops.tests import s3

pytestmark = pytest.mark.django_db(transaction=True)


def media_state() -> dict:
    state = {}
    for name in media_names():
        with default_storage.open(name, "rb") as handle:
            state[name] = hashlib.sha256(handle.read()).hexdigest()
    return state


def test_round_trip(demo, tmp_path):
    document = ProtocolDocument.objects.filter(meeting=demo["meeting_2023"]).get()
    assert default_storage.exists(document.file.name)
    default_storage.save("reports/2026/отчёт.txt", ContentFile("отчёт".encode()))
    rows, files = database_state(), media_state()
    assert len(files) >= 2 and rows["meetings.Meeting"][0] > 0
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", str(archive), stdout=open(tmp_path / "out.txt", "w"))
    assert archive.exists() and not (tmp_path / "portal.tar.gz.partial").exists()

    # what a bad day does: a renamed cluster, a new one, a lost signed PDF, a changed report file
    Cluster.objects.filter(pk=demo["cluster"].pk).update(name="Испорчено")
    Cluster.objects.create(name="Лишний кластер", short_name="Лишний")
    default_storage.delete(document.file.name)
    default_storage.delete("reports/2026/отчёт.txt")
    default_storage.save("reports/2026/отчёт.txt", ContentFile(b"changed"))
    assert changed_tables(rows, database_state())

    call_command("restore", str(archive), "--yes", stdout=open(tmp_path / "out.txt", "w"))
    assert changed_tables(rows, database_state()) == []
    assert media_state() == files
    document = ProtocolDocument.objects.get(pk=document.pk)
    with document.file.open("rb") as handle:
        report = verify_pdf(handle.read())
    assert report.ok and [s.verdict for s in report.signatures] == [VALID, VALID]


def test_media_of_a_bucket_restored_into_another(demo, tmp_path):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with s3.s3_server() as endpoint:
        first, second = s3.new_bucket(endpoint), s3.new_bucket(endpoint)
        with override_settings(STORAGES=s3.storages_for(endpoint, first)):
            default_storage.save("protocols/2026/a.pdf", ContentFile(b"%PDF-1.7 a"))
            default_storage.save("reports/b.bin", ContentFile(bytes(range(256))))
            files = media_state()
            call_command("backup", str(tmp_path / "b.tar.gz"), stdout=open(tmp_path / "out.txt", "w"))
        with override_settings(STORAGES=s3.storages_for(endpoint, second)):
            call_command("restore", str(tmp_path / "b.tar.gz"), "--yes", stdout=open(tmp_path / "out.txt", "w"))
            assert media_state() == files
        assert s3.keys(endpoint, second) == s3.keys(endpoint, first) == sorted(files)


def test_not_a_backup_is_refused(tmp_path, db):
    import tarfile

    junk = tmp_path / "junk.tar.gz"
    with tarfile.open(junk, "w:gz"):
        pass
    with pytest.raises(CommandError, match="no manifest.json"):
        call_command("restore", str(junk), "--yes")
