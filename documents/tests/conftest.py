"""Helpers for the documents tests: PDF text through poppler, and a throwaway PKI."""

import base64
import json
import re
import subprocess

import pytest
from django.urls import reverse


def pdf_text(data: bytes, *, first: int | None = None, last: int | None = None, raw: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else [])
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def squash(text: str) -> str:
    """Letters and digits only: hyphenation and line breaks distort pdftotext's words."""
    return re.sub(r"[\W_]", "", text).lower()


def pdf_fonts(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture
def meeting_2023(demo):
    return demo["meeting_2023"]


@pytest.fixture
def meeting_2017(demo):
    return demo["meeting_2017"]


# ---------------------------------------------------------------- certificates

@pytest.fixture(scope="session")
def foreign_pki():
    """A CA the portal does not trust, and an expired certificate from it."""
    import datetime

    from documents.pki import issue_pkcs12, make_authority

    authority = make_authority("Посторонний УЦ")
    now = datetime.datetime.now(datetime.UTC)
    return {
        "ca_pem": authority.pem,
        "secretary": issue_pkcs12(authority, "Кудрявцева Татьяна Владимировна", "secret"),
        "expired": issue_pkcs12(authority, "Кудрявцева Татьяна Владимировна", "secret",
                                not_before=now - datetime.timedelta(days=800), not_after=now - datetime.timedelta(days=1)),
        "password": "secret",
    }


@pytest.fixture
def foreign_signed_pdf(meeting_2017, foreign_pki):
    """What an outsider can make: the protocol signed with a certificate of a CA the portal does
    not trust (the portal itself refuses to sign with it, so the file is made without it)."""
    from documents.rendering import render_protocol_pdf
    from documents.signing import PadesSigner

    signer = PadesSigner.from_pkcs12(foreign_pki["secretary"], foreign_pki["password"])
    return signer.sign_pdf(render_protocol_pdf(meeting_2017), field_name="Подпись")


@pytest.fixture
def demo_keys(demo):
    """Each demo signer's demo certificate by login (chair, secretary, churanov, belokopytov), and the password."""
    from cluster_portal.demo import DEMO_SIGNERS

    pki = demo["demo_pki"]
    return {**{name: pki[name].read_bytes() for name in DEMO_SIGNERS}, "password": pki["password"]}


@pytest.fixture
def sign_as(users, demo_keys):
    """sign_as("churanov", meeting) signs with that demo login's own demo certificate, as the browser does
    (prepare, sign the signed attributes locally, finish: documents.client)."""
    from documents.client import sign_with_pkcs12

    def sign(role, meeting, *, key=None, password=None, **kwargs):
        return sign_with_pkcs12(meeting=meeting, user=users[role], pkcs12=key or demo_keys.get(role, demo_keys["secretary"]),
                                password=demo_keys["password"] if password is None else password, **kwargs)

    return sign


# ---------------------------------------------------------------- signing over HTTP, as the page does

def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def prepare(client, meeting, pkcs12, password, **extra):
    from documents.client import certificates_of_pkcs12

    certificate, chain = certificates_of_pkcs12(pkcs12, password)
    return post_json(client, reverse("documents:protocol-sign-prepare", args=[meeting.pk]), {
        "certificate": base64.b64encode(certificate).decode(),
        "chain": [base64.b64encode(c).decode() for c in chain], **extra})


def finish(client, meeting, token, signature: bytes):
    return post_json(client, reverse("documents:protocol-sign-finish", args=[meeting.pk]),
                     {"token": token, "signature": base64.b64encode(signature).decode()})


def sign_over_http(client, meeting, pkcs12, password, **extra):
    """What static/js/signing.js does: prepare with the certificate, sign the signed attributes here, finish."""
    prepared = prepare(client, meeting, pkcs12, password, **extra)
    assert prepared.status_code == 200, prepared.content.decode()
    data = prepared.json()
    from documents.client import sign_locally

    signature = sign_locally(base64.b64decode(data["signed_attrs"]), pkcs12, password)
    return finish(client, meeting, data["token"], signature)
