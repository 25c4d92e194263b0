"""A protocol signed by one person, end to end through the pages and without a browser: the secretary
sends it (no secretary is needed when the chair alone signs, no chair when the secretary alone signs),
the chair approves it, its one signer signs it, and /verify/ says the signature is valid. The page, the
PDF's signature block and the stamp name the same person."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from documents.tests.conftest import pdf_text, sign_over_http, squash
from meetings.models import AgendaItem, Decision, DecisionKind, Meeting, MeetingStatus
from members.access import access_for
from members.models import SignatoriesStyle

pytestmark = pytest.mark.django_db


def one_signer_draft(demo, *, style, chair=True, secretary=True):
    p = demo["people"]
    meeting = Meeting.objects.create(
        cluster=demo["cluster"], body=demo["council"], number="7", date=datetime.date.today(), city="г. Смоленск",
        chair=p["rudometkin"] if chair else None, secretary=p["kudryavtseva"] if secretary else None,
        signatories=style,
    )
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="О подготовке к учебному году.")
    Decision.objects.create(agenda_item=item, order=1, text="Принять информацию к сведению.", kind=DecisionKind.NOTE)
    return meeting


@pytest.mark.parametrize("style, signer_login, signer_key, position, name", [
    (SignatoriesStyle.CHAIR, "chair", "rudometkin", "Председатель Координационного совета", "А.Н. Рудометкин"),
    (SignatoriesStyle.SECRETARY, "secretary", "kudryavtseva", "Секретарь Координационного совета", "Т.В. Кудрявцева"),
])
def test_one_signer_protocol_is_submitted_approved_signed_and_verifies(
        demo, users, client_as, demo_keys, style, signer_login, signer_key, position, name):
    # The chair alone signs: no secretary in the protocol; the secretary alone: no chair line.
    meeting = one_signer_draft(demo, style=style, chair=style == SignatoriesStyle.CHAIR,
                               secretary=style == SignatoriesStyle.SECRETARY)
    # The demo re-elects its chair every five years (cluster_portal.demo.chair_terms): on any day the
    # ``chair`` login is the council's chair and approves.
    assert access_for(users["chair"], demo["cluster"].pk).is_chair
    secretary, chair, signer = client_as("secretary"), client_as("chair"), client_as(signer_login)

    secretary.post(reverse("meetings:meeting-submit", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ON_APPROVAL
    chair.post(reverse("meetings:meeting-approve", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED

    page = signer.get(reverse("meetings:meeting-detail", args=[meeting.pk])).content.decode()
    assert f"{position}</td><td>{name}" in page and page.count('class="protocol-signer-') == 1
    response = sign_over_http(signer, meeting, demo_keys[signer_login], demo_keys["password"])
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED

    pdf = b"".join(client_as("member").get(reverse("documents:protocol-pdf", args=[meeting.pk])).streaming_content)
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    text = squash(pdf_text(pdf))
    full_name = demo["people"][signer_key].full_name
    # The signature block (position, initials and surname) and the stamp drawn over it («Владелец: …»).
    assert squash(position) in text and squash(name) in text and squash(f"Владелец: {full_name}") in text
    other = "Кудрявцева" if style == SignatoriesStyle.CHAIR else "Рудометкин"
    assert squash(other) not in text

    report = client_as(None).post("/verify/", {"file": SimpleUploadedFile("p.pdf", pdf, "application/pdf")})
    report = report.context["report"]
    assert [s.verdict for s in report.signatures] == ["Подпись действительна"]
    assert report.signatures[0].certificate.owner == full_name
    assert report.registered_as == "final"


def test_a_one_signer_protocol_is_refused_for_approval_without_its_signer(demo, client_as):
    meeting = one_signer_draft(demo, style=SignatoriesStyle.CHAIR, chair=False)
    response = client_as("secretary").post(reverse("meetings:meeting-submit", args=[meeting.pk]), follow=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert "Перед отправкой на утверждение укажите председателя." in response.content.decode()
