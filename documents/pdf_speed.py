"""A faster reader of PDF hex strings for pyHanko (issue 13).

pyHanko reads a hex string ``<…>`` one byte at a time through a generator. A signature's ``/Contents``
is such a string of tens of thousands of hex digits, so every read of a signed protocol (preparing the
second signature, checking each signature before it is stored, verifying a download) spent most of its
parsing time there: ~40 ms of the ~50 ms it takes to list the signatures of the seed protocol.

``read_hex_string`` finds the closing ``>`` with one ``find`` and decodes the digits with ``binascii``. It
gives what pyHanko's reader gives for every input: a string with a comment (``%``) or with anything but
hex digits and PDF whitespace is handed to pyHanko's own function, which also raises its own errors.
``documents/tests/test_pdf_speed.py`` compares the two. ``install()`` is idempotent.
"""

from __future__ import annotations

import binascii
import re

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_WHITESPACE

_original = generic.read_hex_string_from_stream
_HEX = re.compile(rb"[0-9A-Fa-f]*")
_CHUNK = 1 << 16


def read_hex_string(stream):
    """``pyhanko.pdf_utils.generic.read_hex_string_from_stream``, without a Python step per byte."""
    start = stream.tell()
    stream.read(1)  # the opening "<"
    chunks, length = [], 0
    while True:
        block = stream.read(_CHUNK)
        end = block.find(b">")
        if end >= 0:
            chunks.append(block[:end])
            length += end
            break
        if not block or b"%" in block:  # truncated, or a comment: pyHanko's reader decides
            stream.seek(start)
            return _original(stream)
        chunks.append(block)
        length += len(block)
    raw = b"".join(chunks)
    digits = raw.translate(None, PDF_WHITESPACE)
    if not _HEX.fullmatch(digits):  # a comment or a stray byte: pyHanko's reader decides (and raises)
        stream.seek(start)
        return _original(stream)
    stream.seek(start + 1 + length + 1)
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


def install() -> None:
    generic.read_hex_string_from_stream = read_hex_string
