"""Signing protocols and keeping their signed versions.

Who signs is ``meetings.protocol.signatories``: the printed signers, in order (the chair and the
secretary by default, one signer, or a set list). The first signer's signature renders the approved
protocol, places an empty signature field over every signer's block and signs the first; each next
signer signs the stored bytes incrementally, and the same ``ProtocolDocument`` then holds the file
with every signature so far (each ``ProtocolSignature`` keeps the SHA-256 the file had after it, so
the chain stays checkable). The last signature completes it. A person's key never reaches the server:
``protocol_sign_prepare`` takes their certificate (public) and prepares what the key signs,
``protocol_sign_finish`` takes the signature value their browser computed, checks it and stores the file. Only the printed signer's own login signs in their place: signing follows the
protocol, not today's seats, so a chair whose term has ended still signs the protocol they chaired.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import logging
import re
import secrets
from collections.abc import Sequence

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from documents.models import ProtocolCorrection
from documents.pki import issue_demo_certificate
from documents.rendering import load_protocol, protocol_queryset, render_protocol
from documents.trust import chain_is_trusted, trust_roots
from documents.signing import (
    SEAL_TITLE,
    CertificateInfo,
    PreparedSignature,
    SignatureArea,
    SignerError,
    finish_external,
    load_seal_signer,
    outside_event_loop,
    prepare_external,
)
from meetings.models import Meeting, MeetingStatus, signed_protocol_unlocked
from meetings.protocol import SIGNATORY_PREFETCH, Signer, signatories
from documents.models import PreparedSigning, ProtocolDocument, ProtocolSignature
from core.errors import DomainError
from members.access import access_for, user_person

logger = logging.getLogger(__name__)
CERTIFICATE_MAX_BYTES = 16 * 1024
CHAIN_MAX = 8
SIGNATURE_MAX_BYTES = 2048
SEAL_FIELD = "Печать портала"
# The seal's mark sits in the bottom margin of the last page (x1, y1, x2, y2 in points): A4 keeps
# 20 mm free there, and the layout never prints into it.
SEAL_BOX = (56.7, 8.0, 340.0, 54.0)


class OwnerMismatch(DomainError):
    """The certificate names someone else: signing goes ahead only when the signer confirms."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify_url(public_id: str) -> str:
    return settings.SITE_URL + reverse("documents:verify-document", args=[public_id])


def signing_state(meeting: Meeting) -> tuple[list[Signer], int]:
    """The protocol's signers in order and how many of them have signed the version being signed."""
    signers = signatories(meeting)
    if meeting.status == MeetingStatus.SIGNED:
        return signers, len(signers)
    document = meeting.documents.current()
    done = document.signatures.count() if document is not None and not document.is_complete else 0
    return signers, done


def next_signer(meeting: Meeting) -> Signer | None:
    """Who signs next (one of ``signatories``), or None: nothing to sign (not approved, or signed)."""
    if meeting.status != MeetingStatus.APPROVED:
        return None
    signers, done = signing_state(meeting)
    return signers[done] if done < len(signers) else None


def is_signer(signer: Signer | None, user) -> bool:
    """Whether ``user`` is the login of ``signer``'s register entry."""
    person = user_person(user)
    return signer is not None and person is not None and signer.person_id == person.pk

def owner_matches(cert: CertificateInfo, user) -> bool:
    person = user_person(user)
    if person is None:
        return False
    words = set(re.findall(r"\w+", cert.owner.lower()))
    first = person.first_name.rstrip(".").lower()
    return person.last_name.lower() in words and (len(first) <= 1 or first in words)


def _signer_label(signer: Signer) -> str:
    return f"{signer.position} {signer.name}"


