"""Uploaded files are never served under MEDIA_URL, whatever DEBUG is (issue 11): only the views
that check access first hand them out."""

import datetime
import importlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import clear_url_caches

from cluster_portal import urls
from meetings.models import Assignment
from tasks import services
from tasks.models import AssignmentReportFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_assignment(demo, users):
    return Assignment.objects.get(organization_id=users["member"].person.organization_id,
                                  decision__agenda_item__meeting=demo["meeting_2023"])


@pytest.fixture
def report_file(member_assignment, users):
    upload = SimpleUploadedFile("otchet.pdf", b"%PDF-1.4 report of the member", content_type="application/pdf")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False):
        services.assignment_report_submit(assignment=member_assignment, author=users["member"], text="Отчёт",
                                          files=[upload])
    return AssignmentReportFile.objects.get(report__assignment=member_assignment)


@pytest.fixture
def debug_urls():
    """The URLconf as ``make run`` builds it (DEBUG=1): the module is re-imported under DEBUG."""
    with override_settings(DEBUG=True):
        importlib.reload(urls)
        clear_url_caches()
        yield
    importlib.reload(urls)
    clear_url_caches()


@pytest.mark.parametrize("role", [None, "outsider", "member", "secretary"])
def test_media_url_of_a_real_report_file_answers_404_with_debug_on(client_as, report_file, debug_urls, role):
    assert report_file.file.storage.exists(report_file.file.name)
    assert client_as(role).get(f"/media/{report_file.file.name}").status_code == 404


def test_the_report_file_comes_through_its_access_checked_view(client_as, report_file, member_assignment):
    response = client_as("member").get(f"/tasks/{member_assignment.pk}/files/{report_file.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-1.4 report")
