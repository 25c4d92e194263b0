"""Signed protocols are archival PDF/A-2b (ГОСТ documents are kept for years): XMP metadata declaring PDF/A-2B
with the protocol's title, body, number and date, an sRGB output intent, every font embedded, a structure tree
for screen readers; the signatures are incremental updates that keep all of it. veraPDF is not packaged for
Debian: the test reads the declarations with pyHanko's reader and poppler's pdffonts."""

import io
import re
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from documents.models import ProtocolDocument
from documents.verification import VALID, verify_pdf

pytestmark = pytest.mark.django_db


def stored(document):
    with document.file.open("rb") as handle:
        return handle.read()


def xmp_of(reader) -> str:
    return reader.root["/Metadata"].get_object().data.decode("utf-8")


def test_the_signed_protocol_is_pdf_a_2b_with_its_metadata(meeting_2017, sign_as, tmp_path):
    sign_as("churanov", meeting_2017)
    document = sign_as("belokopytov", meeting_2017)
    data = stored(document)
    reader = PdfFileReader(io.BytesIO(data))
    assert len(reader.embedded_signatures) == 2

    # PDF/A-2 is built on PDF 1.7: the header and the catalog stay 1.7 after the (ECDSA) signatures.
    assert data.startswith(b"%PDF-1.7") and str(reader.root.get("/Version", "/1.7")) == "/1.7"
    xmp = xmp_of(reader)
    assert re.search(r"pdfaid:part(=\"|>)2", xmp) and re.search(r"pdfaid:conformance(=\"|>)B", xmp)
    assert "Протокол" in xmp and "20 ноября 2017" in xmp  # dc:title
    assert "Координационный совет" in xmp or "Координационного совета" in xmp  # dc:description: the body
    info = reader.trailer["/Info"].get_object()
    assert str(info["/Title"]).startswith("Протокол") and "20 ноября 2017" in str(info["/Title"])
    assert "2017-11-20" in str(info.get("/CreationDate", "")) or "20171120" in str(info.get("/CreationDate", ""))

    intents = reader.root["/OutputIntents"]
    intent = intents[0].get_object()
    assert str(intent["/S"]) == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert "/StructTreeRoot" in reader.root and reader.root["/MarkInfo"]["/Marked"]
    assert str(reader.root["/Lang"]) == "ru"

    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the «emb» column, the stamp's font too

    # The first revision (the secretary's PDF/A render) is intact under both signatures.
    assert [s.verdict for s in verify_pdf(data).signatures] == [VALID, VALID]


def test_drafts_stay_plain_pdf(client_as, meeting_2017):
    from django.urls import reverse

    response = client_as("secretary").get(reverse("documents:protocol-pdf", args=[meeting_2017.pk]) + "?form=short")
    reader = PdfFileReader(io.BytesIO(response.content))
    assert "/OutputIntents" not in reader.root
    assert not ProtocolDocument.objects.filter(meeting=meeting_2017).exists()
