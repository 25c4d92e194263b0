"""The register as of a date as an XLSX workbook («Состав Кластера на 01.01.2023»)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core import ru
from core.xlsx import XLSX_TYPE, workbook_bytes  # noqa: F401 (XLSX_TYPE: the views' content type)


def register_xlsx(cluster, day: datetime.date, groups) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Register")[:31]
    sheet.append([_("Composition of %(cluster)s as of %(day)s") % {"cluster": cluster.name, "day": ru.ru_date_numeric(day)}])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([])
    header = ["№", _("Organisation"), _("Short name"), _("Kind"), _("Head organisation"), _("Status"),
              _("Invited on"), _("Joined on"), _("Left on"), _("Accession document")]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    number = 0
    for group in groups:
        sheet.append([group.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for row in group.rows:
            for membership in [row.membership, *row.branches]:
                number += 1
                sheet.append(_row(number, membership))
        for total in group.totals:
            sheet.append(["", _("In the cluster in total: %(what)s") % {"what": total}])
    for column, width in zip("ABCDEFGHIJ", (6, 70, 30, 28, 30, 14, 12, 12, 12, 40)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=4):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row[6:9]:
            cell.number_format = "DD.MM.YYYY"
    return workbook_bytes(book)


def _row(number, membership):
    org = membership.organization
    states = {"joined": _("Member"), "invited": _("Invited"), "left": _("Left")}
    return [
        number, org.full_name, org.short_name, str(org.get_kind_display()), str(org.parent or ""),
        str(states.get(membership.state, membership.state)),
        membership.invited_on, membership.joined_on, membership.left_on, membership.document_title,
    ]