def _check_order(meeting: Meeting, user) -> tuple[Signer, int, int]:
    """The signer ``user`` signs as now, their position in the order and how many sign in all."""
    if meeting.status in (MeetingStatus.DRAFT, MeetingStatus.ON_APPROVAL):
        raise DomainError("Проект протокола подписать нельзя: сначала председатель утверждает протокол.")
    if meeting.status == MeetingStatus.SIGNED:
        raise DomainError("Протокол уже подписан всеми, кто его подписывает; повторно его не подписывают.")
    signers, done = signing_state(meeting)
    if done >= len(signers):
        raise DomainError("В протоколе не указано, кто его подписывает: подписывать нечего.")
    signer = signers[done]
    if not is_signer(signer, user) or not access_for(user, meeting.cluster_id).can_read:
        person = user_person(user)
        mine = [n for n, s in enumerate(signers) if person is not None and s.person_id == person.pk]
        if any(n < done for n in mine):
            raise DomainError(f"Вы уже подписали протокол; теперь его подписывает {_signer_label(signer)}.")
        if mine:
            raise DomainError(f"Сначала протокол подписывает {_signer_label(signer)}, затем вы.")
        raise DomainError(f"Протокол подписывают те, кто указан в нём как подписант: "
                          f"{'; '.join(_signer_label(s) for s in signers)}. Сейчас подписывает "
                          f"{_signer_label(signer)}; подписать за другого нельзя.")
    return signer, done, len(signers)


def load_certificates(certificate: bytes, chain: Sequence[bytes] = ()) -> tuple[asn1_x509.Certificate, list]:
    """The certificates the browser sent (DER), parsed; a clear refusal for anything else."""
    if not certificate or len(certificate) > CERTIFICATE_MAX_BYTES or len(chain) > CHAIN_MAX:
        raise DomainError("Сертификат не передан или имеет неверный формат.")
    try:
        parsed = [asn1_x509.Certificate.load(bytes(der), strict=True) for der in [certificate, *chain]]
        for cert in parsed:
            CertificateInfo.from_asn1(cert)  # forces the parse of what the checks read
            cert.public_key.algorithm  # noqa: B018
    except (ValueError, TypeError, KeyError):
        raise DomainError("Сертификат имеет неверный формат: выберите файл PKCS#12 с сертификатом подписанта.") from None
    if any(len(der) > CERTIFICATE_MAX_BYTES for der in chain):
        raise DomainError("Сертификат имеет неверный формат.")
    return parsed[0], parsed[1:]


def _check_certificate(signing_cert: asn1_x509.Certificate, others, user, *, confirm_owner_mismatch: bool,
                       check_owner: bool = True, check_chain: bool = True) -> CertificateInfo:
    cert, now = CertificateInfo.from_asn1(signing_cert), timezone.now()
    if now > cert.valid_to:
        raise DomainError(f"Срок действия сертификата истёк {timezone.localtime(cert.valid_to):%d.%m.%Y}.")
    if now < cert.valid_from:
        raise DomainError(f"Сертификат начинает действовать только {timezone.localtime(cert.valid_from):%d.%m.%Y}.")
    if check_chain and not chain_is_trusted(signing_cert, others):
        raise DomainError(
            f"Сертификат выдан удостоверяющим центром, которому портал не доверяет («{cert.issuer}»): "
            "подписать протокол им нельзя. Используйте сертификат аккредитованного УЦ, указанного администратором портала."
        )
    if check_owner and not confirm_owner_mismatch and not owner_matches(cert, user):
        raise OwnerMismatch(
            f"Владелец сертификата («{cert.owner}») не совпадает с вами. Если вы подписываете по доверенности "
            "или в сертификате другое написание имени, подтвердите и подпишите ещё раз."
        )
    return cert


def _store(document: ProtocolDocument, data: bytes, suffix: str) -> None:
    old_name = document.file.name if document.file else ""
    name = f"protocol-{document.meeting_id}-v{document.version}-{suffix}.pdf"
    document.file.save(name, ContentFile(data), save=False)
    document.sha256, document.size = sha256_hex(data), len(data)
    if old_name:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related(
        "cluster", "body", "chair", "secretary").prefetch_related(*SIGNATORY_PREFETCH).get(pk=meeting.pk)


def _stored_bytes(document: ProtocolDocument) -> bytes:
    with document.file.open("rb") as handle:
        stored = handle.read()
    if sha256_hex(stored) != document.sha256:
        raise DomainError("Сохранённый файл протокола повреждён (SHA-256 не совпадает); обратитесь к администратору.")
    return stored


