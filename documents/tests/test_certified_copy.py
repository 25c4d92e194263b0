import pytest
from django.urls import reverse

from documents.pki import issue_pkcs12, make_authority
from documents.services import protocol_certified_copy
from documents.verification import verify_pdf
from documents.models import ProtocolDocument
from core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def seal(settings, tmp_path):
    authority = make_authority("УЦ печати портала")
    (tmp_path / "seal-ca.pem").write_bytes(authority.pem)
    (tmp_path / "seal.p12").write_bytes(issue_pkcs12(authority, "Кластерный портал", "seal-password"))
    settings.SIGNING_SEAL_PKCS12 = str(tmp_path / "seal.p12")
    settings.SIGNING_SEAL_PASSWORD = "seal-password"
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "seal-ca.pem")]


@pytest.fixture
def document(demo):
    return ProtocolDocument.objects.get(meeting=demo["meeting_2023"])


def test_certified_copy_has_three_valid_signatures_and_contains_the_registered_protocol(seal, document):
    report = verify_pdf(protocol_certified_copy(document=document))
    assert [s.ok for s in report.signatures] == [True, True, True]
    assert report.registered == document and report.registered_as == "copy"


def test_certified_copy_needs_a_configured_seal(document, settings):
    settings.SIGNING_SEAL_PKCS12 = ""
    with pytest.raises(DomainError, match="печать портала не настроена"):
        protocol_certified_copy(document=document)


@pytest.mark.parametrize("role, expected", [("member", 200), ("outsider", 404), (None, 302)])
def test_members_take_certified_copies(seal, document, client_as, role, expected):
    url = reverse("documents:protocol-certified-copy", args=[document.meeting_id])
    assert client_as(role).get(url).status_code == expected
