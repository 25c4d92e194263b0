import datetime

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Decision, DecisionKind, Meeting, MeetingStatus
from core.errors import DomainError
from plans import services
from plans.models import PlanItem, PlanSection, PlanStatus, TimeframeKind, WorkPlan

pytestmark = pytest.mark.django_db


def item_data(section, **extra):
    return {"section": section.pk, "title": "Круглый стол", "timeframe_kind": "quarters", "year": "2024",
            "organizers_text": "Рабочая группа", **extra}


def numbers(plan):
    return [(i.section.order, i.order, i.title) for i in PlanItem.objects.filter(section__plan=plan).select_related("section")
            .order_by("section__order", "order")]


def test_secretary_creates_a_plan_and_lands_in_the_editor(client_as, demo):
    response = client_as("secretary").post(reverse("plans:plan-create"), {
        "cluster": demo["cluster"].pk, "title": "План работы кластера", "period": "на 2025 год",
        "period_start": "2025-01-01", "period_end": "2025-12-31"})
    plan = WorkPlan.objects.get(period="на 2025 год")
    assert response.url == reverse("plans:plan-edit", args=[plan.pk]) and plan.status == PlanStatus.DRAFT


def test_plan_period_must_end_after_it_starts(client_as, demo):
    response = client_as("secretary").post(reverse("plans:plan-create"), {
        "cluster": demo["cluster"].pk, "title": "План", "period": "на 2025 год",
        "period_start": "2025-12-31", "period_end": "2025-01-01"})
    assert "Окончание периода должно быть позже его начала." in response.content.decode()
    assert not WorkPlan.objects.filter(period="на 2025 год").exists()


def test_item_timeframe_is_entered_as_quarters_and_printed_as_plans_write_it(client_as, draft_plan):
    section = draft_plan.sections.get()
    client_as("secretary").post(reverse("plans:item-create", args=[section.pk]), item_data(section, q1="on", q4="on"))
    item = section.items.get(order=2)
    assert item.timeframe_display == "1 кв. 2024 года, 4 кв. 2024 года"
    assert item.due_date == datetime.date(2024, 12, 31)


def test_quarters_without_a_tick_get_a_russian_message_and_nothing_is_saved(client_as, draft_plan):
    section = draft_plan.sections.get()
    response = client_as("secretary").post(reverse("plans:item-create", args=[section.pk]), item_data(section))
    assert "Отметьте хотя бы один квартал." in response.content.decode()
    assert section.items.count() == 1


def test_range_must_end_after_it_starts(client_as, draft_plan):
    section = draft_plan.sections.get()
    response = client_as("secretary").post(reverse("plans:item-create", args=[section.pk]), item_data(
        section, timeframe_kind="range", date_from="2024-05-20", date_to="2024-05-19"))
    assert "Окончание периода должно быть позже его начала." in response.content.decode()


def test_month_and_range_timeframes(client_as, draft_plan):
    section = draft_plan.sections.get()
    client = client_as("secretary")
    client.post(reverse("plans:item-create", args=[section.pk]), item_data(section, timeframe_kind="month", month="3", q2="on"))
    client.post(reverse("plans:item-create", args=[section.pk]), item_data(
        section, timeframe_kind="range", date_from="2024-12-19", date_to="2024-12-20"))
    month, dates = section.items.filter(order__in=[2, 3]).order_by("order")
    assert (month.timeframe_display, month.q2) == ("Март 2024 года", False)
    assert dates.timeframe_display == "с 19 по 20 декабря 2024 г."


def test_organizers_picked_from_the_register_write_the_text_when_it_is_empty(client_as, draft_plan, demo):
    section = draft_plan.sections.get()
    client_as("secretary").post(reverse("plans:item-create", args=[section.pk]), item_data(
        section, q3="on", organizers_text="", organizers=[demo["orgs"]["dep_digital"].pk],
        organizer_bodies=[demo["working_group"].pk]))
    item = section.items.get(order=2)
    assert item.organizers_text == f"Департамент цифрового развития Смоленской области. {demo['working_group'].name}"
    assert list(item.organizers.all()) == [demo["orgs"]["dep_digital"]]


def test_items_are_renumbered_when_moved_and_removed(client_as, draft_plan):
    section = draft_plan.sections.get()
    client = client_as("secretary")
    for q in ("q2", "q3"):
        client.post(reverse("plans:item-create", args=[section.pk]), item_data(section, **{q: "on"}, title=q))
    third = section.items.get(order=3)
    client.post(reverse("plans:structure-action", kwargs={"kind": "item", "pk": third.pk, "action": "up"}))
    client.post(reverse("plans:structure-action", kwargs={"kind": "item", "pk": section.items.get(order=1).pk,
                                                          "action": "delete"}))
    assert [(o, t) for _s, o, t in numbers(draft_plan)] == [(1, "q3"), (2, "q2")]


def test_sections_are_renumbered_when_moved_and_removed(client_as, draft_plan):
    client = client_as("secretary")
    for title in ("Второй", "Третий"):
        client.post(reverse("plans:section-create", args=[draft_plan.pk]), {"title": title})
    third = draft_plan.sections.get(order=3)
    client.post(reverse("plans:structure-action", kwargs={"kind": "section", "pk": third.pk, "action": "up"}))
    client.post(reverse("plans:structure-action", kwargs={"kind": "section", "pk": draft_plan.sections.get(order=1).pk,
                                                          "action": "delete"}))
    assert list(draft_plan.sections.values_list("order", "title")) == [(1, "Третий"), (2, "Второй")]


