"""PAdES signatures over protocol PDFs.

People sign in their browser (``prepare_external`` / ``finish_external``, pyHanko's interrupted
signing): the server prepares the PDF with the signature field, computes the document digest and the
CMS signed attributes for the signer's certificate, the browser signs the DER of those attributes with
a key the server never sees (static/js/signing.js: a PKCS#12 opened locally with WebCrypto, or the
CryptoPro plug-in), and the server embeds the returned signature value.

``ProtocolSigner``/``PadesSigner`` (a PKCS#12 held in memory) remain for the portal's own seal on
certified copies: that key is the portal's, not a person's.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import CIDFontType2, GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
import aiohttp
from asn1crypto import algos, cms
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.constants import ESIC_EXTENSION_1
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.signers.pdf_cms import ExternalSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko.stamp import TextStampStyle

from documents import pdf_speed
from documents.rendering import STAMP_FONT

pdf_speed.install()  # pyHanko's hex-string reader, without a Python step per byte (documents/pdf_speed.py)

STAMP_TITLE = "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ"
SEAL_TITLE = "КОПИЯ ВЕРНА: ЗАВЕРЕНО ЭЛЕКТРОННОЙ ПЕЧАТЬЮ ПОРТАЛА"
# fontTools warns about every table it cannot subset (FFTM) on every stamp.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


def outside_event_loop(function, *args, **kwargs):
    """Call ``function`` here, or in a worker thread when this thread runs an asyncio loop:
    pyHanko's synchronous API calls ``asyncio.run()``, which fails inside a running loop
    (Playwright's sync API in browser tests, async views)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


class SignerError(Exception):
    """The key material could not be used; ``str()`` is a message for the user."""


def name_display(name: asn1_x509.Name) -> str:
    """«Кудрявцева Татьяна Владимировна (ООО «…», RU)»: the common name, then the rest."""
    native = name.native
    rest = [native.get(key) for key in ("title", "organization_name", "locality_name", "country_name")]
    rest = [", ".join(v) if isinstance(v, list) else v for v in rest if v]
    common = native.get("common_name") or name.human_friendly
    return f"{common} ({', '.join(rest)})" if rest else common


@dataclass(frozen=True)
class CertificateInfo:
    owner: str  # the subject's common name
    subject: str
    issuer: str
    serial_hex: str
    valid_from: datetime.datetime
    valid_to: datetime.datetime

    def is_valid_at(self, moment: datetime.datetime) -> bool:
        return self.valid_from <= moment <= self.valid_to

    @classmethod
    def from_asn1(cls, cert: asn1_x509.Certificate) -> CertificateInfo:
        subject = cert.subject.native
        return cls(
            owner=subject.get("common_name", "") or cert.subject.human_friendly,
            subject=name_display(cert.subject),
            issuer=name_display(cert.issuer),
            serial_hex=format(cert.serial_number, "X"),
            valid_from=cert.not_valid_before,
            valid_to=cert.not_valid_after,
        )


@dataclass(frozen=True)
class SignatureArea:
    """A signature field to place: its name, page index and box in PDF points."""

    field_name: str
    page: int
    box: tuple[float, float, float, float]


# The stamp's dates are Moscow time whatever the process or the request's time zone (ГОСТ documents of
# the portal are dated in Moscow time).
STAMP_TIME_ZONE = ZoneInfo("Europe/Moscow")


def stamp_lines(cert: CertificateInfo, title: str = STAMP_TITLE) -> list[str]:
    def day(moment):
        return timezone.localtime(moment, STAMP_TIME_ZONE).strftime("%d.%m.%Y")

    return [
        title,
        f"Сертификат: {cert.serial_hex}",
        f"Владелец: {cert.owner}",
        f"Действителен с {day(cert.valid_from)} по {day(cert.valid_to)}",
    ]


class ProtocolSigner(ABC):
    certificate: CertificateInfo
    # The signing certificate and the others that came with the key (intermediate CAs), as
    # asn1crypto certificates: the service checks the chain before anything is stored.
    signing_cert: asn1_x509.Certificate
    other_certs: Sequence[asn1_x509.Certificate] = ()

    @abstractmethod
    def sign_pdf(self, pdf: bytes, *, field_name: str, new_fields: Sequence[SignatureArea] = (),
                 title: str = STAMP_TITLE) -> bytes:
        """Add ``new_fields`` (empty signature fields) and sign ``field_name``, as one incremental update,
        drawing the visible electronic-signature mark (headed ``title``) in the field."""


class _PerMilleGlyphAccumulator(GlyphAccumulator):
    """pyHanko writes glyph widths and TJ adjustments in the font's own units, but PDF
    CID fonts measure glyphs in 1/1000 em: with Liberation Serif (2048 units per em) every
    letter of the stamp ends up twice as far from the next. Shape and measure in 1/1000 em."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._per_mille = 1000 / self.units_per_em
        self.hb_font.scale = (1000, 1000)
        self.units_per_em = 1000

    def _extract_subset(self, options=None):
        """Nothing here: the font program is cut when it is embedded, once per set of glyphs
        (``_stamp_font_program``, set up by ``_StampFontFactory``)."""

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        if glyph_id not in self._glyphs:
            cid, width = super()._get_cid_and_width(glyph_id)
            self._glyphs[glyph_id] = (cid, round(width * self._per_mille))
        return self._glyphs[glyph_id]


@functools.cache
def _stamp_font_bytes(path: str) -> bytes:
    """The stamp font cut down once per process to what a stamp can print (Latin, Cyrillic,
    digits, punctuation), without hinting: pyHanko parses and subsets the font for every
    signature, and the whole Liberation Serif makes that several times slower."""
    from fontTools import subset

    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    # No OpenType layout tables: a stamp's Latin/Cyrillic lines need no ligatures or contextual forms,
    # and pyHanko re-parsed and re-subset GSUB/GPOS for every signature (a third of its cost).
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern"]
    font = subset.load_font(path, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x400, 0x460), *range(0x2010, 0x2027),
                                 0x2116])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@functools.lru_cache(maxsize=256)
def _stamp_font_program(path: str, glyph_ids: frozenset[int]) -> bytes:
    """The stamp font cut to one stamp's glyphs, glyph ids kept, Flate-compressed: what pyHanko's
    ``GlyphAccumulator._extract_subset`` and ``CIDFontType2.set_font_file`` make for every signature
    (fontTools' subset and compile of every table, ~5 ms of a signature's CPU), made once per glyph set.
    A signer's stamps (title, name, serial, dates) share theirs."""
    import zlib

    from fontTools import subset, ttLib

    font = ttLib.TTFont(io.BytesIO(_stamp_font_bytes(path)))
    options = subset.Options(layout_closure=False)
    options.drop_tables += ["GPOS", "GDEF", "GSUB"]
    options.retain_gids = True  # a TrueType font's CIDs are its glyph ids (/CIDToGIDMap /Identity)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(gids=sorted(glyph_ids))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return zlib.compress(out.getvalue())


def _embed_stamp_font(engine: GlyphAccumulator, writer, *, path: str):
    """``CIDFontType2.set_font_file`` for the stamp: the program of the glyphs ``engine`` has shaped."""
    stream = generic.StreamObject({generic.pdf_name("/Filter"): generic.pdf_name("/FlateDecode")},
                                  encoded_data=_stamp_font_program(path, frozenset(engine._glyphs)))
    reference = writer.add_object(stream)
    engine.cidfont_obj._font_descriptor[generic.pdf_name("/FontFile2")] = reference
    return reference


class _StampFontFactory(GlyphAccumulatorFactory):
    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        engine = _PerMilleGlyphAccumulator(
            writer=writer, font_handle=io.BytesIO(_stamp_font_bytes(self.font_file)), font_size=self.font_size,
            ot_script_tag=self.ot_script_tag, ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction, bcp47_lang_code=self.bcp47_lang_code, obj_stream=obj_stream,
        )
        if not isinstance(engine.cidfont_obj, CIDFontType2):
            raise TypeError("The stamp font must be a TrueType (glyf) font.")
        engine.cidfont_obj.set_font_file = functools.partial(_embed_stamp_font, engine, path=self.font_file)
        return engine


def _stamp_style() -> TextStampStyle:
    font = _StampFontFactory(str(STAMP_FONT), font_size=7)
    return TextStampStyle(
        stamp_text="%(line1)s\n%(line2)s\n%(line3)s\n%(line4)s",
        text_box_style=TextBoxStyle(font=font, font_size=7, leading=9),
        border_width=1,
        background=None,
    )


class ArchivalPdfSigner(signers.PdfSigner):
    """pyHanko's PdfSigner without the move to PDF 2.0: for an ECDSA key on a named curve pyHanko declares
    ISO 32002 and sets the catalog's /Version to 2.0, which PDF/A-2 (built on PDF 1.7, ISO 32000-1) does not
    allow. The PAdES (ESIC) extension of PDF 1.7 is kept; the signature itself is the same CMS."""

    def register_extensions(self, pdf_out, *, md_algorithm: str):
        if self.signature_meta.subfilter == fields.SigSeedSubFilter.PADES:
            pdf_out.ensure_output_version(version=(1, 7))
            if pdf_out.output_version < (2, 0):
                pdf_out.register_extension(ESIC_EXTENSION_1)


class PadesSigner(ProtocolSigner):
    """PAdES B-B, or B-T when a TSA URL is configured, with a key held only in memory."""

    def __init__(self, signer: signers.SimpleSigner, *, tsa_url: str = ""):
        self._signer = signer
        self.certificate = CertificateInfo.from_asn1(signer.signing_cert)
        self.signing_cert = signer.signing_cert
        self.other_certs = list(signer.cert_registry)
        self._timestamper = timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None

    @classmethod
    def from_pkcs12(cls, data: bytes, password: str, *, tsa_url: str | None = None) -> PadesSigner:
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=None,
                                                           passphrase=password.encode() if password else None)
        except ValueError:
            raise SignerError("Не удалось открыть файл ключа: неверный пароль или это не файл PKCS#12 (.p12, .pfx).") from None
        return cls(signer, tsa_url=settings.SIGNING_TSA_URL if tsa_url is None else tsa_url)

    def _bytes_reserved(self) -> int | None:
        """Room for the CMS (in hex digits, as pyHanko counts it) without pyHanko's size estimate, which
        builds and signs a whole dummy CMS first and so doubled the cost of every signature. The CMS
        carries the certificates, the signed attributes and one signature: their size plus 4 KB, with
        pyHanko's own 50 % margin. With a TSA the token's size is unknown: pyHanko estimates it."""
        if self._timestamper is not None:
            return None
        certs = [self._signer.signing_cert, *self._signer.cert_registry]
        cms_bytes = sum(len(cert.dump()) for cert in certs) + 4096
        hex_digits = cms_bytes * 2 * 3 // 2
        return -(-hex_digits // 1024) * 1024  # pyHanko wants an even count: whole kilobytes of hex

    def sign_pdf(self, pdf: bytes, *, field_name: str, new_fields: Sequence[SignatureArea] = (),
                 title: str = STAMP_TITLE) -> bytes:
        return outside_event_loop(self._sign_pdf, pdf, field_name=field_name, new_fields=new_fields, title=title)

    def _sign_pdf(self, pdf: bytes, *, field_name: str, new_fields: Sequence[SignatureArea], title: str) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        for area in new_fields:
            fields.append_signature_field(writer, fields.SigFieldSpec(area.field_name, on_page=area.page, box=area.box))
        lines = stamp_lines(self.certificate, title)
        pdf_signer = ArchivalPdfSigner(
            signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES,
                                         md_algorithm="sha256"),
            signer=self._signer,
            timestamper=self._timestamper,
            stamp_style=_stamp_style(),
        )
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=self._bytes_reserved(),
                            appearance_text_params={f"line{n}": line for n, line in enumerate(lines, start=1)})
        return out.getvalue()