def _next_version(meeting: Meeting) -> int:
    return (meeting.documents.aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def protocol_sign_prepare(*, meeting: Meeting, user, certificate: bytes, chain: Sequence[bytes] = (),
                          confirm_owner_mismatch: bool = False) -> PreparedSigning:
    """Step 1 of a signature made in the signer's browser: for the printed signer whose turn it is and the
    certificate they present (public only), prepare the PDF with the signature field and its stamp, and
    keep it with the document digest and the CMS signed attributes their key is to sign. The certificate
    is checked first (validity, chain to a trust root, owner): nothing is prepared for a refused one.
    A new preparation replaces any unfinished one of the protocol."""
    meeting = _lock_meeting(meeting)
    entry, index, _count = _check_order(meeting, user)
    signing_cert, others = load_certificates(certificate, chain)
    info = _check_certificate(signing_cert, others, user, confirm_owner_mismatch=confirm_owner_mismatch)
    with_timestamp = bool(settings.SIGNING_TSA_URL)
    if index == 0:
        version, public_id, base_sha256 = _next_version(meeting), secrets.token_hex(12), ""
        loaded = load_protocol(meeting.pk)
        rendered = render_protocol(loaded, verify_url=verify_url(public_id), archival=True)
        signers = signatories(loaded)
        missing = [s for s in signers if s.role not in rendered.signature_boxes]
        if missing or [s.role for s in signers][:1] != [entry.role]:
            raise DomainError("Подписи в протоколе не совпадают с его подписантами: обновите страницу и попробуйте ещё раз.")
        areas = [SignatureArea(s.field_name, *rendered.signature_boxes[s.role]) for s in signers]
        prepared = prepare_external(rendered.pdf, certificate=signing_cert, chain=others, field_name=entry.field_name,
                                    new_fields=areas, with_timestamp=with_timestamp)
    else:
        document = meeting.documents.current()
        if document.signatures.filter(certificate_serial=info.serial_hex).exists():
            raise DomainError("Этим сертификатом протокол уже подписан: каждый подписант подписывает своим сертификатом.")
        prepared = prepare_external(_stored_bytes(document), certificate=signing_cert, chain=others,
                                    field_name=entry.field_name, with_timestamp=with_timestamp)
        version, public_id, base_sha256 = document.version, document.public_id, document.sha256
    now = timezone.now()
    PreparedSigning.objects.filter(Q(meeting=meeting, finished_at__isnull=True) | Q(expires_at__lt=now)).delete()
    record = PreparedSigning(
        token=secrets.token_urlsafe(32), meeting=meeting, user=user, signer=entry.person, order=index + 1,
        role=entry.role, field_name=entry.field_name, version=version, public_id=public_id,
        meeting_revision=meeting.revision, base_sha256=base_sha256, certificate=signing_cert.dump(),
        chain=[base64.b64encode(c.dump()).decode() for c in others], prepared_pdf=prepared.pdf,
        document_digest=prepared.document_digest.hex(), reserved_start=prepared.reserved_start,
        reserved_end=prepared.reserved_end, signed_attrs=prepared.signed_attrs, created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.SIGNING_PREPARE_TTL),
    )
    record.full_clean(exclude=["prepared_pdf", "signed_attrs", "certificate"])
    record.save()
    return record


STALE = "Протокол изменился, пока вы подписывали (его подписал кто-то ещё или подготовлена новая подпись): начните подписание заново."


