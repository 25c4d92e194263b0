"""Signing protocols and keeping their signed versions.

Who signs is ``meetings.protocol.signatories``: the printed signers, in order (the chair and the
secretary by default, one signer, or a set list). The first signer's signature renders the approved
protocol, places an empty signature field over every signer's block and signs the first; each next
signer signs the stored bytes incrementally, and the same ``ProtocolDocument`` then holds the file
with every signature so far (each ``ProtocolSignature`` keeps the SHA-256 the file had after it, so
the chain stays checkable). The last signature completes it. Keys arrive as PKCS#12 bytes and live
only in memory. Only the printed signer's own login signs in their place: signing follows the
protocol, not today's seats, so a chair whose term has ended still signs the protocol they chaired.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from documents.models import ProtocolCorrection
from documents.pki import issue_demo_certificate
from documents.rendering import protocol_queryset, render_protocol
from documents.trust import chain_is_trusted
from documents.signing import (
    SEAL_TITLE,
    CertificateInfo,
    PadesSigner,
    ProtocolSigner,
    SignatureArea,
    SignerError,
    load_seal_signer,
)
from meetings.models import Meeting, MeetingStatus, signed_protocol_unlocked
from meetings.protocol import SIGNATORY_PREFETCH, Signer, signatories
from documents.models import ProtocolDocument, ProtocolSignature
from core.errors import DomainError
from members.access import access_for, user_person

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


def _check_certificate(signer: ProtocolSigner, user, *, confirm_owner_mismatch: bool) -> None:
    cert, now = signer.certificate, timezone.now()
    if now > cert.valid_to:
        raise DomainError(f"Срок действия сертификата истёк {timezone.localtime(cert.valid_to):%d.%m.%Y}.")
    if now < cert.valid_from:
        raise DomainError(f"Сертификат начинает действовать только {timezone.localtime(cert.valid_from):%d.%m.%Y}.")
    if not chain_is_trusted(signer.signing_cert, signer.other_certs):
        raise DomainError(
            f"Сертификат выдан удостоверяющим центром, которому портал не доверяет («{cert.issuer}»): "
            "подписать протокол им нельзя. Используйте сертификат аккредитованного УЦ, указанного администратором портала."
        )
    if not confirm_owner_mismatch and not owner_matches(cert, user):
        raise OwnerMismatch(
            f"Владелец сертификата («{cert.owner}») не совпадает с вами. Если вы подписываете по доверенности "
            "или в сертификате другое написание имени, подтвердите и загрузите файл ещё раз."
        )


def _store(document: ProtocolDocument, data: bytes, suffix: str) -> None:
    old_name = document.file.name if document.file else ""
    name = f"protocol-{document.meeting_id}-v{document.version}-{suffix}.pdf"
    document.file.save(name, ContentFile(data), save=False)
    document.sha256, document.size = sha256_hex(data), len(data)
    if old_name:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))


@transaction.atomic
def protocol_sign(*, meeting: Meeting, user, pkcs12_bytes: bytes, password: str,
                  confirm_owner_mismatch: bool = False) -> ProtocolDocument:
    """Sign the approved protocol as its next printed signer; the last signature completes it.
    Nothing is stored on error."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related(
        "cluster", "body", "chair", "secretary").prefetch_related(*SIGNATORY_PREFETCH).get(pk=meeting.pk)
    signer_entry, index, count = _check_order(meeting, user)
    try:
        signer = PadesSigner.from_pkcs12(pkcs12_bytes, password)
    except SignerError as error:
        raise DomainError(str(error)) from None
    _check_certificate(signer, user, confirm_owner_mismatch=confirm_owner_mismatch)
    if index == 0:
        document = _sign_first(meeting, signer, signer_entry)
    else:
        document = _sign_next(meeting, signer, signer_entry, index)
    _record_signature(document, signer, user=user, entry=signer_entry, order=index + 1)
    if index == count - 1:
        _complete(meeting, document)
    return document


def _sign_first(meeting: Meeting, signer: ProtocolSigner, entry: Signer) -> ProtocolDocument:
    previous = meeting.documents.current_signed()
    version = (meeting.documents.aggregate(v=Max("version"))["v"] or 0) + 1
    document = ProtocolDocument(meeting=meeting, version=version, corrects=previous,
                                public_id=secrets.token_hex(12), created_at=timezone.now())
    loaded = protocol_queryset().get(pk=meeting.pk)
    rendered = render_protocol(loaded, verify_url=verify_url(document.public_id))
    signers = signatories(loaded)
    missing = [s for s in signers if s.role not in rendered.signature_boxes]
    if missing or [s.role for s in signers][:1] != [entry.role]:
        raise DomainError("Подписи в протоколе не совпадают с его подписантами: обновите страницу и попробуйте ещё раз.")
    areas = [SignatureArea(s.field_name, *rendered.signature_boxes[s.role]) for s in signers]
    signed = signer.sign_pdf(rendered.pdf, field_name=entry.field_name, new_fields=areas)
    _store(document, signed, "1")
    document.full_clean()
    document.save()
    return document


def _sign_next(meeting: Meeting, signer: ProtocolSigner, entry: Signer, index: int) -> ProtocolDocument:
    document = meeting.documents.select_for_update().get(pk=meeting.documents.current().pk)
    if document.signatures.filter(certificate_serial=signer.certificate.serial_hex).exists():
        raise DomainError("Этим сертификатом протокол уже подписан: каждый подписант подписывает своим сертификатом.")
    with document.file.open("rb") as handle:
        stored = handle.read()
    if sha256_hex(stored) != document.sha256:
        raise DomainError("Сохранённый файл протокола повреждён (SHA-256 не совпадает); обратитесь к администратору.")
    signed = signer.sign_pdf(stored, field_name=entry.field_name)
    _store(document, signed, str(index + 1))
    document.full_clean()
    document.save()
    return document


def _complete(meeting: Meeting, document: ProtocolDocument) -> None:
    """The last signer has signed: the version is complete, supersedes the one it corrects, and the protocol is signed."""
    document.is_complete = True
    document.full_clean()
    document.save(update_fields=["is_complete"])
    if document.corrects_id:
        ProtocolDocument.objects.filter(pk=document.corrects_id).update(superseded_at=timezone.now())
    meeting.status = MeetingStatus.SIGNED
    meeting.save(update_fields=["status", "updated_at"])


def _record_signature(document: ProtocolDocument, signer: ProtocolSigner, *, user, entry: Signer,
                      order: int) -> ProtocolSignature:
    cert = signer.certificate
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