def load_seal_signer() -> PadesSigner | None:
    """The portal's seal (settings.SIGNING_SEAL_PKCS12 and SIGNING_SEAL_PASSWORD), or None when not configured."""
    path = settings.SIGNING_SEAL_PKCS12
    if not path:
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        raise SignerError("Файл электронной печати портала недоступен; обратитесь к администратору.") from None
    return PadesSigner.from_pkcs12(data, settings.SIGNING_SEAL_PASSWORD)


# ---------------------------------------------------------------- signing in the browser (interrupted signing)

MD_ALGORITHM = "sha256"


@dataclass(frozen=True)
class PreparedSignature:
    """What the server keeps between «prepare» and «finish»: the PDF with the empty signature
    container, where that container is, the digest of the rest, and the signed attributes (DER)
    the signer's key signs."""

    pdf: bytes
    document_digest: bytes
    reserved_start: int
    reserved_end: int
    signed_attrs: bytes


def tsa_timestamper(tsa_url: str | None = None) -> timestamps.TimeStamper | None:
    url = settings.SIGNING_TSA_URL if tsa_url is None else tsa_url
    return timestamps.HTTPTimeStamper(url) if url else None


def _reserved_hex_digits(certs: Sequence[asn1_x509.Certificate], *, with_timestamp: bool) -> int:
    """Room for the CMS in hex digits, as pyHanko counts it: the certificates, the signed attributes and one
    signature, plus 4 KB, with a 50 % margin; a TSA's token (its own certificates included) gets 16 KB more."""
    cms_bytes = sum(len(cert.dump()) for cert in certs) + 4096 + (16384 if with_timestamp else 0)
    hex_digits = cms_bytes * 2 * 3 // 2
    return -(-hex_digits // 1024) * 1024


def prepare_external(pdf: bytes, *, certificate: asn1_x509.Certificate, chain: Sequence[asn1_x509.Certificate],
                     field_name: str, new_fields: Sequence[SignatureArea] = (), title: str = STAMP_TITLE,
                     with_timestamp: bool = False) -> PreparedSignature:
    """Add ``new_fields`` and the stamp of ``field_name`` as one incremental update with an empty signature
    container; return it with the document digest and the CMS signed attributes for ``certificate``."""
    return outside_event_loop(asyncio.run, _prepare_external(
        pdf, certificate=certificate, chain=chain, field_name=field_name, new_fields=new_fields, title=title,
        with_timestamp=with_timestamp))


async def _prepare_external(pdf, *, certificate, chain, field_name, new_fields, title, with_timestamp):
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for area in new_fields:
        fields.append_signature_field(writer, fields.SigFieldSpec(area.field_name, on_page=area.page, box=area.box))
    external = ExternalSigner(certificate, SimpleCertificateStore.from_certs(chain))
    pdf_signer = ArchivalPdfSigner(
        signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES,
                                     md_algorithm=MD_ALGORITHM),
        signer=external, stamp_style=_stamp_style(),
    )
    lines = stamp_lines(CertificateInfo.from_asn1(certificate), title)
    digest, _tbs, output = await pdf_signer.async_digest_doc_for_signing(
        writer, bytes_reserved=_reserved_hex_digits([certificate, *chain], with_timestamp=with_timestamp),
        appearance_text_params={f"line{n}": line for n, line in enumerate(lines, start=1)})
    signed_attrs = await external.signed_attrs(digest.document_digest, MD_ALGORITHM, use_pades=True)
    output.seek(0)
    return PreparedSignature(pdf=output.read(), document_digest=digest.document_digest,
                             reserved_start=digest.reserved_region_start, reserved_end=digest.reserved_region_end,
                             signed_attrs=signed_attrs.dump())


