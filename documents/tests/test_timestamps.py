"""With SIGNING_TSA_URL set every signature is PAdES B-T: the CMS carries a signature-time-stamp token from the
TSA (pyHanko's HTTPTimeStamper, RFC 3161 over HTTP), and /verify/ reports its time. The TSA here is a local
HTTP server answering with pyHanko's DummyTimeStamper and a TSA certificate from a CA of the test's own."""

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.sign.timestamps import DummyTimeStamper

from core.errors import DomainError
from documents.models import ProtocolDocument
from documents.pki import make_authority
from documents.verification import VALID, verify_pdf

pytestmark = pytest.mark.django_db


def tsa_certificate(authority):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA signs with RSA only
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Служба штампов времени (тест)")]))
        .issuer_name(authority.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), critical=False)
        .sign(authority.key, hashes.SHA256())
    )
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return (asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            keys.PrivateKeyInfo.load(der_key))


@pytest.fixture
def local_tsa(settings, tmp_path):
    authority = make_authority("Тестовый УЦ службы времени")
    cert, key = tsa_certificate(authority)
    stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key,
                               certs_to_embed=[asn1_x509.Certificate.load(authority.cert.public_bytes(
                                   serialization.Encoding.DER))])
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(self.headers.get("Content-Type"))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    root = tmp_path / "tsa-root.pem"
    root.write_bytes(authority.pem)
    settings.SIGNING_TSA_URL = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    settings.SIGNING_TRUST_ROOTS = [str(root)]
    yield {"requests": requests, "root": root}
    server.shutdown()
    server.server_close()


def stored(document):
    with document.file.open("rb") as handle:
        return handle.read()


def test_with_a_tsa_each_signature_is_b_t_and_verification_reports_the_time(meeting_2017, sign_as, local_tsa, client_as):
    before = datetime.datetime.now(datetime.UTC)
    sign_as("churanov", meeting_2017)
    document = sign_as("belokopytov", meeting_2017)
    assert local_tsa["requests"] == ["application/timestamp-query"] * 2
    report = verify_pdf(stored(document))
    assert [s.verdict for s in report.signatures] == [VALID, VALID]
    for check in report.signatures:
        assert check.timestamp_ok is True
        assert before - datetime.timedelta(seconds=5) <= check.timestamp <= datetime.datetime.now(datetime.UTC)
    page = client_as(None).post("/verify/", {"file": SimpleUploadedFile("p.pdf", stored(document), "application/pdf")})
    html = page.content.decode()
    assert html.count('class="col-sm-8 verify-timestamp"') == 2 and "по московскому времени" in html


def test_a_tsa_that_is_not_trusted_refuses_the_signature(meeting_2017, sign_as, local_tsa, settings):
    settings.SIGNING_TRUST_ROOTS = []
    with pytest.raises(DomainError, match="Штамп времени не проверяется"):
        sign_as("churanov", meeting_2017)
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_an_unreachable_tsa_refuses_the_signature(meeting_2017, sign_as, settings):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # discard port: nothing listens
    with pytest.raises(DomainError, match="Служба штампов времени недоступна"):
        sign_as("churanov", meeting_2017)
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_without_a_tsa_signatures_are_b_b(meeting_2017, sign_as):
    document = sign_as("churanov", meeting_2017)
    assert [s.timestamp for s in verify_pdf(stored(document)).signatures] == [None]
