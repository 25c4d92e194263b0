import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from core.testing import Row, cases, check, expect
from documents.services import sha256_hex
from documents.tests.conftest import pdf_text, squash
from documents.verification import trust_roots, verify_pdf
from meetings.models import Decision
from documents.models import ProtocolDocument

pytestmark = pytest.mark.django_db


def pdf_url(meeting, query=""):
    return reverse("documents:protocol-pdf", args=[meeting.pk]) + query


@pytest.fixture
def signed_pdf(client_as, meeting_2023):
    response = client_as("chair").get(pdf_url(meeting_2023))
    return b"".join(response.streaming_content)


def test_download_returns_the_stored_bytes_unchanged(signed_pdf, meeting_2023):
    assert sha256_hex(signed_pdf) == ProtocolDocument.objects.get(meeting=meeting_2023).sha256


def test_downloaded_pdf_has_two_intact_trusted_signatures_the_last_covering_the_file(signed_pdf):
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    signatures = PdfFileReader(io.BytesIO(signed_pdf)).embedded_signatures
    statuses = [validate_pdf_signature(sig, context) for sig in signatures]
    assert [(s.intact, s.trusted, s.bottom_line) for s in statuses] == [(True, True, True)] * 2
    assert statuses[-1].coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_one_changed_byte_makes_verification_fail(signed_pdf):
    tampered = bytearray(signed_pdf)
    tampered[len(tampered) // 4] ^= 0x01
    report = verify_pdf(bytes(tampered))
    assert not report.ok and report.registered is None


def test_signed_pdf_prints_every_decision_deadline_party_and_both_signature_marks(signed_pdf, meeting_2023):
    text = pdf_text(signed_pdf)
    decisions = Decision.objects.filter(agenda_item__meeting=meeting_2023)
    assert all(squash(d.text) in squash(text) for d in decisions)
    assert "Срок: до 12 мая 2023 года" in text
    assert "Ответственный: секретарь координационного совета Кластера ИКТ" in text
    assert text.count("ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ") == 2
    assert "Владелец: Рудометкин А. Н." in text and "Владелец: Кудрявцева Татьяна Владимировна" in text


def test_unsigned_protocol_is_rendered_on_the_fly_for_the_secretary(client_as, meeting_2017):
    response = client_as("secretary").get(pdf_url(meeting_2017, "?form=short"))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")


def test_extract_of_one_item_is_downloadable(client_as, meeting_2023):
    response = client_as("secretary").get(pdf_url(meeting_2023, "?item=2"))
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in pdf_text(response.content)


# ---------------------------------------------------------------- permissions

PDF_2023 = expect(200, 200, 200, 404, 200)
PDF_2017 = expect(200, 200, 403, 404, 200)
SIGN_2017 = expect(200, 200, 403, 404, 200)
OTHER_CLUSTER = expect(404, 404, 404, 403, 200)
# The outsider (Петров) is the printed chair and secretary of his cluster's approved protocol: he signs it.
SIGN_OTHER_CLUSTER = expect(404, 404, 404, 200, 200)


def sign_url(meeting):
    return reverse("documents:protocol-sign", args=[meeting.pk])


def other_meeting(demo):
    return demo["other_cluster"].meetings.get()


def signature_post(demo, login="secretary"):
    return {"pkcs12": SimpleUploadedFile("k.p12", demo["demo_keys"][login]), "password": demo["demo_keys"]["password"]}


TABLE = [
    Row("pdf_2023", lambda d: pdf_url(d["meeting_2023"]), "get", PDF_2023),
    Row("pdf_2023_short", lambda d: pdf_url(d["meeting_2023"], "?form=short"), "get", PDF_2017),
    Row("pdf_2017", lambda d: pdf_url(d["meeting_2017"]), "get", PDF_2017),
    Row("sign_2017", lambda d: sign_url(d["meeting_2017"]), "get", SIGN_2017),
    Row("sign_2023", lambda d: sign_url(d["meeting_2023"]), "get", SIGN_2017),
    Row("pdf_other_cluster", lambda d: pdf_url(other_meeting(d)), "get", OTHER_CLUSTER),
    Row("sign_other_cluster", lambda d: sign_url(other_meeting(d)), "get", SIGN_OTHER_CLUSTER),
    # The signing page takes no key upload any more (people sign in the browser: /sign/prepare/ and
    # /sign/finish/, documents/tests/test_sign_endpoints.py): a POST is 405 whoever sends it.
    Row("sign_2017", lambda d: sign_url(d["meeting_2017"]), "post",
        {"member": 405, "outsider": 405, "churanov": 405, "chair": 405, None: 302}, data=signature_post),
    Row("sign_2023", lambda d: sign_url(d["meeting_2023"]), "post",
        {"member": 405, "outsider": 405, None: 302}, data=signature_post),
]


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permissions(demo, demo_keys, client_as, row, role):
    check(client_as(role), row, role, {**demo, "demo_keys": demo_keys})


def test_draft_pdf_is_hidden_from_members(demo, client_as):
    meeting = demo["meeting_2017"]
    meeting.status = "draft"
    meeting.save()
    assert client_as("member").get(pdf_url(meeting)).status_code == 404
    assert "ПРОЕКТ" in pdf_text(client_as("chair").get(pdf_url(meeting)).content, raw=True)


def test_superseded_version_stays_downloadable(demo, client_as, sign_as, users):
    from documents.services import protocol_correction_start

    meeting = demo["meeting_2023"]
    old = ProtocolDocument.objects.get(meeting=meeting)
    protocol_correction_start(meeting=meeting, user=users["secretary"], reason="Опечатка в фамилии")
    response = client_as("secretary").get(pdf_url(meeting, "?version=1"))
    assert sha256_hex(b"".join(response.streaming_content)) == old.sha256


@pytest.mark.parametrize("fraction", [i / 20 for i in range(1, 20)])
def test_a_changed_byte_anywhere_gives_a_verdict_not_a_crash(signed_pdf, fraction):
    # A byte inside the zero padding of a signature's /Contents is outside every signed
    # range, so the signatures may still hold; the file is then no longer the registered one.
    tampered = bytearray(signed_pdf)
    tampered[int(len(tampered) * fraction)] ^= 0x01
    report = verify_pdf(bytes(tampered))
    assert not report.ok or report.registered is None


def test_a_broken_object_header_is_reported_as_a_damaged_file(signed_pdf):
    position = signed_pdf.index(b" 0 obj", len(signed_pdf) // 3)
    tampered = signed_pdf[:position] + b"!" + signed_pdf[position + 1:]
    report = verify_pdf(tampered)
    assert not report.ok


def test_an_unknown_stream_filter_is_reported_as_a_damaged_file(signed_pdf):
    tampered = signed_pdf.replace(b"/FlateDecode", b"/FlateDecoee")
    report = verify_pdf(tampered)
    assert not report.ok
