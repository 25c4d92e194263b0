"""Signing follows the printed signers of the protocol (``meetings.protocol.signatories``): in their
order, each with their own login and certificate, whatever seat they hold today."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.reader import PdfFileReader

from cluster_portal.demo import load_demo
from core.errors import DomainError
from documents.models import ProtocolDocument, ProtocolSignature
from documents.services import OwnerMismatch, demo_certificate_issue, next_signer, protocol_correction_start, sha256_hex
from documents.verification import VALID, verify_pdf
from meetings.models import Meeting, MeetingStatus, signed_protocol_unlocked
from members.access import access_for
from members.models import BodyMembership, BodyRole

pytestmark = pytest.mark.django_db


def signature_count(document):
    with document.file.open("rb") as handle:
        return len(PdfFileReader(io.BytesIO(handle.read())).embedded_signatures)


def stored(document):
    with document.file.open("rb") as handle:
        return handle.read()


def test_demo_leaves_the_2023_protocol_signed_by_its_printed_signers(meeting_2023, demo):
    document = ProtocolDocument.objects.get(meeting=meeting_2023)
    assert document.is_complete and signature_count(document) == 2
    p = demo["people"]
    assert [(s.role, s.signer) for s in document.signatures.all()] == [("chair", p["rudometkin"]),
                                                                        ("secretary", p["kudryavtseva"])]
    assert [s.certificate_subject.split(" (")[0] for s in document.signatures.all()] == [
        p["rudometkin"].full_name, p["kudryavtseva"].full_name]


def test_the_2017_protocol_is_signed_by_churanov_and_belokopytov_with_their_stamps(meeting_2017, sign_as, demo):
    sign_as("churanov", meeting_2017)
    document = sign_as("belokopytov", meeting_2017)
    meeting_2017.refresh_from_db()
    assert meeting_2017.status == MeetingStatus.SIGNED
    assert document.is_complete and signature_count(document) == 2
    p = demo["people"]
    assert [s.signer for s in document.signatures.all()] == [p["churanov"], p["belokopytov"]]
    assert [s.role for s in document.signatures.all()] == ["chair", "secretary"]
    report = verify_pdf(stored(document))
    assert [s.verdict for s in report.signatures] == [VALID, VALID]
    # The stamp in each field prints its certificate's owner: the printed signer of that block.
    assert [(s.field_name, s.certificate.owner) for s in report.signatures] == [
        ("Подпись председателя", p["churanov"].full_name), ("Подпись секретаря", p["belokopytov"].full_name)]


def test_next_signer_signs_incrementally_over_the_first_file(meeting_2017, sign_as):
    first = sign_as("churanov", meeting_2017)
    first_bytes = stored(first)
    document = sign_as("belokopytov", meeting_2017)
    assert stored(document).startswith(first_bytes)
    assert document.signatures.get(order=1).document_sha256 == sha256_hex(first_bytes)


def test_todays_chair_and_secretary_cannot_sign_for_the_printed_ones(meeting_2017, sign_as):
    with pytest.raises(DomainError, match="Сейчас подписывает Председатель Координационного совета В.С. Чуранов"):
        sign_as("chair", meeting_2017)
    with pytest.raises(DomainError, match="подписать за другого нельзя"):
        sign_as("secretary", meeting_2017)
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_the_second_signer_waits_for_the_first(meeting_2017, sign_as):
    with pytest.raises(DomainError, match="Сначала протокол подписывает Председатель Координационного совета В.С. Чуранов, затем вы"):
        sign_as("belokopytov", meeting_2017)


def test_a_signer_cannot_sign_twice(meeting_2017, sign_as):
    sign_as("churanov", meeting_2017)
    with pytest.raises(DomainError, match="Вы уже подписали протокол; теперь его подписывает Секретарь"):
        sign_as("churanov", meeting_2017)
    assert ProtocolSignature.objects.filter(document__meeting=meeting_2017).count() == 1


def test_wrong_password_is_refused_and_nothing_is_stored(meeting_2017, sign_as):
    with pytest.raises(DomainError, match="неверный пароль"):
        sign_as("churanov", meeting_2017, password="wrong")
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_expired_certificate_is_refused(meeting_2017, sign_as, foreign_pki):
    with pytest.raises(DomainError, match="Срок действия сертификата истёк"):
        sign_as("churanov", meeting_2017, key=foreign_pki["expired"], password=foreign_pki["password"])
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_certificate_of_an_unknown_authority_is_refused_before_anything_is_stored(meeting_2017, sign_as, foreign_pki):
    meeting_2017.refresh_from_db()
    status = meeting_2017.status
    with pytest.raises(DomainError, match="удостоверяющим центром, которому портал не доверяет"):
        sign_as("churanov", meeting_2017, key=foreign_pki["secretary"], password=foreign_pki["password"])
    meeting_2017.refresh_from_db()
    assert meeting_2017.status == status
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_demo_ca_is_not_trusted_for_signing_outside_demo_mode(meeting_2017, sign_as, settings):
    settings.DEMO_MODE = False
    with pytest.raises(DomainError, match="которому портал не доверяет"):
        sign_as("churanov", meeting_2017)
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def test_a_configured_trust_root_is_accepted(meeting_2017, sign_as, foreign_pki, settings, tmp_path):
    root = tmp_path / "root.pem"
    root.write_bytes(foreign_pki["ca_pem"])
    settings.SIGNING_TRUST_ROOTS = [str(root)]
    document = sign_as("churanov", meeting_2017, key=foreign_pki["secretary"], password=foreign_pki["password"],
                       confirm_owner_mismatch=True)
    assert "Посторонний УЦ" in document.signatures.get().certificate_issuer


def test_someone_elses_certificate_needs_confirmation(meeting_2017, sign_as, demo_keys):
    with pytest.raises(OwnerMismatch, match="не совпадает"):
        sign_as("churanov", meeting_2017, key=demo_keys["chair"])
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()
    assert sign_as("churanov", meeting_2017, key=demo_keys["chair"], confirm_owner_mismatch=True).pk


def test_signed_protocol_cannot_be_signed_again(meeting_2023, sign_as):
    with pytest.raises(DomainError, match="уже подписан"):
        sign_as("chair", meeting_2023)


def test_draft_cannot_be_signed(meeting_2017, sign_as):
    meeting_2017.status = MeetingStatus.DRAFT
    meeting_2017.save()
    with pytest.raises(DomainError, match="Проект протокола подписать нельзя"):
        sign_as("churanov", meeting_2017)


def test_member_cannot_sign(meeting_2017, sign_as):
    with pytest.raises(DomainError, match="подписать за другого нельзя"):
        sign_as("member", meeting_2017)


def test_correction_is_a_new_version_signed_by_the_same_printed_signers(meeting_2023, sign_as, users):
    old = ProtocolDocument.objects.get(meeting=meeting_2023)
    protocol_correction_start(meeting=meeting_2023, user=users["secretary"], reason="Опечатка в фамилии")
    meeting_2023.refresh_from_db()
    meeting_2023.status = MeetingStatus.APPROVED  # re-approved by the chair after editing
    meeting_2023.save()
    sign_as("chair", meeting_2023)
    new = sign_as("secretary", meeting_2023)
    old.refresh_from_db()
    assert (new.version, new.corrects_id) == (2, old.pk)
    assert old.superseded_at is not None and old.file.storage.exists(old.file.name)


# ---------------------------------------------------------------- the clock after the demo chair's term

@time_machine.travel(datetime.datetime(2028, 1, 1, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_in_2028_the_demo_chair_whose_term_ended_still_signs_the_protocol_he_chaired(meeting_2023, sign_as, users,
                                                                                      settings, tmp_path):
    """Рудометкин's first term ends on 15.12.2027 (here he is not re-elected): signing follows the protocol,
    not today's seats. The signers take demo certificates on that day (the session's ones may have expired
    by then, whatever today is)."""
    BodyMembership.objects.filter(person=meeting_2023.chair, role=BodyRole.CHAIR,
                                  term_start__gt=datetime.date(2027, 12, 15)).delete()
    assert not access_for(users["chair"], meeting_2023.cluster_id).is_chair
    settings.DEMO_PKI_DIR = tmp_path / "pki"
    keys = {role: demo_certificate_issue(user=users[role])[0] for role in ("chair", "secretary")}
    protocol_correction_start(meeting=meeting_2023, user=users["secretary"], reason="Проверка после срока полномочий")
    Meeting.objects.filter(pk=meeting_2023.pk).update(status=MeetingStatus.APPROVED)
    assert next_signer(Meeting.objects.get(pk=meeting_2023.pk)).name == "А.Н. Рудометкин"
    sign_as("chair", meeting_2023, key=keys["chair"])
    document = sign_as("secretary", meeting_2023, key=keys["secretary"])
    assert document.is_complete and [s.verdict for s in verify_pdf(stored(document)).signatures] == [VALID, VALID]


@time_machine.travel(datetime.datetime(2028, 1, 1, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_load_demo_runs_and_signs_in_2028(demo, settings, tmp_path):
    settings.DEMO_PKI_DIR = tmp_path / "pki"
    meeting = demo["meeting_2023"]
    ProtocolDocument.objects.filter(meeting=meeting).delete()  # a database where it was never signed
    with signed_protocol_unlocked():
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.APPROVED)
    ctx = load_demo()
    document = ctx["meeting_2023"].documents.get()
    assert document.is_complete
    assert [s.signer.last_name for s in document.signatures.all()] == ["Рудометкин", "Кудрявцева"]
    assert (settings.DEMO_PKI_DIR / "churanov.p12").exists() and (settings.DEMO_PKI_DIR / "belokopytov.p12").exists()


def test_a_trust_root_withdrawn_between_prepare_and_finish_refuses_the_signature(meeting_2017, users, demo_keys,
                                                                                  settings):
    """``protocol_sign_finish`` does not check the chain a second time before it embeds the signature: the
    validation of the signed file (``_check_signed``) against the trust roots of that moment refuses it."""
    from documents.client import open_pkcs12, sign_with_key
    from documents.services import protocol_sign_finish, protocol_sign_prepare

    key, certificate, chain = open_pkcs12(demo_keys["churanov"], demo_keys["password"])
    prepared = protocol_sign_prepare(meeting=meeting_2017, user=users["churanov"], certificate=certificate, chain=chain)
    settings.DEMO_MODE = False  # the demo CA is trusted in demo mode only
    with pytest.raises(DomainError, match="не ведёт к доверенному корневому сертификату"):
        protocol_sign_finish(meeting=meeting_2017, user=users["churanov"], token=prepared.token,
                             signature=sign_with_key(bytes(prepared.signed_attrs), key))
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()


def _stamp_font_programs(pdf: bytes) -> list:
    """The TrueType programs of the fonts the signature stamps print with (their appearance streams)."""
    from fontTools.ttLib import TTFont

    found = []

    def walk(xobject):
        resources = xobject.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                program = descendant.get_object()["/FontDescriptor"]["/FontFile2"].get_object()
                found.append(TTFont(io.BytesIO(program.data)))
        for inner in resources.get("/XObject", {}).values():
            walk(inner.get_object())

    for embedded in PdfFileReader(io.BytesIO(pdf)).embedded_signatures:
        walk(embedded.sig_field["/AP"]["/N"].get_object())
    return found


def test_the_stamp_font_program_is_cut_once_per_glyph_set_and_holds_every_glyph_it_prints(meeting_2017, users,
                                                                                          demo_keys):
    """The stamp's font program comes from ``_stamp_font_program`` (cut to the glyphs shaped, glyph ids kept),
    once per glyph set: preparing the same signer's stamp again reuses it, and every letter of the stamp
    has its outline in the program the PDF carries."""
    from documents.client import open_pkcs12, sign_with_key
    from documents.services import protocol_sign_finish, protocol_sign_prepare
    from documents.signing import STAMP_FONT, _stamp_font_bytes, _stamp_font_program
    from fontTools.ttLib import TTFont

    _stamp_font_program.cache_clear()
    key, certificate, chain = open_pkcs12(demo_keys["churanov"], demo_keys["password"])
    protocol_sign_prepare(meeting=meeting_2017, user=users["churanov"], certificate=certificate, chain=chain)
    assert _stamp_font_program.cache_info()[:2] == (0, 1)  # (hits, misses): cut once
    prepared = protocol_sign_prepare(meeting=meeting_2017, user=users["churanov"], certificate=certificate, chain=chain)
    assert _stamp_font_program.cache_info()[:2] == (1, 1)  # the same glyphs: not cut again
    document = protocol_sign_finish(meeting=meeting_2017, user=users["churanov"], token=prepared.token,
                                    signature=sign_with_key(bytes(prepared.signed_attrs), key))
    assert [s.verdict for s in verify_pdf(stored(document)).signatures] == [VALID]

    [program] = _stamp_font_programs(stored(document))
    cut = TTFont(io.BytesIO(_stamp_font_bytes(str(STAMP_FONT))))
    cmap, order = cut.getBestCmap(), cut.getGlyphOrder()
    signature = document.signatures.get()
    letters = {c for c in signature.certificate_subject.split(" (")[0] + "ЭЛЕКТРОННОЙ ПОДПИСЬЮ" if not c.isspace()}
    kept = program.getGlyphOrder()
    for letter in letters:
        gid = order.index(cmap[ord(letter)])
        assert program["glyf"][kept[gid]].numberOfContours != 0, f"«{letter}» has no outline in the stamp's font"
    assert program["maxp"].numGlyphs == cut["maxp"].numGlyphs  # glyph ids kept
    drawn = [name for name in kept if program["glyf"][name].numberOfContours != 0]
    assert len(letters) <= len(drawn) < len([n for n in order if cut["glyf"][n].numberOfContours != 0]) // 2
