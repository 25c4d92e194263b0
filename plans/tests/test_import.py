import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from plans import exports, services
from plans.imports import PlanImportError, parse_timeframe
from plans.models import PlanItem, PlanStatus, TimeframeKind, WorkPlan

pytestmark = pytest.mark.django_db
HEADER = ["№ п/п", "Направление/мероприятие", "Дата проведения мероприятия", "Организаторы/участники мероприятий"]


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, demo, data: bytes):
    return client.post(reverse("plans:plan-import"), {
        "cluster": demo["cluster"].pk, "file": SimpleUploadedFile("plan.xlsx", data)})


def structure(plan):
    items = PlanItem.objects.filter(section__plan=plan).select_related("section").order_by("section__order", "order")
    return (list(plan.sections.order_by("order").values_list("order", "title")),
            [(i.section.order, i.order, i.title, i.timeframe_display, i.timeframe_kind, i.quarters, i.organizers_text)
             for i in items])


def test_seed_plan_exported_and_imported_back_is_the_same(demo):
    plan = demo["plan_2023"]
    imported = services.plan_import(cluster=demo["cluster"], file=io.BytesIO(exports.plan_xlsx(plan)))
    assert structure(imported) == structure(plan)
    assert (imported.status, imported.period, imported.period_start) == (PlanStatus.DRAFT, "на 2023 год", datetime.date(2023, 1, 1))


def test_round_trip_links_organizers_from_the_register(demo):
    imported = services.plan_import(cluster=demo["cluster"], file=io.BytesIO(exports.plan_xlsx(demo["plan_2023"])))
    item = PlanItem.objects.get(section__plan=imported, section__order=2, order=4)
    assert demo["orgs"]["dep_economy"] in item.organizers.all()


def test_round_trip_keeps_month_date_and_range_timeframes(demo, draft_plan):
    section = draft_plan.sections.get()
    for order, (kind, extra) in enumerate([
        (TimeframeKind.MONTH, {"month": 3}),
        (TimeframeKind.DATE, {"date_from": datetime.date(2024, 5, 30)}),
        (TimeframeKind.RANGE, {"date_from": datetime.date(2024, 11, 19), "date_to": datetime.date(2024, 12, 20)}),
        (TimeframeKind.QUARTERS, {"q2": True, "q3": True}),
    ], start=2):
        PlanItem.objects.create(section=section, order=order, title=f"Мероприятие {order}", year=2024,
                                timeframe_kind=kind, organizers_text="Рабочая группа", **extra)
    imported = services.plan_import(cluster=demo["cluster"], file=io.BytesIO(exports.plan_xlsx(draft_plan)))
    assert structure(imported) == structure(draft_plan)


@pytest.mark.parametrize(("text", "expected"), [
    ("1 кв. 2023 года", {"timeframe_kind": "quarters", "q1": True, "year": 2023}),
    ("1 кв. 2023 года 4 кв. 2023 года", {"q1": True, "q4": True, "q2": False}),
    ("1 кв. 2023 года, 4 кв. 2023 года", {"q1": True, "q4": True}),
    ("IV квартал 2017 г.", {"q4": True, "year": 2017}),
    ("В течение года", {"timeframe_kind": "year", "year": 2023}),
    ("Март 2023 года", {"timeframe_kind": "month", "month": 3}),
    ("30 марта 2023 г.", {"timeframe_kind": "date", "date_from": datetime.date(2023, 3, 30)}),
    ("30.03.2023", {"timeframe_kind": "date", "date_from": datetime.date(2023, 3, 30)}),
    ("с 19 по 20 декабря 2023 г.", {"timeframe_kind": "range", "date_from": datetime.date(2023, 12, 19),
                                    "date_to": datetime.date(2023, 12, 20)}),
    (datetime.datetime(2023, 5, 1), {"timeframe_kind": "date", "date_from": datetime.date(2023, 5, 1)}),
])
def test_timeframes_are_read_as_plans_write_them(text, expected):
    parsed = parse_timeframe(text, 2023)
    assert {k: parsed[k] for k in expected} == expected


@pytest.mark.parametrize("text, reason", [
    ("скоро", "не удалось распознать срок «скоро»"),
    ("1 кв. 2023 года и потом", "не удалось распознать срок «1 кв. 2023 года и потом»"),
    ("31 февраля 2023 г.", "несуществующая дата в сроке «31 февраля 2023 г.»"),
    ("с 20 по 19 декабря 2023 г.", "период «с 20 по 19 декабря 2023 г.» заканчивается раньше, чем начинается"),
])
def test_unreadable_timeframes_are_refused(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_timeframe(text, 2023)


def test_a_row_continuing_the_item_above_joins_its_title(demo):
    data = xlsx([["ПЛАН РАБОТЫ КЛАСТЕРА"], ["на 2023 год"], [], HEADER,
                 ["1. Мониторинг"], ["1.1.", "Мониторинг удовлетворенности работодателей качеством подготовки",
                                     "В течение года", "Рабочая группа"], [None, "специалистов"]])
    plan = services.plan_import(cluster=demo["cluster"], file=io.BytesIO(data))
    item = PlanItem.objects.get(section__plan=plan)
    assert item.title == "Мониторинг удовлетворенности работодателей качеством подготовки специалистов"
    assert plan.title == "План работы кластера"


def test_bad_rows_are_listed_with_row_numbers_and_nothing_is_saved(client_as, demo):
    before = WorkPlan.objects.count()
    data = xlsx([["ПЛАН РАБОТЫ"], ["на 2023 год"], HEADER,
                 ["1.1.", "До раздела", "1 кв. 2023 года", "Координатор"],
                 ["1. Раздел"],
                 ["1.1.", "Хорошее", "2 кв. 2023 года", "Координатор"],
                 ["1.2.", "Плохой срок", "когда-нибудь", "Координатор"],
                 ["1.3.", "", "3 кв. 2023 года", ""]])
    content = upload(client_as("secretary"), demo, data).content.decode()
    assert "мероприятие стоит до первого раздела" in content and "<td>4</td>" in content
    assert "не удалось распознать срок «когда-нибудь»" in content and "<td>7</td>" in content
    assert "не указано мероприятие" in content and WorkPlan.objects.count() == before


def test_a_file_without_the_header_row_is_refused(demo):
    with pytest.raises(PlanImportError, match="не найдена строка заголовка"):
        services.plan_import(cluster=demo["cluster"], file=io.BytesIO(xlsx([["что-то"], ["ещё"]])))


def test_a_file_that_is_not_xlsx_is_refused(demo):
    with pytest.raises(PlanImportError, match="не читается"):
        services.plan_import(cluster=demo["cluster"], file=io.BytesIO(b"not a workbook"))


def test_secretary_imports_a_plan_and_lands_in_the_editor(client_as, demo):
    response = upload(client_as("secretary"), demo, exports.plan_xlsx(demo["plan_2023"]))
    plan = WorkPlan.objects.filter(period="на 2023 год", status=PlanStatus.DRAFT).get()
    assert response.url == reverse("plans:plan-edit", args=[plan.pk])
