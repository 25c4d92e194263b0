"""Submitting an execution report through the API: the page's form and service, the same rules and
messages (Russian), nothing half-saved when refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing import assert_unchanged, database_state
from meetings.models import AssignmentStatus
from tasks.models import AssignmentReport

pytestmark = pytest.mark.django_db


def url(assignment):
    return f"/api/v1/assignments/{assignment.pk}/reports/"


def test_the_responsible_member_reports_with_json(api_as, member_assignment):
    response = api_as("member").post(url(member_assignment), {"text": "  Проведено совещание.  "}, format="json")
    assert response.status_code == 201
    assert response.json()["text"] == "Проведено совещание."
    member_assignment.refresh_from_db()
    assert member_assignment.status == AssignmentStatus.REPORTED
    report = AssignmentReport.objects.get(assignment=member_assignment)
    assert report.author.username == "member"


def test_a_report_carries_files_with_multipart(api_as, member_assignment):
    upload = SimpleUploadedFile("отчёт.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = api_as("member").post(url(member_assignment), {"text": "Отчёт с файлом.", "files": [upload]},
                                     format="multipart")
    assert response.status_code == 201
    assert [f["name"] for f in response.json()["files"]] == ["отчёт.pdf"]


def test_a_file_of_a_refused_type_is_a_400_and_nothing_is_saved(api_as, member_assignment):
    client = api_as("member")
    before = database_state()
    upload = SimpleUploadedFile("script.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url(member_assignment), {"text": "Отчёт.", "files": [upload]}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "script.exe" in body["errors"]["files"][0] and "не принимается" in body["errors"]["files"][0] \
        or "script.exe" in body["detail"]
    assert_unchanged(before)


def test_an_empty_report_is_refused_in_russian(api_as, member_assignment):
    client = api_as("member")
    before = database_state()
    response = client.post(url(member_assignment), {"text": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["text"] == ["Обязательное поле."]
    assert_unchanged(before)


@pytest.mark.parametrize("payload", [{"text": 5}, {"text": ["a"]}, {"text": None}, [], "text"])
def test_a_malformed_body_is_a_400(api_as, member_assignment, payload):
    client = api_as("member")
    before = database_state()
    response = client.post(url(member_assignment), payload, format="json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert_unchanged(before)


def test_broken_json_is_a_400_in_russian(api_as, member_assignment):
    response = api_as("member").post(url(member_assignment), data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "JSON" in response.json()["detail"]


def test_a_nul_byte_in_the_text_is_a_400(api_as, member_assignment):
    response = api_as("member").post(url(member_assignment), {"text": "a\x00b"}, format="json")
    assert response.status_code == 400


def test_a_second_report_while_one_waits_is_refused_by_the_service(api_as, member_assignment):
    client = api_as("member")
    assert client.post(url(member_assignment), {"text": "Первый."}, format="json").status_code == 201
    before = database_state()
    response = client.post(url(member_assignment), {"text": "Второй."}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "domain_error"
    assert response.json()["detail"].startswith("Отчёт сейчас отправить нельзя")
    assert_unchanged(before)


def test_the_reporter_sees_the_report_and_another_member_organisation_does_not(api_as, demo, member_assignment):
    api_as("member").post(url(member_assignment), {"text": "Сделано."}, format="json")
    mine = api_as("member").get(f"/api/v1/assignments/{member_assignment.pk}/").json()
    assert [r["text"] for r in mine["reports"]] == ["Сделано."] and mine["can_see_reports"]
    secretary = api_as("secretary").get(f"/api/v1/assignments/{member_assignment.pk}/").json()
    assert [r["text"] for r in secretary["reports"]] == ["Сделано."] and not secretary["can_report"]
    # Чуранов's organisation is another member of the cluster: he sees the assignment, not the report
    other = api_as("churanov").get(f"/api/v1/assignments/{member_assignment.pk}/").json()
    assert other["reports"] == [] and other["can_see_reports"] is False


def test_without_a_token_or_with_a_revoked_one_nothing_is_saved(api_as, users, member_assignment):
    from api.models import ApiToken
    from api.services import api_token_revoke
    from api.tests.test_tokens import bearer
    from rest_framework.test import APIClient

    client = api_as("member")
    secret = client._credentials["HTTP_AUTHORIZATION"].split()[1]
    api_token_revoke(token=ApiToken.objects.get(user=users["member"]))
    before = database_state()
    for anonymous_or_revoked in (APIClient(), bearer(secret)):
        response = anonymous_or_revoked.post(url(member_assignment), {"text": "Отчёт."}, format="json")
        assert response.status_code == 401
    assert_unchanged(before)


def test_a_session_post_needs_the_csrf_token(users, member_assignment):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["member"])
    before = database_state()
    response = client.post(url(member_assignment), {"text": "Отчёт."}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert_unchanged(before)
