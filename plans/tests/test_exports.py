import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def workbook(client, plan):
    response = client.get(reverse("plans:plan-export-xlsx", args=[plan.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_xlsx_has_the_columns_of_the_seed_table(client_as, plan):
    ws = workbook(client_as("member"), plan)
    header = next(row for row in ws.iter_rows(values_only=True) if row[0] == "№ п/п")
    assert list(header) == ["№ п/п", "Направление/мероприятие", "Дата проведения мероприятия",
                            "Организаторы/участники мероприятий"]


def test_xlsx_has_title_rows_and_the_approval(client_as, plan):
    ws = workbook(client_as("member"), plan)
    assert ws["A1"].value.startswith("ПЛАН РАБОТЫ ОБРАЗОВАТЕЛЬНО-ПРОИЗВОДСТВЕННОГО КЛАСТЕРА")
    assert ws["A2"].value == "на 2023 год"
    assert ws["A3"].value == "Утверждён решением 1.3 протокола № 2 от 30 марта 2023 г."


def test_xlsx_section_rows_are_merged_across_and_items_follow(client_as, plan):
    ws = workbook(client_as("member"), plan)
    rows = {row[0].value: row[0].row for row in ws.iter_rows(min_col=1, max_col=1) if row[0].value}
    section_row = next(r for v, r in rows.items() if str(v).startswith("1. Нормативное"))
    assert f"A{section_row}:D{section_row}" in {str(m) for m in ws.merged_cells.ranges}
    assert [c.value for c in ws[section_row + 2]][:3] == [
        "1.2.", "Заседание Кластера. Заседание Координационного совета.", "1 кв. 2023 года, 4 кв. 2023 года"]


def test_xlsx_is_set_up_for_printing(client_as, plan):
    ws = workbook(client_as("member"), plan)
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$5:$5"


def test_xlsx_cells_wrap_and_have_borders(client_as, plan):
    ws = workbook(client_as("member"), plan)
    cell = ws["B7"]
    assert cell.alignment.wrap_text and cell.border.left.style == "thin"


def test_pdf_is_landscape_a4_with_the_plan_text(client_as, plan):
    from pyhanko.pdf_utils.reader import PdfFileReader

    response = client_as("member").get(reverse("plans:plan-export-pdf", args=[plan.pk]))
    reader = PdfFileReader(io.BytesIO(b"".join(response.streaming_content)))
    box = [round(float(v)) for v in reader.root["/Pages"]["/Kids"][0]["/MediaBox"]]
    assert response["Content-Type"] == "application/pdf"
    assert box[2:] == [842, 595]
