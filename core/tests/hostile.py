"""Hostile uploads, built in the test (issue 11): what an anonymous visitor or a secretary could send.

Each builder returns bytes; sizes are parameters so a test can choose a cheap variant.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook


def huge_xref_pdf(entries: int = 900_000) -> bytes:
    """A tiny valid PDF whose cross-reference table lists ``entries`` objects (20 bytes each: ~18 MB
    at the default). Reading it makes a PDF parser walk every entry before it finds anything."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for body in (b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (len(offsets), body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % entries
    out += b"".join(b"%010d 00000 n\r\n" % offset for offset in offsets)
    # in-use entries that all point at the catalog: each one is parsed and kept
    out += (b"%010d 00000 n\r\n" % offsets[0]) * (entries - 1 - len(offsets))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (entries, start)
    return bytes(out)


def many_fields_pdf(references: int = 3_000_000) -> bytes:
    """A small valid PDF whose form lists one field ``references`` times (6 bytes each: ~18 MB at the
    default). Looking for signature fields means tokenizing and resolving every reference."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
               b"<< /FT /Tx /T (f) >>", b"<< /Fields [" + b"3 0 R " * references + b"] >>"]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n\r\n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


def _plan_workbook() -> dict[str, bytes]:
    """The members of a small genuine plan workbook (as openpyxl writes it)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["ПЛАН РАБОТЫ КЛАСТЕРА"])
    sheet.append(["на 2024 год"])
    sheet.append(["№ п/п", "Направление/мероприятие", "Дата проведения мероприятия", "Организаторы/участники мероприятий"])
    sheet.append(["1. Организационная работа"])
    sheet.append(["1.1.", "Заседание Кластера", "1 кв. 2024 года", "Координатор"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        return {info.filename: source.read(info) for info in source.infolist()}


SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def wide_row_xlsx(cells: int, *, cell: bytes = b"<c><v>1</v></c>", compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A workbook whose first sheet is one row of ``cells`` cells (15 bytes of XML each, compressing
    about 1000:1 deflated): ~3 million cells make a ~45 KB file that unpacks to ~45 MB of XML."""
    members = _plan_workbook()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as target:
        for name, data in members.items():
            if name != SHEET:
                target.writestr(name, data)
        info = zipfile.ZipInfo(SHEET)
        info.compress_type = compression
        with target.open(info, "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD + b"<row>")
            chunk = cell * 10_000
            for _ in range(cells // 10_000):
                sheet.write(chunk)
            sheet.write(b"</row>" + SHEET_TAIL)
    return buffer.getvalue()


def many_members_xlsx(count: int = 5000) -> bytes:
    members = _plan_workbook()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
        for n in range(count):
            target.writestr(f"xl/media/padding{n}.bin", b"")
    return buffer.getvalue()


def plan_xlsx() -> bytes:
    members = _plan_workbook()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return buffer.getvalue()