@transaction.atomic
def protocol_sign_finish(*, meeting: Meeting, user, token: str, signature: bytes) -> ProtocolDocument:
    """Step 2: embed the signature value the signer's browser computed over the prepared signed attributes,
    check the result (the signature verifies with the presented certificate, the chain leads to a trust root,
    it covers the whole file, the signer is still the one whose turn it is and nothing changed meanwhile) and
    only then store it. A prepared signature is used once; nothing is stored on error."""
    meeting = _lock_meeting(meeting)
    record = PreparedSigning.objects.select_for_update().filter(token=str(token)[:64], meeting=meeting).first()
    if record is None or record.user_id != user.pk:
        raise DomainError("Подготовленная подпись не найдена: начните подписание заново.")
    if record.finished_at is not None:
        raise DomainError("Эта подпись уже принята; повторно её не отправляют.")
    if record.expires_at < timezone.now():
        raise DomainError("Время на подписание истекло: начните подписание заново.")
    if not signature or len(signature) > SIGNATURE_MAX_BYTES:
        raise DomainError("Подпись не передана или имеет неверный формат.")
    entry, index, count = _check_order(meeting, user)
    if (index + 1, entry.person_id, entry.role, meeting.revision) != (
            record.order, record.signer_id, record.role, record.meeting_revision):
        raise DomainError(STALE)
    current = meeting.documents.current()
    if index == 0:
        if _next_version(meeting) != record.version or (current is not None and not current.is_complete):
            raise DomainError(STALE)
    elif current is None or current.version != record.version or current.sha256 != record.base_sha256:
        raise DomainError(STALE)
    signing_cert, others = load_certificates(bytes(record.certificate),
                                             [base64.b64decode(c) for c in record.chain])
    # The chain was checked when the signature was prepared, and ``_check_signed`` below validates the signed
    # file's signer certificate against the trust roots again (path, validity): not a third time here.
    info = _check_certificate(signing_cert, others, user, confirm_owner_mismatch=True, check_owner=False,
                              check_chain=False)
    prepared = PreparedSignature(pdf=bytes(record.prepared_pdf), document_digest=bytes.fromhex(record.document_digest),
                                 reserved_start=record.reserved_start, reserved_end=record.reserved_end,
                                 signed_attrs=bytes(record.signed_attrs))
    try:
        signed = finish_external(prepared, certificate=signing_cert, chain=others, signature=bytes(signature))
    except SignerError as error:
        raise DomainError(str(error)) from None
    _check_signed(signed, signing_cert)
    if index == 0:
        document = ProtocolDocument(meeting=meeting, version=record.version, corrects=meeting.documents.current_signed(),
                                    public_id=record.public_id, created_at=timezone.now())
    else:
        document = meeting.documents.select_for_update().get(pk=current.pk)
    _store(document, signed, str(index + 1))
    document.full_clean()
    document.save()
    _record_signature(document, info, user=user, entry=entry, order=index + 1)
    record.finished_at, record.prepared_pdf = timezone.now(), b""
    record.save(update_fields=["finished_at", "prepared_pdf"])
    if index == count - 1:
        _complete(meeting, document)
    return document


def _check_signed(data: bytes, signing_cert: asn1_x509.Certificate) -> None:
    """The newest signature of ``data`` verifies, with ``signing_cert``, chains to a trust root and covers the file."""
    def check():
        embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures[-1]
        status = validate_pdf_signature(embedded, ValidationContext(trust_roots=trust_roots(), allow_fetching=False))
        return embedded.signer_cert, status

    try:
        cert, status = outside_event_loop(check)
    except Exception:  # noqa: BLE001 - a malformed signature value can break the CMS parser anywhere
        logger.info("Signature cannot be validated", exc_info=True)
        raise DomainError("Подпись не проверяется: начните подписание заново.") from None
    if cert.dump() != signing_cert.dump():
        raise DomainError("Подпись сделана не тем сертификатом, для которого она готовилась.")
    if not (status.intact and status.valid):
        raise DomainError("Подпись не соответствует сертификату: ключ не от этого сертификата или данные изменены. "
                          "Ничего не сохранено.")
    if not status.trusted:
        raise DomainError("Сертификат подписи не ведёт к доверенному корневому сертификату: подпись не принята.")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise DomainError("Подпись покрывает не весь файл: подпись не принята.")
    stamp = status.timestamp_validity
    if settings.SIGNING_TSA_URL and (stamp is None or not (stamp.intact and stamp.valid and stamp.trusted)):
        raise DomainError("Штамп времени не проверяется: корневой сертификат службы штампов времени (SIGNING_TSA_URL) "
                          "должен быть среди доверенных (SIGNING_TRUST_ROOTS). Подпись не принята; обратитесь к администратору.")


