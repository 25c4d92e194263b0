import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from documents.services import OwnerMismatch, protocol_correction_start, sha256_hex
from meetings.models import MeetingStatus
from documents.models import ProtocolDocument, ProtocolSignature
from core.errors import DomainError

pytestmark = pytest.mark.django_db


def signature_count(document):
    with document.file.open("rb") as handle:
        return len(PdfFileReader(io.BytesIO(handle.read())).embedded_signatures)


def test_demo_leaves_the_2023_protocol_signed_by_both(meeting_2023):
    document = ProtocolDocument.objects.get(meeting=meeting_2023)
    assert document.is_complete and signature_count(document) == 2
    assert list(document.signatures.values_list("role", flat=True)) == ["secretary", "chair"]


def test_secretary_then_chair_sign_and_the_protocol_is_signed(meeting_2017, sign_as):
    sign_as("secretary", meeting_2017)
    document = sign_as("chair", meeting_2017)
    meeting_2017.refresh_from_db()
    assert meeting_2017.status == MeetingStatus.SIGNED
    assert document.is_complete and signature_count(document) == 2


def test_chair_signs_incrementally_over_the_secretarys_file(meeting_2017, sign_as):
    first = sign_as("secretary", meeting_2017)
    with first.file.open("rb") as handle:
        secretary_bytes = handle.read()
    document = sign_as("chair", meeting_2017)
    with document.file.open("rb") as handle:
        final = handle.read()
    assert final.startswith(secretary_bytes)
    assert document.signatures.get(order=1).document_sha256 == sha256_hex(secretary_bytes)


def test_wrong_password_is_refused_and_nothing_is_stored(meeting_2017, sign_as):
    with pytest.raises(DomainError, match="неверный пароль"):
        sign_as("secretary", meeting_2017, password="wrong")
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_expired_certificate_is_refused(meeting_2017, sign_as, foreign_pki):
    with pytest.raises(DomainError, match="Срок действия сертификата истёк"):
        sign_as("secretary", meeting_2017, key=foreign_pki["expired"], password=foreign_pki["password"])
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_certificate_of_an_unknown_authority_is_refused_before_anything_is_stored(meeting_2017, sign_as, foreign_pki):
    meeting_2017.refresh_from_db()
    status = meeting_2017.status
    with pytest.raises(DomainError, match="удостоверяющим центром, которому портал не доверяет"):
        sign_as("secretary", meeting_2017, key=foreign_pki["secretary"], password=foreign_pki["password"])
    meeting_2017.refresh_from_db()
    assert meeting_2017.status == status
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_demo_ca_is_not_trusted_for_signing_outside_demo_mode(meeting_2017, sign_as, settings):
    settings.DEMO_MODE = False
    with pytest.raises(DomainError, match="которому портал не доверяет"):
        sign_as("secretary", meeting_2017)
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_a_configured_trust_root_is_accepted(meeting_2017, sign_as, foreign_pki, settings, tmp_path):
    root = tmp_path / "root.pem"
    root.write_bytes(foreign_pki["ca_pem"])
    settings.SIGNING_TRUST_ROOTS = [str(root)]
    document = sign_as("secretary", meeting_2017, key=foreign_pki["secretary"], password=foreign_pki["password"],
                       confirm_owner_mismatch=True)
    assert "Посторонний УЦ" in document.signatures.get().certificate_issuer


def test_someone_elses_certificate_needs_confirmation(meeting_2017, sign_as, demo_keys):
    with pytest.raises(OwnerMismatch, match="не совпадает"):
        sign_as("secretary", meeting_2017, key=demo_keys["chair"])
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()
    assert sign_as("secretary", meeting_2017, key=demo_keys["chair"], confirm_owner_mismatch=True).pk


def test_chair_cannot_sign_before_the_secretary(meeting_2017, sign_as):
    with pytest.raises(DomainError, match="Сначала протокол подписывает секретарь"):
        sign_as("chair", meeting_2017)


def test_secretary_cannot_sign_twice(meeting_2017, sign_as):
    sign_as("secretary", meeting_2017)
    with pytest.raises(DomainError, match="теперь его подписывает председатель"):
        sign_as("secretary", meeting_2017)
    assert ProtocolSignature.objects.filter(document__meeting=meeting_2017).count() == 1


def test_signed_protocol_cannot_be_signed_again(meeting_2023, sign_as):
    with pytest.raises(DomainError, match="уже подписан"):
        sign_as("chair", meeting_2023)


def test_draft_cannot_be_signed(meeting_2017, sign_as):
    meeting_2017.status = MeetingStatus.DRAFT
    meeting_2017.save()
    with pytest.raises(DomainError, match="Проект протокола подписать нельзя"):
        sign_as("secretary", meeting_2017)


def test_member_cannot_sign(meeting_2017, sign_as):
    with pytest.raises(DomainError, match="только секретарь и председатель"):
        sign_as("member", meeting_2017)


def test_correction_is_a_new_version_and_supersedes_the_old_one(meeting_2023, sign_as, users):
    old = ProtocolDocument.objects.get(meeting=meeting_2023)
    protocol_correction_start(meeting=meeting_2023, user=users["secretary"], reason="Опечатка в фамилии")
    meeting_2023.refresh_from_db()
    meeting_2023.status = MeetingStatus.APPROVED  # re-approved by the chair after editing
    meeting_2023.save()
    sign_as("secretary", meeting_2023)
    new = sign_as("chair", meeting_2023)
    old.refresh_from_db()
    assert (new.version, new.corrects_id) == (2, old.pk)
    assert old.superseded_at is not None and old.file.storage.exists(old.file.name)
