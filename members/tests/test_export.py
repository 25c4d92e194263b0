"""The register as of a date as an XLSX workbook."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from members.models import Membership, MembershipStatus

pytestmark = pytest.mark.django_db


def workbook(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    return load_workbook(BytesIO(response.content)).active


def column(sheet, n):
    return [row[n] for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_export_names_the_date_and_lists_the_groups(client_as, demo):
    sheet = workbook(client_as("member"), "/members/export.xlsx?on=2023-01-01")
    assert sheet["A1"].value.endswith("на 01.01.2023")
    assert "Органы государственной власти" in column(sheet, 0) and "Образовательные организации" in column(sheet, 0)


def test_export_counts_like_the_protocol(client_as, demo):
    sheet = workbook(client_as("member"), "/members/export.xlsx?on=2023-01-01")
    assert "Всего в составе кластера 2 профессиональные образовательные организации (с филиалами)" in column(sheet, 1)


def test_export_follows_the_date(client_as, demo):
    Membership.objects.filter(organization=demo["orgs"]["man"]).update(
        status=MembershipStatus.LEFT, left_on=datetime.date(2024, 1, 1))
    client = client_as("member")
    assert "ООО «МАН сеть»" in column(workbook(client, "/members/export.xlsx?on=2023-12-31"), 1)
    assert "ООО «МАН сеть»" not in column(workbook(client, "/members/export.xlsx?on=2024-01-01"), 1)


def test_export_has_the_dates_as_dates(client_as, demo):
    sheet = workbook(client_as("member"), "/members/export.xlsx?on=2023-01-01")
    joined = [value for value in column(sheet, 7) if value]
    assert joined[0].date() == datetime.date(2017, 11, 20)


def test_export_filename_carries_the_date(client_as, demo):
    response = client_as("member").get("/members/export.xlsx?on=2023-01-01")
    assert "register-2023-01-01.xlsx" in response["Content-Disposition"]
