"""Saving openpyxl workbooks so that no exported text becomes a live formula.

openpyxl stores a string that starts with ``=`` as a formula, and Excel or LibreOffice evaluates
it on opening: a plan item titled ``=HYPERLINK("http://…", "…")`` would become a link, and
``=WEBSERVICE(…)`` would leak the sheet. Spreadsheet programs also turn text typed with a leading
``+``, ``-``, ``@`` (and a tab or CR in front of them) into a formula when the cell is edited.
Every export therefore saves through :func:`workbook_bytes`, which makes each such cell a plain
text cell (``data_type = "s"``) with Excel's «quote prefix» style: the value stays exactly as it
was written (no apostrophe is added to it), and the cell stays text when someone edits it.
"""

from __future__ import annotations

import io

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def as_text(cell) -> None:
    """Make one cell whose value is a string a text cell, whatever the string starts with."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def text_only(workbook) -> None:
    """Turn every formula-looking string cell of every sheet into a text cell (the exports write no formulas)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)


def workbook_bytes(workbook) -> bytes:
    """The workbook as XLSX bytes, with every string written as text (see the module docstring)."""
    text_only(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
