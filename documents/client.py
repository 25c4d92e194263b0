"""The browser's half of signing, done in Python: open a PKCS#12, send its certificate (public only) to
``protocol_sign_prepare``, sign the returned signed attributes with the key, hand the value to
``protocol_sign_finish``. For ``load_demo`` (the demo protocol is signed by its demo signers), the
benchmark and tests. No view imports this module: over HTTP the server never receives a key."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization import pkcs12 as crypto_pkcs12

from core.errors import DomainError
from documents.models import ProtocolDocument
from documents.services import protocol_sign_finish, protocol_sign_prepare

BAD_FILE = "Не удалось открыть файл ключа: неверный пароль или это не файл PKCS#12 (.p12, .pfx)."


def _open(pkcs12: bytes, password: str):
    try:
        return crypto_pkcs12.load_key_and_certificates(pkcs12, password.encode() if password else None)
    except ValueError:
        raise DomainError(BAD_FILE) from None


def certificates_of_pkcs12(pkcs12: bytes, password: str) -> tuple[bytes, list[bytes]]:
    """The public part of a PKCS#12 (what the browser sends): the signer's certificate and the others, DER."""
    _key, cert, others = _open(pkcs12, password)
    return cert.public_bytes(Encoding.DER), [c.public_bytes(Encoding.DER) for c in others or ()]


def sign_locally(data: bytes, pkcs12: bytes, password: str) -> bytes:
    """Sign ``data`` (the DER of the signed attributes) with SHA-256 and the PKCS#12's key, as WebCrypto does."""
    key, _cert, _others = _open(pkcs12, password)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    raise DomainError("Ключ этого типа не поддерживается.")


def sign_with_pkcs12(*, meeting, user, pkcs12: bytes, password: str,
                     confirm_owner_mismatch: bool = False) -> ProtocolDocument:
    """Prepare, sign locally, finish: one signature by ``user`` as the browser makes it."""
    certificate, chain = certificates_of_pkcs12(pkcs12, password)
    prepared = protocol_sign_prepare(meeting=meeting, user=user, certificate=certificate, chain=chain,
                                     confirm_owner_mismatch=confirm_owner_mismatch)
    signature = sign_locally(bytes(prepared.signed_attrs), pkcs12, password)
    return protocol_sign_finish(meeting=meeting, user=user, token=prepared.token, signature=signature)