def _complete(meeting: Meeting, document: ProtocolDocument) -> None:
    """The last signer has signed: the version is complete, supersedes the one it corrects, and the protocol is signed."""
    document.is_complete = True
    document.full_clean()
    document.save(update_fields=["is_complete"])
    if document.corrects_id:
        ProtocolDocument.objects.filter(pk=document.corrects_id).update(superseded_at=timezone.now())
    meeting.status = MeetingStatus.SIGNED
    meeting.save(update_fields=["status", "updated_at"])


def _record_signature(document: ProtocolDocument, cert: CertificateInfo, *, user, entry: Signer,
                      order: int) -> ProtocolSignature:
    signature = ProtocolSignature(
        document=document, order=order, signer=entry.person, user=user, role=entry.role,
        certificate_subject=cert.subject[:1000], certificate_serial=cert.serial_hex, certificate_issuer=cert.issuer[:1000],
        valid_from=cert.valid_from, valid_to=cert.valid_to, signed_at=timezone.now(),
        field_name=entry.field_name, document_sha256=document.sha256,
    )
    signature.full_clean()
    signature.save()
    return signature


@transaction.atomic
def protocol_correction_start(*, meeting: Meeting, user, reason: str) -> Meeting:
    """Unlock a signed protocol for a correction: it goes back to draft (the secretary edits it, the chair
    approves it again, both sign a new version); the signed PDF stays downloadable until the corrected
    version is signed, which then supersedes it. The reason is kept with the corrected version."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not access_for(user, meeting.cluster_id).is_secretary:
        raise DomainError("Исправление протокола начинает секретарь.")
    if meeting.status != MeetingStatus.SIGNED:
        raise DomainError("Исправлять через новую версию можно только подписанный протокол.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Укажите, что и почему исправляется.")
    document = meeting.documents.current_signed()
    if document is not None:
        correction = ProtocolCorrection(document=document, reason=reason, started_by=user)
        correction.full_clean()
        correction.save()
    meeting.status = MeetingStatus.DRAFT
    meeting.revision += 1
    with signed_protocol_unlocked():  # the one way a signed protocol is reopened
        meeting.save(update_fields=["status", "revision", "updated_at"])
    return meeting


def protocol_certified_copy(*, document: ProtocolDocument) -> bytes:
    """A copy of a signed protocol certified with the portal's seal: the stored bytes plus one more
    incremental signature. Not stored: the verification page recognises the registered protocol
    inside it by the SHA-256 of the revisions its signatures cover."""
    if not document.is_complete:
        raise DomainError("Заверить можно только протокол, подписанный всеми подписантами.")
    try:
        seal = load_seal_signer()
    except SignerError as error:
        raise DomainError(str(error)) from None
    if seal is None:
        raise DomainError("Электронная печать портала не настроена (SIGNING_SEAL_PKCS12).")
    with document.file.open("rb") as handle:
        stored = handle.read()
    if sha256_hex(stored) != document.sha256:
        raise DomainError("Сохранённый файл протокола повреждён (SHA-256 не совпадает); обратитесь к администратору.")
    area = SignatureArea(SEAL_FIELD, -1, SEAL_BOX)
    return seal.sign_pdf(stored, field_name=SEAL_FIELD, new_fields=[area], title=SEAL_TITLE)


def demo_certificate_issue(*, user) -> tuple[bytes, str]:
    """Demo mode only: a new PKCS#12 from the portal's demo CA in the name of ``user``'s register entry
    (password ``DEMO_PKI_PASSWORD``), kept as ``DEMO_PKI_DIR/<login>.p12``; returns its bytes and file name.
    The demo CA is trusted only while DEMO_MODE is on, so such a certificate never signs in production."""
    if not settings.DEMO_MODE:
        raise DomainError("Демонстрационные сертификаты выдаются только в демонстрационном режиме портала.")
    person = user_person(user)
    if person is None:
        raise DomainError("Учётная запись не связана с записью реестра: сертификат выдать некому.")
    path = issue_demo_certificate(settings.DEMO_PKI_DIR, user.get_username(), person.full_name)
    return path.read_bytes(), path.name
