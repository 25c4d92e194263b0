"""Checking a PDF's signatures against the configured trust roots, and against the portal's register.

Per signature: who signed (certificate owner and serial, validity), whether the signed bytes
are intact, whether the chain leads to a trust root (settings.SIGNING_TRUST_ROOTS, plus the
demo CA in DEMO_MODE), whether it covers the whole file; and whether the file is exactly a
protocol the portal stored (by SHA-256).
"""

from __future__ import annotations

import datetime
import io
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from core.sandbox import LimitExceeded, run_limited
from documents.services import sha256_hex
from documents.signing import CertificateInfo, outside_event_loop
from documents.trust import trust_roots
from documents.models import ProtocolDocument, ProtocolSignature

logger = logging.getLogger(__name__)
VALID, INVALID = "Подпись действительна", "Подпись недействительна"
TOO_COMPLEX = ("Файл слишком сложен для проверки: его разбор превысил допустимые время или объём памяти. "
               "Проверьте подписи в программе для работы с электронной подписью.")


@dataclass
class SignatureCheck:
    field_name: str
    certificate: CertificateInfo | None = None
    signed_at: datetime.datetime | None = None
    intact: bool = False
    trusted: bool | None = None  # None: not checked (the signed bytes changed)
    whole_file: bool = False
    # B-T: the time from the TSA's token (signature-time-stamp), and whether the token verifies and its TSA is trusted.
    timestamp: datetime.datetime | None = None
    timestamp_ok: bool | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def verdict(self) -> str:
        return VALID if self.ok else INVALID


@dataclass
class VerificationReport:
    sha256: str
    size: int
    error: str = ""
    signatures: list[SignatureCheck] = field(default_factory=list)
    registered: ProtocolDocument | None = None
    # "final", "superseded", "partial" (secretary's signature only), "copy" (a registered protocol
    # with later signatures added, such as the portal's seal on a certified copy)
    registered_as: str = ""
    revision_hashes: list[str] = field(default_factory=list)  # SHA-256 of what each signature covers

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.signatures) and all(s.ok for s in self.signatures)


def registered_document(sha256: str) -> tuple[ProtocolDocument | None, str]:
    document = ProtocolDocument.objects.select_related("meeting").filter(sha256=sha256).first()
    if document is not None:
        return document, ("superseded" if document.superseded_at else "final" if document.is_complete else "partial")
    signature = ProtocolSignature.objects.select_related("document__meeting").filter(document_sha256=sha256).first()
    if signature is not None:
        return signature.document, "partial"
    return None, ""


def find_registered(key: str) -> ProtocolDocument | None:
    """By the public id printed on the PDF, or by a SHA-256 (of the final or an intermediate file)."""
    key = key.lower()
    if re.fullmatch(r"[0-9a-f]{64}", key):
        return registered_document(key)[0]
    if re.fullmatch(r"[0-9a-f]{8,32}", key):
        return ProtocolDocument.objects.select_related("meeting").filter(public_id=key).first()
    return None


def _check(embedded, context: ValidationContext, *, last: bool) -> SignatureCheck:
    check = SignatureCheck(field_name=embedded.field_name or "")
    try:
        check.certificate = CertificateInfo.from_asn1(embedded.signer_cert)
        check.signed_at = embedded.self_reported_timestamp
        status = validate_pdf_signature(embedded, context)
    except (SignatureValidationError, ValueError, KeyError, TypeError) as error:
        logger.info("Signature %s cannot be validated: %s", check.field_name, error)
        check.reasons.append("подпись повреждена или имеет неизвестный формат")
        return check
    check.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    check.intact = status.intact
    if not status.intact:
        # pyHanko stops before the chain when the bytes changed: trust is then unknown, not refused.
        check.reasons.append("подписанные данные изменены после подписания")
        return check
    check.trusted = status.trusted
    if status.timestamp_validity is not None:
        stamp = status.timestamp_validity
        check.timestamp = stamp.timestamp
        check.timestamp_ok = bool(stamp.intact and stamp.valid and stamp.trusted)
        if not check.timestamp_ok:
            check.reasons.append("штамп времени не проверяется: он повреждён или выдан недоверенной службой штампов времени")
    if not status.valid:
        check.reasons.append("криптографическая проверка подписи не пройдена")
    if not status.trusted:
        check.reasons.append("сертификат выдан неизвестным удостоверяющим центром: цепочка не ведёт "
                             "к доверенному корневому сертификату")
    if not status.docmdp_ok:
        check.reasons.append("после подписания в документ внесены недопустимые изменения")
    elif last and not check.whole_file:
        check.reasons.append("после последней подписи в файл дописаны неподписанные изменения")
    return check


def verify_pdf(data: bytes) -> VerificationReport:
    report = VerificationReport(sha256=sha256_hex(data), size=len(data))
    # The file comes from anyone (/verify/ needs no login): it is parsed in a child process under a
    # CPU-time and memory limit (core.sandbox), and the register is looked up here, not in the child.
    try:
        checked = run_limited(outside_event_loop, _check_file, data, VerificationReport(report.sha256, report.size),
                              trust_roots(), label="verify")
        report.error, report.signatures, report.revision_hashes = checked.error, checked.signatures, checked.revision_hashes
    except LimitExceeded:
        report.error = TOO_COMPLEX
    report.registered, report.registered_as = registered_document(report.sha256)
    if report.registered is None and report.signatures and report.signatures[-1].whole_file:
        for sha in reversed(report.revision_hashes[:-1]):
            document, kind = registered_document(sha)
            if document is not None and kind in ("final", "superseded"):
                report.registered, report.registered_as = document, "copy"
                break
    return report


def _check_file(data: bytes, report: VerificationReport, roots: list) -> VerificationReport:
    if not data.lstrip()[:5] == b"%PDF-":
        report.error = "Это не PDF-файл."
        return report
    # A damaged file can fail anywhere while pyHanko reads objects lazily (the signature
    # dictionaries, the signed revisions), so reading and checking share one guard.
    try:
        embedded = list(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)
        if not embedded:
            report.error = "В файле нет электронных подписей."
            return report
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        report.signatures = [_check(sig, context, last=n == len(embedded) - 1) for n, sig in enumerate(embedded)]
    except Exception as error:  # an uploaded file can break the parser in any way (bad filters, objects)
        logger.info("Unreadable PDF: %r", error)
        report.signatures = []
        report.error = "Файл повреждён: его не удаётся прочитать как PDF."
        return report
    for sig in embedded:
        _, _, start, length = sig.byte_range
        report.revision_hashes.append(sha256_hex(data[: start + length]))
    return report