def test_moving_an_item_to_another_section_appends_it_and_closes_the_gap(client_as, draft_plan):
    first = draft_plan.sections.get()
    second = services.section_add(plan=draft_plan, title="Второй")
    item = first.items.get()
    client_as("secretary").post(reverse("plans:item-edit", args=[item.pk]), item_data(second, q2="on", title="Перенесено"))
    assert numbers(draft_plan) == [(2, 1, "Перенесено")]


def test_approved_plan_is_locked(demo):
    section = demo["plan_2023"].sections.first()
    with pytest.raises(DomainError, match="Утверждённый план изменить нельзя"):
        services.section_add(plan=demo["plan_2023"], title="Новый")
    assert demo["plan_2023"].sections.count() == 3 and section.items.count() == 3


def test_secretary_marks_an_item_done_with_a_report(client_as, demo, users):
    item = demo["plan_items_2023"][0]
    client_as("secretary").post(reverse("plans:item-report", args=[item.pk]), {"status": "done", "report": "Состав актуализирован."})
    item.refresh_from_db()
    assert (item.status, item.report, item.reported_by) == ("done", "Состав актуализирован.", users["secretary"])


def test_done_without_a_report_is_refused(client_as, demo):
    item = demo["plan_items_2023"][0]
    response = client_as("secretary").post(reverse("plans:item-report", args=[item.pk]), {"status": "done", "report": ""})
    assert "Напишите краткий отчёт" in response.content.decode()


def test_secretary_links_the_meeting_that_carried_out_an_item(client_as, demo):
    item = demo["plan_items_2023"][3]
    client_as("secretary").post(reverse("plans:item-report", args=[item.pk]), {
        "status": "in_progress", "report": "", "meetings": [demo["meeting_2023"].pk]})
    assert list(item.meetings.all()) == [demo["meeting_2023"]]


@pytest.fixture
def adopt_decision(demo):
    meeting = Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], date=datetime.date(2024, 2, 1),
                                     number="1", status=MeetingStatus.APPROVED)
    agenda = AgendaItem.objects.create(meeting=meeting, order=1, title="О плане работы на 2024 год")
    return Decision.objects.create(agenda_item=agenda, order=1, text="Утвердить план работы на 2024 год.",
                                   kind=DecisionKind.ADOPT)


def test_plan_is_approved_by_an_adopt_decision_of_an_approved_protocol(client_as, draft_plan, adopt_decision):
    client_as("secretary").post(reverse("plans:plan-approve", args=[draft_plan.pk]), {"decision": adopt_decision.pk})
    draft_plan.refresh_from_db()
    assert draft_plan.status == PlanStatus.APPROVED
    assert "Утверждён решением 1 протокола № 1 от 1 февраля 2024 г." in client_as("member").get(
        reverse("plans:plan-detail", args=[draft_plan.pk])).content.decode()


def test_a_draft_protocol_cannot_approve_a_plan(draft_plan, adopt_decision):
    Meeting.objects.filter(pk=adopt_decision.agenda_item.meeting_id).update(status=MeetingStatus.DRAFT)
    adopt_decision.refresh_from_db()
    with pytest.raises(DomainError, match="ещё не утверждён"):
        services.plan_approve(plan=draft_plan, decision=adopt_decision)
    assert WorkPlan.objects.get(pk=draft_plan.pk).status == PlanStatus.DRAFT


def test_a_note_decision_cannot_approve_a_plan(draft_plan, adopt_decision):
    adopt_decision.kind = DecisionKind.NOTE
    with pytest.raises(DomainError, match="План утверждается решением вида «утвердить»"):
        services.plan_approve(plan=draft_plan, decision=adopt_decision)


def test_another_clusters_decision_cannot_approve_a_plan(draft_plan, demo):
    decision = Decision.objects.filter(agenda_item__meeting__cluster=demo["other_cluster"]).first()
    decision.kind = DecisionKind.ADOPT
    with pytest.raises(DomainError, match="другому кластеру"):
        services.plan_approve(plan=draft_plan, decision=decision)


def test_new_version_is_a_draft_copy_and_the_approved_one_stays(client_as, demo):
    plan = demo["plan_2023"]
    response = client_as("secretary").post(reverse("plans:plan-new-version", args=[plan.pk]))
    new = WorkPlan.objects.get(previous_version=plan)
    assert (new.version, new.status, response.url) == (2, PlanStatus.DRAFT, reverse("plans:plan-edit", args=[new.pk]))
    assert [t for _s, _o, t in numbers(new)] == [t for _s, _o, t in numbers(plan)]
    assert WorkPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


def test_new_version_keeps_organizers_and_links(demo):
    new = services.plan_new_version(plan=demo["plan_2023"])
    copied = PlanItem.objects.get(section__plan=new, section__order=1, order=2)
    assert copied.meetings.get() == demo["meeting_2023"] and copied.organizers.count() == 2


def test_member_sees_the_approved_version_while_the_new_one_is_a_draft(client_as, demo):
    services.plan_new_version(plan=demo["plan_2023"])
    content = client_as("member").get(reverse("plans:plan-list")).content.decode()
    assert content.count("на 2023 год") == 1
