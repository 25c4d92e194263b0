"""Members see the assignments of their cluster's published protocols, but reports, report
files and extension requests only of their own organisation's assignments."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tasks import services
from tasks.models import AssignmentReportFile


@pytest.fixture
@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def reported_other(other_assignment, users, demo):
    """Another organisation's assignment with a report (and a file) and an extension request."""
    author = users["secretary"]
    file = SimpleUploadedFile("otchet.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    services.assignment_report_submit(assignment=other_assignment, author=author, text="Секретный отчёт СмолГУ",
                                      files=[file])
    other_assignment.refresh_from_db()
    return other_assignment


def test_member_sees_another_organisations_assignment_but_not_its_reports(client_as, reported_other):
    response = client_as("member").get(f"/tasks/{reported_other.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Секретный отчёт СмолГУ" not in text and "otchet.pdf" not in text
    assert 'id="reports-private"' in text


def test_member_cannot_download_another_organisations_report_file(client_as, reported_other):
    attachment = AssignmentReportFile.objects.get(report__assignment=reported_other)
    response = client_as("member").get(f"/tasks/{reported_other.pk}/files/{attachment.pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["secretary", "chair"])
def test_secretary_and_chair_see_every_report(client_as, reported_other, role):
    attachment = AssignmentReportFile.objects.get(report__assignment=reported_other)
    assert "Секретный отчёт СмолГУ" in client_as(role).get(f"/tasks/{reported_other.pk}/").content.decode()
    assert client_as(role).get(f"/tasks/{reported_other.pk}/files/{attachment.pk}/").status_code == 200


def test_member_sees_his_own_organisations_reports(client_as, member_assignment, users):
    services.assignment_report_submit(assignment=member_assignment, author=users["member"], text="Наш отчёт")
    assert "Наш отчёт" in client_as("member").get(f"/tasks/{member_assignment.pk}/").content.decode()
