"""A small local PKI for the demo and the tests: a CA and PKCS#12 files for signers.

ECDSA P-256 keys: fast to make and to sign with (load_demo runs for every browser test).
Nothing here is used for real signatures; the demo CA is trusted only in DEMO_MODE.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEMO_PKI_PASSWORD = "demo12345"
DEMO_CA_FILE = "demo-ca.pem"
# The demo CA's private key stays beside its certificate, so that certificates issued later (the
# «demo certificate» button, ``manage.py demo_certificate``) chain to the same root.
DEMO_CA_KEY_FILE = "demo-ca-key.pem"
# Demo CAs replaced by a new one (their key was not kept) stay trusted in demo mode, for the PDFs they signed.
DEMO_PREVIOUS_CA_PREFIX = "demo-ca-previous-"


@dataclass
class Authority:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(cn: str, org: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "RU")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def make_authority(cn: str = "Демо-УЦ Кластерного портала", *, years: int = 10) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, "Кластерный портал"))
        .issuer_name(_name(cn, "Кластерный портал"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key=key, cert=cert)


def issue_pkcs12(authority: Authority, cn: str, password: str, *, not_before: datetime.datetime | None = None,
                 not_after: datetime.datetime | None = None) -> bytes:
    """A signer's certificate from ``authority`` packed with its key (and the CA) as PKCS#12."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(authority.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - datetime.timedelta(days=1))
        .not_valid_after(not_after or now + datetime.timedelta(days=365 * 2))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), critical=False)
        .sign(authority.key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password.encode())
    return pkcs12.serialize_key_and_certificates(cn.encode(), key, cert, [authority.cert], encryption)


def demo_certificate_path(directory: Path, name: str) -> Path:
    """«var/demo-pki/chair.p12»: a demo login's certificate file, named after the login."""
    safe = re.sub(r"[^\w.@+-]", "_", name)
    return Path(directory) / f"{safe}.p12"


def _load_demo_authority(directory: Path) -> Authority | None:
    try:
        cert = x509.load_pem_x509_certificate((directory / DEMO_CA_FILE).read_bytes())
        key = serialization.load_pem_private_key((directory / DEMO_CA_KEY_FILE).read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    return Authority(key=key, cert=cert)


def demo_authority(directory: Path) -> tuple[Authority, bool]:
    """The demo CA kept in ``directory`` (made there when missing or unreadable); True when it is new."""
    directory = Path(directory)
    authority = _load_demo_authority(directory)
    if authority is not None:
        return authority, False
    directory.mkdir(parents=True, exist_ok=True)
    ca_path = directory / DEMO_CA_FILE
    if ca_path.exists():  # a CA kept without its key (made by an earlier version): still trusted, for its PDFs
        ca_path.replace(directory / f"{DEMO_PREVIOUS_CA_PREFIX}{x509.random_serial_number():x}.pem")
    authority = make_authority()
    key_path = directory / DEMO_CA_KEY_FILE
    key_path.write_bytes(authority.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))
    key_path.chmod(0o600)
    (directory / DEMO_CA_FILE).write_bytes(authority.pem)
    return authority, True


def issue_demo_certificate(directory: Path, name: str, owner: str) -> Path:
    """A new demo PKCS#12 for ``owner`` (the full name) from the demo CA, written as ``<name>.p12``."""
    authority, _created = demo_authority(directory)
    path = demo_certificate_path(directory, name)
    path.write_bytes(issue_pkcs12(authority, owner, DEMO_PKI_PASSWORD))
    path.chmod(0o600)
    return path


def ensure_demo_pki(directory: Path, owners: dict[str, str]) -> dict:
    """The demo CA and a PKCS#12 per demo login in ``directory``; existing files are reused while the CA is.

    ``owners`` maps a login name («chair», «churanov») to the certificate owner's full name; the
    result maps it to its file, besides ``dir``, ``ca``, ``created`` and ``password``.
    """
    directory = Path(directory)
    authority, created = demo_authority(directory)
    paths = {}
    for name, owner in owners.items():
        path = paths[name] = demo_certificate_path(directory, name)
        if created or not path.exists():
            path.write_bytes(issue_pkcs12(authority, owner, DEMO_PKI_PASSWORD))
            path.chmod(0o600)
    return {"dir": directory, "ca": directory / DEMO_CA_FILE, "created": created, "password": DEMO_PKI_PASSWORD,
            **paths}
