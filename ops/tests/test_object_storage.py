"""Media on an S3-compatible object store (a local moto server): a report file uploaded and downloaded
through the access-checked view, a protocol signed, stored there, downloaded and verified."""

import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from documents.models import ProtocolDocument
from documents.client import sign_with_pkcs12
from documents.services import sha256_hex
from documents.verification import VALID, verify_pdf
from meetings.models import Assignment, MeetingStatus
from ops.tests import s3

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_endpoint():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with s3.s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(s3_endpoint):
    name = s3.new_bucket(s3_endpoint)
    with override_settings(STORAGES=s3.storages_for(s3_endpoint, name)):
        yield name


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_media_storage_is_the_bucket(bucket, s3_endpoint):
    from storages.backends.s3 import S3Storage

    name = default_storage.save("probe/файл.txt", SimpleUploadedFile("x", b"hello"))
    assert isinstance(default_storage._wrapped, S3Storage)
    assert s3.keys(s3_endpoint, bucket) == [name]
    with default_storage.open(name) as handle:
        assert handle.read() == b"hello"


def test_a_report_file_goes_to_the_bucket_and_back_through_the_view(demo, client_as, bucket, s3_endpoint):
    member = demo["users"]["member"]
    assignment = Assignment.objects.get(organization_id=member.person.organization_id,
                                        decision__agenda_item__meeting=demo["meeting_2023"])
    content = b"%PDF-1.4\n" + os.urandom(2000)
    # a name of its own: an earlier test of the session may have left «отчёт.pdf» on the local disk
    upload = SimpleUploadedFile(f"отчёт-{os.urandom(4).hex()}.pdf", content, content_type="application/pdf")
    response = client_as("member").post(f"/tasks/{assignment.pk}/report/", {"text": "Сделано", "files": [upload]})
    assert response.status_code == 302
    attachment = assignment.reports.get().files.get()
    assert s3.keys(s3_endpoint, bucket) == [attachment.file.name]
    assert not (settings.MEDIA_ROOT / attachment.file.name).exists()  # nothing on the node's disk
    download = client_as("member").get(f"/tasks/{assignment.pk}/files/{attachment.pk}/")
    assert download.status_code == 200 and body(download) == content  # streamed by the view, no bucket URL
    assert s3_endpoint not in download.get("Location", "") and bucket not in download["Content-Disposition"]
    assert client_as("outsider").get(f"/tasks/{assignment.pk}/files/{attachment.pk}/").status_code in (403, 404)


def test_a_protocol_signed_into_the_bucket_verifies(demo, client_as, bucket, s3_endpoint,
                                                    django_capture_on_commit_callbacks):
    meeting = demo["meeting_2017"]
    pki = demo["demo_pki"]
    users = demo["users"]
    for login in ("churanov", "belokopytov"):  # the printed signers, in order (the second signs over the first)
        with django_capture_on_commit_callbacks(execute=True):
            document = sign_with_pkcs12(meeting=meeting, user=users[login], pkcs12=pki[login].read_bytes(),
                                        password=pki["password"])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    document = ProtocolDocument.objects.get(pk=document.pk)
    assert s3.keys(s3_endpoint, bucket) == [document.file.name]  # the first signer's file was replaced
    response = client_as("chair").get(f"/meetings/{meeting.pk}/pdf/")
    data = body(response)
    assert response.status_code == 200 and sha256_hex(data) == document.sha256
    assert [s.verdict for s in verify_pdf(data).signatures] == [VALID, VALID]


def test_settings_build_the_s3_storage_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="cluster_portal.settings", AWS_STORAGE_BUCKET_NAME="media",
               AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000", AWS_ACCESS_KEY_ID="k", AWS_SECRET_ACCESS_KEY="s")
    code = ("import django; django.setup(); from django.core.files.storage import default_storage as s; "
            "print(type(s._wrapped).__name__ if hasattr(s, '_wrapped') and s._wrapped is not None else '', "
            "s.bucket_name, s.endpoint_url, s.default_acl, s.querystring_auth)")
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.split()[1:] == ["media", "http://127.0.0.1:9000", "None", "True"], result.stderr
