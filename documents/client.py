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
    return open_pkcs12(pkcs12, password)[1:]


def open_pkcs12(pkcs12: bytes, password: str):
    """The key, the signer's certificate (DER) and the others (DER): what the browser holds once the file is open."""
    key, cert, others = _open(pkcs12, password)
    return key, cert.public_bytes(Encoding.DER), [c.public_bytes(Encoding.DER) for c in others or ()]


def sign_locally(data: bytes, pkcs12: bytes, password: str) -> bytes:
    """Sign ``data`` (the DER of the signed attributes) with SHA-256 and the PKCS#12's key, as WebCrypto does."""
    return sign_with_key(data, _open(pkcs12, password)[0])


def sign_with_key(data: bytes, key) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    raise DomainError("Ключ этого типа не поддерживается.")


def sign_with_pkcs12(*, meeting, user, pkcs12: bytes, password: str,
                     confirm_owner_mismatch: bool = False) -> ProtocolDocument:
    """Prepare, sign locally, finish: one signature by ``user`` as the browser makes it."""
    return sign_with_opened_key(meeting=meeting, user=user, opened=open_pkcs12(pkcs12, password),
                                confirm_owner_mismatch=confirm_owner_mismatch)


def sign_with_opened_key(*, meeting, user, opened, confirm_owner_mismatch: bool = False) -> ProtocolDocument:
    """``sign_with_pkcs12`` with the file already open (``open_pkcs12``): the browser opens it once, and the
    benchmark times only what one signature costs."""
    key, certificate, chain = opened
    prepared = protocol_sign_prepare(meeting=meeting, user=user, certificate=certificate, chain=chain,
                                     confirm_owner_mismatch=confirm_owner_mismatch)
    signature = sign_with_key(bytes(prepared.signed_attrs), key)
    return protocol_sign_finish(meeting=meeting, user=user, token=prepared.token, signature=signature)
