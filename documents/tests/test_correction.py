"""«Внести исправления»: the secretary reopens a signed protocol with a reason; the old version stays."""

import pytest
from django.urls import reverse

from documents.models import ProtocolCorrection
from meetings.models import MeetingStatus
from documents.models import ProtocolDocument

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "chair", "member", "outsider", "admin", None]
VALID = {"reason": "В пункте 2 неверно указан срок", "confirm": "on"}
GET_2023 = {"secretary": 200, "chair": 403, "member": 403, "outsider": 404, "admin": 200, None: 302}
POST_2023 = {"secretary": 302, "chair": 403, "member": 403, "outsider": 404, "admin": 302, None: 302}
OTHER_CLUSTER = {"secretary": 404, "chair": 404, "member": 404, "outsider": 403, "admin": 200, None: 302}


def correction_url(meeting):
    return reverse("documents:protocol-correction", args=[meeting.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_permissions(demo, client_as, role, method):
    url = correction_url(demo["meeting_2023"])
    expected = GET_2023 if method == "get" else POST_2023
    assert getattr(client_as(role), method)(url, VALID).status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_permissions_in_another_cluster(demo, client_as, role):
    other = demo["other_cluster"].meetings.get()
    assert client_as(role).get(correction_url(other)).status_code == OTHER_CLUSTER[role]


def test_secretary_sees_the_action_on_a_signed_protocol_and_the_chair_does_not(demo, client_as):
    page = reverse("meetings:meeting-detail", args=[demo["meeting_2023"].pk])
    url = correction_url(demo["meeting_2023"])
    assert url in client_as("secretary").get(page).content.decode()
    assert url not in client_as("chair").get(page).content.decode()


def test_correction_returns_the_protocol_to_the_editor_with_the_reason_kept(demo, client_as):
    meeting, client = demo["meeting_2023"], client_as("secretary")
    response = client.post(correction_url(meeting), VALID)
    meeting.refresh_from_db()
    assert response.url == reverse("meetings:meeting-edit", args=[meeting.pk]) and meeting.status == MeetingStatus.DRAFT
    assert ProtocolCorrection.objects.get().reason == VALID["reason"]
    assert client.get(response.url).status_code == 200


def test_reason_and_confirmation_are_required_and_nothing_changes_without_them(demo, client_as):
    meeting = demo["meeting_2023"]
    response = client_as("secretary").post(correction_url(meeting), {"reason": "  "})
    meeting.refresh_from_db()
    assert response.status_code == 200 and "Обязательное поле" in response.content.decode()
    assert meeting.status == MeetingStatus.SIGNED and not ProtocolCorrection.objects.exists()


def test_old_version_stays_downloadable_and_is_shown_as_superseded_by_the_new_one(demo, client_as, sign_as):
    meeting, client = demo["meeting_2023"], client_as("secretary")
    client.post(correction_url(meeting), VALID)
    page = reverse("meetings:meeting-detail", args=[meeting.pk])
    assert "Исправляется" in client.get(page).content.decode()
    meeting.refresh_from_db()
    meeting.status = MeetingStatus.APPROVED  # edited, sent and approved again
    meeting.save()
    sign_as("chair", meeting)
    sign_as("secretary", meeting)
    html = client_as("member").get(page).content.decode()
    assert "Заменён версией 2" in html and VALID["reason"] in html
    old = client_as("member").get(reverse("documents:protocol-pdf", args=[meeting.pk]) + "?version=1")
    assert old.status_code == 200


def test_correction_page_queries_do_not_grow_with_versions(demo, client_as, django_assert_max_num_queries):
    meeting, client = demo["meeting_2023"], client_as("secretary")
    url = correction_url(meeting)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for version in range(2, 12):
        ProtocolDocument.objects.create(meeting=meeting, version=version, file=f"protocols/x{version}.pdf",
                                        sha256="0" * 64, is_complete=True)
    with django_assert_max_num_queries(len(small)):
        client.get(url)
