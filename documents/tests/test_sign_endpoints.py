"""Signing over HTTP with the key in the browser: /sign/prepare/ takes the certificate (public only) and
returns the signed attributes to sign; /sign/finish/ takes the signature value, checks it and only then
stores it. The key and its password never reach the server (the page has no upload for them)."""

import base64
import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.testing import Row, cases, check, expect
from documents.client import sign_locally
from documents.models import PreparedSigning, ProtocolDocument, ProtocolSignature
from documents.pki import issue_pkcs12, make_authority
from documents.tests.conftest import finish, prepare, sign_over_http
from documents.verification import VALID, verify_pdf
from meetings.models import Meeting, MeetingStatus

pytestmark = pytest.mark.django_db


def stored(document):
    with document.file.open("rb") as handle:
        return handle.read()


def nothing_stored(meeting):
    return not ProtocolDocument.objects.filter(meeting=meeting).exists() and not ProtocolSignature.objects.filter(
        document__meeting=meeting).exists()


def test_two_signers_sign_in_order_over_http_and_the_file_verifies(meeting_2017, client_as, demo_keys, demo):
    chair, secretary = client_as("churanov"), client_as("belokopytov")
    prepared = prepare(chair, meeting_2017, demo_keys["churanov"], demo_keys["password"])
    data = prepared.json()
    assert prepared.status_code == 200 and data["version"] == 1 and data["digest_algorithm"] == "SHA-256"
    assert len(data["document_digest"]) == 64 and data["protocol"] == str(meeting_2017)
    assert nothing_stored(meeting_2017)  # preparing stores no document
    signature = sign_locally(base64.b64decode(data["signed_attrs"]), demo_keys["churanov"], demo_keys["password"])
    response = finish(chair, meeting_2017, data["token"], signature)
    assert response.status_code == 200 and response.json()["complete"] is False

    response = sign_over_http(secretary, meeting_2017, demo_keys["belokopytov"], demo_keys["password"])
    assert response.status_code == 200 and response.json()["complete"] is True
    meeting_2017.refresh_from_db()
    assert meeting_2017.status == MeetingStatus.SIGNED
    document = ProtocolDocument.objects.get(meeting=meeting_2017)
    report = verify_pdf(stored(document))
    assert [s.verdict for s in report.signatures] == [VALID, VALID] and report.registered_as == "final"
    p = demo["people"]
    assert [s.certificate.owner for s in report.signatures] == [p["churanov"].full_name, p["belokopytov"].full_name]
    assert [s.signer for s in document.signatures.all()] == [p["churanov"], p["belokopytov"]]
    # The prepared PDFs are not kept once used.
    assert all(bytes(r.prepared_pdf) == b"" for r in PreparedSigning.objects.filter(meeting=meeting_2017))


