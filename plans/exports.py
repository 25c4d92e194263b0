"""XLSX export of a plan in the layout the clusters keep their plans in (the seed table).

Columns «№ п/п», «Направление/мероприятие», «Дата проведения мероприятия», «Организаторы/участники
мероприятий»; title rows above; section rows merged across; wrapped text, thin borders; printed on
landscape A4, fit to the page width, with the header row repeated on every page. ``plans.imports``
reads the same layout back.
"""

from __future__ import annotations

import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core import ru
from core.xlsx import workbook_bytes
from plans import selectors
from plans.models import WorkPlan

HEADERS = ["№ п/п", "Направление/мероприятие", "Дата проведения мероприятия", "Организаторы/участники мероприятий"]
WIDTHS = [9, 62, 24, 52]  # characters
FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")
LINE_HEIGHT = 15.0  # points per line of 12 pt text


def approval_line(plan: WorkPlan, decisions=None) -> str:
    """«Утверждён решением 1.3 протокола № 2 от 30 марта 2023 г.» (empty for a draft)."""
    decisions = decisions if decisions is not None else selectors.approving_decisions(plan)
    if not decisions:
        return ""
    decision = decisions[0]
    meeting = decision.agenda_item.meeting
    number = f" № {meeting.number}" if meeting.number else ""
    return f"Утверждён решением {decision.number} протокола{number} от {ru.ru_date(meeting.date)}"


def _height(texts_and_widths) -> float:
    lines = 1
    for text, width in texts_and_widths:
        per_line = max(width * 1.15, 1)
        count = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text or "").split("\n"))
        lines = max(lines, count)
    return lines * LINE_HEIGHT + 3


def plan_xlsx(plan: WorkPlan) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"План {plan.period_start.year}"[:31]
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    total_width = sum(WIDTHS)

    row = 1
    for text, font in (
        (plan.title.upper(), Font(name=FONT, size=14, bold=True)),
        (plan.period, Font(name=FONT, size=14, bold=True)),
    ):
        ws.cell(row=row, column=1, value=text).font = font
        ws.cell(row=row, column=1).alignment = CENTER
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = _height([(text, total_width * 0.8)]) * 14 / 12
        row += 1
    approval = approval_line(plan)
    if approval:
        cell = ws.cell(row=row, column=1, value=approval)
        cell.font = Font(name=FONT, size=12, italic=True)
        cell.alignment = Alignment(horizontal="right")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        row += 1
    row += 1  # a blank row before the table

    header_row = row
    for column, text in enumerate(HEADERS, start=1):
        cell = ws.cell(row=row, column=column, value=text)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = CENTER
        cell.border = BORDER
        cell.fill = PatternFill("solid", fgColor="E8EEF5")
    ws.row_dimensions[row].height = 32
    row += 1

    section_fill = PatternFill("solid", fgColor="F2F2F2")
    for section, items in selectors.plan_table(plan, selectors.plan_items(plan)):
        text = f"{section.number} {section.title}"
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        for column in range(1, 5):
            ws.cell(row=row, column=column).border = BORDER
            ws.cell(row=row, column=column).fill = section_fill
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = _height([(text, total_width)])
        row += 1
        for item in items:
            values = [f"{section.order}.{item.order}.", item.title, item.timeframe_display, item.organizers_text]
            for column, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=column, value=value)
                cell.font = Font(name=FONT, size=12)
                cell.alignment = WRAP_TOP
                cell.border = BORDER
            ws.row_dimensions[row].height = _height(zip(values, WIDTHS))
            row += 1

    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "&P / &N"

    return workbook_bytes(wb)


def export_filename(plan: WorkPlan, extension: str) -> str:
    version = f" (версия {plan.version})" if plan.version > 1 else ""
    return f"План работы {plan.period}{version}.{extension}"