def normalise_signature_value(signature: bytes, certificate: asn1_x509.Certificate) -> bytes:
    """ECDSA as CMS wants it (a DER SEQUENCE of r and s): WebCrypto returns r‖s (IEEE P1363)."""
    if certificate.public_key.algorithm != "ec":
        return signature
    try:
        parsed = algos.DSASignature.load(signature, strict=True)
        parsed.native  # noqa: B018 - forces the parse
        return signature
    except (ValueError, TypeError):
        pass
    if len(signature) % 2 or not signature:
        raise SignerError("Подпись имеет неверный формат.")
    return algos.DSASignature.from_p1363(signature).dump()


def finish_external(prepared: PreparedSignature, *, certificate: asn1_x509.Certificate,
                    chain: Sequence[asn1_x509.Certificate], signature: bytes, tsa_url: str | None = None) -> bytes:
    """The prepared PDF with the CMS built around ``signature`` (the signer's signature of the signed
    attributes) embedded: B-B, or B-T with a timestamp from the configured TSA."""
    return outside_event_loop(asyncio.run, _finish_external(prepared, certificate=certificate, chain=chain,
                                                            signature=signature, tsa_url=tsa_url))


async def _finish_external(prepared, *, certificate, chain, signature, tsa_url):
    external = ExternalSigner(certificate, SimpleCertificateStore.from_certs(chain),
                              signature_value=normalise_signature_value(signature, certificate))
    signed_attrs = cms.CMSAttributes.load(prepared.signed_attrs)
    try:
        signature_cms = await external.async_sign_prescribed_attributes(
            MD_ALGORITHM, signed_attrs=signed_attrs, timestamper=tsa_timestamper(tsa_url))
    except (OSError, asyncio.TimeoutError, aiohttp.ClientError, timestamps.TimestampRequestError) as error:
        logging.getLogger(__name__).warning("TSA %s failed: %r", tsa_url or settings.SIGNING_TSA_URL, error)
        raise SignerError("Служба штампов времени недоступна: подпись не принята, попробуйте позже.") from None
    output = io.BytesIO(prepared.pdf)
    digest = PreparedByteRangeDigest(document_digest=prepared.document_digest,
                                     reserved_region_start=prepared.reserved_start,
                                     reserved_region_end=prepared.reserved_end)
    try:
        await PdfTBSDocument.async_finish_signing(output, digest, signature_cms)
    except SigningError as error:  # the CMS does not fit the reserved room
        raise SignerError(f"Подпись не помещается в подготовленный документ: {error}") from None
    return output.getvalue()