def test_ecdsa_value_in_webcrypto_form_is_accepted(meeting_2017, client_as, demo_keys):
    """WebCrypto returns r‖s: the server turns it into the DER CMS needs (the page sends DER already)."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    client = client_as("churanov")
    data = prepare(client, meeting_2017, demo_keys["churanov"], demo_keys["password"]).json()
    r, s = decode_dss_signature(sign_locally(base64.b64decode(data["signed_attrs"]), demo_keys["churanov"],
                                             demo_keys["password"]))
    response = finish(client, meeting_2017, data["token"], r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    assert response.status_code == 200


def test_certificate_of_an_unknown_ca_is_refused_before_anything_is_prepared(meeting_2017, client_as, foreign_pki):
    response = prepare(client_as("churanov"), meeting_2017, foreign_pki["secretary"], foreign_pki["password"])
    assert response.status_code == 400 and "не доверяет" in response.json()["error"]
    assert not PreparedSigning.objects.filter(meeting=meeting_2017).exists() and nothing_stored(meeting_2017)


def test_certificate_of_another_person_is_refused_unless_confirmed(meeting_2017, client_as, demo_keys):
    client = client_as("churanov")
    response = prepare(client, meeting_2017, demo_keys["chair"], demo_keys["password"])
    assert response.status_code == 400 and response.json()["owner_mismatch"] is True
    assert "не совпадает с вами" in response.json()["error"]
    assert not PreparedSigning.objects.filter(meeting=meeting_2017).exists() and nothing_stored(meeting_2017)
    response = sign_over_http(client, meeting_2017, demo_keys["chair"], demo_keys["password"],
                              confirm_owner_mismatch=True)
    assert response.status_code == 200


def test_a_login_that_is_not_the_next_signer_is_refused(meeting_2017, client_as, demo_keys):
    # Белокопытов signs second; today's chair is not a printed signer of 2017 at all.
    response = prepare(client_as("belokopytov"), meeting_2017, demo_keys["belokopytov"], demo_keys["password"])
    assert response.status_code == 400 and "Сначала протокол подписывает" in response.json()["error"]
    response = prepare(client_as("chair"), meeting_2017, demo_keys["chair"], demo_keys["password"])
    assert response.status_code == 400 and "подписать за другого нельзя" in response.json()["error"]
    assert not PreparedSigning.objects.filter(meeting=meeting_2017).exists() and nothing_stored(meeting_2017)


def test_a_signature_by_another_key_is_refused_and_nothing_is_stored(meeting_2017, client_as, demo_keys, demo):
    """The certificate presented is the signer's, the value was made with some other key: pyHanko's check fails."""
    client = client_as("churanov")
    data = prepare(client, meeting_2017, demo_keys["churanov"], demo_keys["password"]).json()
    other = issue_pkcs12(make_authority(), "Чуранов Василий Сергеевич", "x")
    response = finish(client, meeting_2017, data["token"], sign_locally(base64.b64decode(data["signed_attrs"]), other, "x"))
    assert response.status_code == 400 and "не соответствует сертификату" in response.json()["error"]
    assert nothing_stored(meeting_2017)
    assert Meeting.objects.get(pk=meeting_2017.pk).status == MeetingStatus.APPROVED


def test_a_finished_signature_cannot_be_replayed(meeting_2017, client_as, demo_keys):
    client = client_as("churanov")
    data = prepare(client, meeting_2017, demo_keys["churanov"], demo_keys["password"]).json()
    signature = sign_locally(base64.b64decode(data["signed_attrs"]), demo_keys["churanov"], demo_keys["password"])
    assert finish(client, meeting_2017, data["token"], signature).status_code == 200
    before = ProtocolDocument.objects.get(meeting=meeting_2017).sha256
    response = finish(client, meeting_2017, data["token"], signature)
    assert response.status_code == 400 and "уже принята" in response.json()["error"]
    assert ProtocolSignature.objects.filter(document__meeting=meeting_2017).count() == 1
    assert ProtocolDocument.objects.get(meeting=meeting_2017).sha256 == before


def test_an_older_preparation_stops_counting_when_a_new_one_is_made(meeting_2017, client_as, demo_keys):
    """Two tabs: the second preparation replaces the first, whose signature is then refused."""
    client = client_as("churanov")
    first = prepare(client, meeting_2017, demo_keys["churanov"], demo_keys["password"]).json()
    second = prepare(client, meeting_2017, demo_keys["churanov"], demo_keys["password"]).json()
    signature = sign_locally(base64.b64decode(first["signed_attrs"]), demo_keys["churanov"], demo_keys["password"])
    response = finish(client, meeting_2017, first["token"], signature)
    assert response.status_code == 400 and "не найдена" in response.json()["error"]
    assert nothing_stored(meeting_2017)
    signature = sign_locally(base64.b64decode(second["signed_attrs"]), demo_keys["churanov"], demo_keys["password"])
    assert finish(client, meeting_2017, second["token"], signature).status_code == 200


def test_a_preparation_on_a_changed_protocol_is_refused(meeting_2017, client_as, demo_keys):
    client = client_as("churanov")
    data = prepare(client, meeting_2017, demo_keys["churanov"], demo_keys["password"]).json()
    Meeting.objects.filter(pk=meeting_2017.pk).update(revision=meeting_2017.revision + 1)  # edited meanwhile
    signature = sign_locally(base64.b64decode(data["signed_attrs"]), demo_keys["churanov"], demo_keys["password"])
    response = finish(client, meeting_2017, data["token"], signature)
    assert response.status_code == 400 and "изменился" in response.json()["error"]
    assert nothing_stored(meeting_2017)


def test_an_expired_preparation_is_refused(meeting_2017, client_as, demo_keys, settings):
    client = client_as("churanov")
    data = prepare(client, meeting_2017, demo_keys["churanov"], demo_keys["password"]).json()
    signature = sign_locally(base64.b64decode(data["signed_attrs"]), demo_keys["churanov"], demo_keys["password"])
    later = timezone.now() + datetime.timedelta(seconds=settings.SIGNING_PREPARE_TTL + 5)
    with time_machine.travel(later, tick=False):
        response = finish(client, meeting_2017, data["token"], signature)
    assert response.status_code == 400 and "истекло" in response.json()["error"]
    assert nothing_stored(meeting_2017)


def test_someone_elses_token_is_refused(meeting_2017, client_as, demo_keys):
    data = prepare(client_as("churanov"), meeting_2017, demo_keys["churanov"], demo_keys["password"]).json()
    signature = sign_locally(base64.b64decode(data["signed_attrs"]), demo_keys["churanov"], demo_keys["password"])
    response = finish(client_as("belokopytov"), meeting_2017, data["token"], signature)
    assert response.status_code == 400 and "не найдена" in response.json()["error"]
    assert nothing_stored(meeting_2017)


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"certificate": "%%%"}', b'{"certificate": 5}',
                                  b'{"certificate": "AAAA"}', b'{"certificate": "AAAA", "chain": "x"}'])
def test_malformed_prepare_requests_are_400(meeting_2017, client_as, body):
    response = client_as("churanov").post(reverse("documents:protocol-sign-prepare", args=[meeting_2017.pk]), body,
                                          content_type="application/json")
    assert response.status_code == 400
    assert not PreparedSigning.objects.filter(meeting=meeting_2017).exists()


@pytest.mark.parametrize("body", [b"{}", b'{"token": "x"}', b'{"token": "x", "signature": "%%"}',
                                  b'{"token": "x", "signature": "AAAA"}'])
def test_malformed_finish_requests_are_400(meeting_2017, client_as, body):
    response = client_as("churanov").post(reverse("documents:protocol-sign-finish", args=[meeting_2017.pk]), body,
                                          content_type="application/json")
    assert response.status_code == 400 and nothing_stored(meeting_2017)


def test_the_signing_page_no_longer_accepts_a_key_upload(meeting_2017, client_as, demo_keys):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("documents:protocol-sign", args=[meeting_2017.pk])
    response = client_as("churanov").post(url, {"pkcs12": SimpleUploadedFile("k.p12", demo_keys["churanov"]),
                                                "password": demo_keys["password"]})
    assert response.status_code == 405 and nothing_stored(meeting_2017)
    html = client_as("churanov").get(url).content.decode()
    assert 'id="sign-pkcs12"' in html and 'name="pkcs12"' not in html and 'name="password"' not in html
    assert 'data-signer="pkcs12"' in html and "js/signing.js" in html


def test_the_cryptopro_client_is_chosen_by_configuration(meeting_2017, client_as, settings):
    settings.SIGNING_CLIENT = "cryptopro"
    html = client_as("churanov").get(reverse("documents:protocol-sign", args=[meeting_2017.pk])).content.decode()
    assert 'data-signer="cryptopro"' in html and 'id="sign-cryptopro-cert"' in html and 'id="sign-pkcs12"' not in html


# The secretary, the chair and the administrator see the signing page (the service then refuses them as signers).
PREPARE = expect(400, 400, 403, 404, 400, churanov=400, belokopytov=400)


def prepare_url(objects):
    return reverse("documents:protocol-sign-prepare", args=[objects["meeting_2017"].pk])


def finish_url(objects):
    return reverse("documents:protocol-sign-finish", args=[objects["meeting_2017"].pk])


TABLE = [
    # A form-encoded body is not the JSON the page sends: 400 for the signers, before that 403/404 for the rest.
    Row("prepare", prepare_url, "post", PREPARE, data={"certificate": "x"}),
    Row("finish", finish_url, "post", PREPARE, data={"token": "x"}),
    Row("prepare_get", prepare_url, "get", expect(405, 405, 405, 405, 405, churanov=405)),
]


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permissions(demo, client_as, row, role):
    check(client_as(role), row, role, demo)


@pytest.mark.parametrize("extra_signatures", [0, 6])
def test_prepare_and_finish_queries_do_not_grow_with_versions(meeting_2023, client_as, users, demo_keys,
                                                              django_assert_max_num_queries, extra_signatures):
    """The second signer's prepare and finish: a bounded number of queries, however many old versions exist."""
    from documents.client import sign_with_pkcs12
    from documents.services import protocol_correction_start

    document = ProtocolDocument.objects.get(meeting=meeting_2023)
    for version in range(2, 2 + extra_signatures):
        ProtocolDocument.objects.create(meeting=meeting_2023, version=version, file=document.file.name,
                                        sha256=f"{version:064x}", is_complete=True, superseded_at=timezone.now())
    protocol_correction_start(meeting=meeting_2023, user=users["secretary"], reason="Опечатка")
    Meeting.objects.filter(pk=meeting_2023.pk).update(status=MeetingStatus.APPROVED)
    sign_with_pkcs12(meeting=meeting_2023, user=users["chair"], pkcs12=demo_keys["chair"], password=demo_keys["password"])
    client = client_as("secretary")
    with django_assert_max_num_queries(40):
        data = prepare(client, meeting_2023, demo_keys["secretary"], demo_keys["password"]).json()
    signature = sign_locally(base64.b64decode(data["signed_attrs"]), demo_keys["secretary"], demo_keys["password"])
    with django_assert_max_num_queries(45):
        assert finish(client, meeting_2023, data["token"], signature).status_code == 200
