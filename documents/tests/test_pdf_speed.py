"""documents.pdf_speed reads hex strings exactly as pyHanko's own reader does, signed protocols included."""

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError
from pyhanko.pdf_utils.reader import PdfFileReader

from documents import pdf_speed

CASES = [b"<>", b"<4142>", b"<41 42\n43\t44>", b"<414>", b"<d0bfd180>", b"<41%comment\n42>", b"<" + b"ab" * 70_000 + b">",
         b"<41 42> trailing <43>"]


@pytest.mark.parametrize("data", CASES)
def test_a_hex_string_reads_as_pyhanko_reads_it(data):
    ours, theirs = io.BytesIO(data), io.BytesIO(data)
    assert pdf_speed.read_hex_string(ours) == pdf_speed._original(theirs)
    assert ours.tell() == theirs.tell()  # the next object is read from the same place


@pytest.mark.parametrize("data", [b"<41zz>", b"<4142"])
def test_a_malformed_hex_string_fails_as_in_pyhanko(data):
    with pytest.raises(PdfStreamError):
        pdf_speed._original(io.BytesIO(data))
    with pytest.raises(PdfStreamError):
        pdf_speed.read_hex_string(io.BytesIO(data))


@pytest.fixture
def signed_pdf_bytes(meeting_2023):
    with meeting_2023.documents.current_signed().file.open("rb") as handle:
        return handle.read()


@pytest.mark.django_db
def test_signatures_of_a_signed_protocol_read_the_same(signed_pdf_bytes):
    def contents():
        return [bytes(s.sig_object["/Contents"]) for s in PdfFileReader(io.BytesIO(signed_pdf_bytes)).embedded_signatures]

    pdf_speed.install()
    fast = contents()
    generic.read_hex_string_from_stream = pdf_speed._original
    try:
        assert contents() == fast and len(fast) == 2
    finally:
        pdf_speed.install()
