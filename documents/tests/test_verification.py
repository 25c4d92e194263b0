import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.verification import INVALID, VALID, verify_pdf
from documents.models import ProtocolDocument, ProtocolSignature

pytestmark = pytest.mark.django_db
VERIFY = "/verify/"


@pytest.fixture
def document(meeting_2023):
    return ProtocolDocument.objects.get(meeting=meeting_2023)


@pytest.fixture
def genuine(document):
    with document.file.open("rb") as handle:
        return handle.read()


def upload(client, data, url=VERIFY, name="protocol.pdf"):
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_genuine_file_has_two_valid_signatures_and_is_registered(client, genuine, document):
    response = upload(client, genuine)
    report = response.context["report"]
    assert [s.verdict for s in report.signatures] == [VALID, VALID]
    assert report.registered == document and report.registered_as == "final"
    assert response.content.decode().count("Подпись действительна") == 2


def test_tampered_file_is_invalid(client, genuine):
    tampered = bytearray(genuine)
    tampered[len(tampered) // 3] ^= 0x20
    response = upload(client, bytes(tampered))
    assert not response.context["report"].ok
    assert "Подпись действительна" not in response.content.decode()


def test_foreign_ca_is_not_trusted(foreign_signed_pdf):
    check = verify_pdf(foreign_signed_pdf).signatures[0]
    assert check.intact and not check.trusted
    assert check.verdict == INVALID and "неизвестным удостоверяющим центром" in check.reasons[0]


def test_non_pdf_gets_a_clear_answer(client):
    response = upload(client, b"just some text, not a document", name="notes.txt")
    assert "Это не PDF-файл." in response.content.decode()


def test_pdf_without_signatures_gets_a_clear_answer(meeting_2017):
    from documents.rendering import render_protocol_pdf

    assert verify_pdf(render_protocol_pdf(meeting_2017)).error == "В файле нет электронных подписей."


def test_unsigned_data_appended_after_the_last_signature_is_reported(genuine):
    from io import BytesIO

    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(genuine))
    writer.document_meta.title = "Изменено"
    writer.root["/Lang"] = TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert not report.signatures[-1].ok and report.registered is None
    assert NameObject  # imported for clarity of the PDF object model


def test_first_signers_file_is_registered_as_intermediate(meeting_2017, sign_as):
    document = sign_as("churanov", meeting_2017)
    with document.file.open("rb") as handle:
        first = handle.read()
    sign_as("belokopytov", meeting_2017)
    report = verify_pdf(first)
    assert report.ok and report.registered_as == "partial"


def test_upload_size_is_limited(client, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = upload(client, b"%PDF-" + b"0" * 2000)
    assert response.context["report"] is None and "слишком большой" in response.content.decode()


def test_link_printed_on_the_pdf_opens_the_registered_protocol(client, document, genuine):
    from documents.tests.conftest import pdf_text

    url = reverse("documents:verify-document", args=[document.public_id])
    assert url in pdf_text(genuine)
    response = client.get(url)
    assert response.status_code == 200 and "Протокол № 2 от 30 марта 2023 г." in response.content.decode()


def test_registered_protocol_is_found_by_sha256(client, document):
    assert client.get(reverse("documents:verify-document", args=[document.sha256])).status_code == 200
    assert client.get(reverse("documents:verify-document", args=["0" * 64])).status_code == 404


def test_upload_on_the_document_page_compares_the_file(client, document, genuine):
    url = reverse("documents:verify-document", args=[document.public_id])
    assert upload(client, genuine, url=url).context["report"].registered == document


@pytest.mark.parametrize("role", ["secretary", "chair", "member", "outsider", "admin", None])
def test_verification_pages_are_public(client_as, document, role):
    client = client_as(role)
    assert client.get(VERIFY).status_code == 200
    assert client.get(reverse("documents:verify-document", args=[document.public_id])).status_code == 200


def test_document_page_queries_do_not_grow_with_signatures(client, document, django_assert_max_num_queries):
    url = reverse("documents:verify-document", args=[document.public_id])
    with django_assert_max_num_queries(3):  # document + meeting + cluster; its signatures
        client.get(url)
    first = document.signatures.first()
    for order in range(3, 9):
        first.pk, first.order = None, order
        first.save()
    assert ProtocolSignature.objects.filter(document=document).count() == 8
    with django_assert_max_num_queries(3):
        client.get(url)


def test_sign_page_queries_do_not_grow_with_versions(client_as, meeting_2023, document, django_assert_max_num_queries):
    url = reverse("documents:protocol-sign", args=[meeting_2023.pk])
    client = client_as("secretary")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for version in range(2, 6):
        ProtocolDocument.objects.create(meeting=meeting_2023, version=version, file=document.file.name,
                                        sha256=f"{version:064x}", is_complete=True, corrects=document)
    with django_assert_max_num_queries(len(small)):
        client.get(url)
