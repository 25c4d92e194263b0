"""Signing protocols and keeping their signed versions.

The secretary signs first: the approved protocol is rendered, both signature fields are
placed over the signature blocks and the secretary's is signed. The chair then signs the
stored bytes incrementally, and the same ``ProtocolDocument`` then holds the file with
both signatures (each ``ProtocolSignature`` keeps the SHA-256 the file had after it, so
the chain stays checkable). Keys arrive as PKCS#12 bytes and live only in memory.
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
from documents.models import ProtocolDocument, ProtocolSignature
from core.errors import DomainError
from members.access import access_for, user_person

SECRETARY, CHAIR = "secretary", "chair"
FIELD_NAMES = {SECRETARY: "Подпись секретаря", CHAIR: "Подпись председателя"}
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


def next_signer_role(meeting: Meeting) -> str | None:
    """Who signs next: «secretary», «chair», or None (nothing to sign)."""
    if meeting.status != MeetingStatus.APPROVED:
        return None
    document = meeting.documents.current()
    return CHAIR if document is not None and not document.is_complete else SECRETARY


def owner_matches(cert: CertificateInfo, user) -> bool:
    person = user_person(user)
    if person is None:
        return False
    words = set(re.findall(r"\w+", cert.owner.lower()))
    first = person.first_name.rstrip(".").lower()
    return person.last_name.lower() in words and (len(first) <= 1 or first in words)


def _check_order(meeting: Meeting, user) -> str:
    if meeting.status in (MeetingStatus.DRAFT, MeetingStatus.ON_APPROVAL):
        raise DomainError("Проект протокола подписать нельзя: сначала председатель утверждает протокол.")
    if meeting.status == MeetingStatus.SIGNED:
        raise DomainError("Протокол уже подписан секретарём и председателем; повторно его не подписывают.")
    access = access_for(user, meeting.cluster_id)
    role = next_signer_role(meeting)
    if role == SECRETARY and not access.is_secretary:
        if access.is_chair:
            raise DomainError("Сначала протокол подписывает секретарь, затем председатель.")
        raise DomainError("Подписывать протокол могут только секретарь и председатель.")
    if role == CHAIR and not access.is_chair:
        raise DomainError("Протокол уже подписан секретарём; теперь его подписывает председатель.")
    return role


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
    """Sign the approved protocol as its secretary (first) or chair (second). Nothing is stored on error."""
    meeting = Meeting.objects.select_for_update().select_related("cluster").get(pk=meeting.pk)
    role = _check_order(meeting, user)
    try:
        signer = PadesSigner.from_pkcs12(pkcs12_bytes, password)
    except SignerError as error:
        raise DomainError(str(error)) from None
    _check_certificate(signer, user, confirm_owner_mismatch=confirm_owner_mismatch)
    if role == SECRETARY:
        document = _sign_first(meeting, signer)
    else:
        document = _sign_second(meeting, signer)
    _record_signature(document, signer, user=user, role=role)
    return document


def _sign_first(meeting: Meeting, signer: ProtocolSigner) -> ProtocolDocument:
    previous = meeting.documents.current_signed()
    version = (meeting.documents.aggregate(v=Max("version"))["v"] or 0) + 1
    document = ProtocolDocument(meeting=meeting, version=version, corrects=previous,
                                public_id=secrets.token_hex(12), created_at=timezone.now())
    rendered = render_protocol(protocol_queryset().get(pk=meeting.pk), verify_url=verify_url(document.public_id))
    areas = [SignatureArea(FIELD_NAMES[role], *rendered.signature_boxes[role])
             for role in (SECRETARY, CHAIR) if role in rendered.signature_boxes]
    if len(areas) != 2:
        raise DomainError("В протоколе не указаны председатель и секретарь: подписывать нечего.")
    signed = signer.sign_pdf(rendered.pdf, field_name=FIELD_NAMES[SECRETARY], new_fields=areas)
    _store(document, signed, "1")
    document.full_clean()
    document.save()
    return document


def _sign_second(meeting: Meeting, signer: ProtocolSigner) -> ProtocolDocument:
    document = meeting.documents.select_for_update().get(pk=meeting.documents.current().pk)
    if document.signatures.filter(certificate_serial=signer.certificate.serial_hex).exists():
        raise DomainError("Этим сертификатом протокол уже подписан: вторая подпись ставится другим сертификатом.")
    with document.file.open("rb") as handle:
        stored = handle.read()
    if sha256_hex(stored) != document.sha256:
        raise DomainError("Сохранённый файл протокола повреждён (SHA-256 не совпадает); обратитесь к администратору.")
    signed = signer.sign_pdf(stored, field_name=FIELD_NAMES[CHAIR])
    _store(document, signed, "2")
    document.is_complete = True
    document.full_clean()
    document.save()
    if document.corrects_id:
        ProtocolDocument.objects.filter(pk=document.corrects_id).update(superseded_at=timezone.now())
    meeting.status = MeetingStatus.SIGNED
    meeting.save(update_fields=["status", "updated_at"])
    return document


def _record_signature(document: ProtocolDocument, signer: ProtocolSigner, *, user, role: str) -> ProtocolSignature:
    cert = signer.certificate
    signature = ProtocolSignature(
        document=document, order=document.signatures.count() + 1, signer=user_person(user), user=user, role=role,
        certificate_subject=cert.subject[:1000], certificate_serial=cert.serial_hex, certificate_issuer=cert.issuer[:1000],
        valid_from=cert.valid_from, valid_to=cert.valid_to, signed_at=timezone.now(),
        field_name=FIELD_NAMES[role], document_sha256=document.sha256,
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
        raise DomainError("Заверить можно только протокол, подписанный секретарём и председателем.")
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
