import datetime

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

from plans.models import ItemStatus, PlanItem, WorkPlan

pytestmark = pytest.mark.django_db


def page(client, plan, **params):
    return client.get(reverse("plans:plan-detail", args=[plan.pk]), params).content.decode()


def test_member_reads_the_approved_plan_as_the_familiar_table(client_as, plan):
    content = page(client_as("member"), plan)
    assert "1. Нормативное обеспечение деятельности образовательного кластера" in content
    assert "1.1." in content and "1 кв. 2023 года, 4 кв. 2023 года" in content
    assert "В течение года" in content


def test_plan_page_links_the_approving_decision(client_as, plan, demo):
    content = page(client_as("member"), plan)
    assert "Утверждён решением 1.3 протокола № 2 от 30 марта 2023 г." in content
    assert f'href="/meetings/{demo["meeting_2023"].pk}/"' in content


def test_item_links_the_meeting_that_carries_it_out(client_as, plan):
    content = page(client_as("member"), plan)
    assert "Протокол № 2 от 30 марта 2023 г." in content
    assert "решение 1.4 протокола № 2 от 30 марта 2023 г." in content


def test_second_quarter_filter_keeps_items_during_the_year(client_as, plan):
    content = page(client_as("member"), plan, quarter="2")
    assert "Анализ результатов мониторинга" in content  # 2 кв.
    assert "Мониторинг удовлетворенности работодателей" in content  # в течение года
    assert "Сбор данных фактического трудоустройства" not in content  # 1 кв.


def test_free_text_organizer_filter_matches_working_group(client_as, plan):
    content = page(client_as("member"), plan, text="рабочая группа")
    assert "Сбор данных фактического трудоустройства" in content
    assert "Актуализация состава участников" not in content


def test_organisation_filter_matches_linked_organisers(client_as, plan, demo):
    content = page(client_as("member"), plan, organizer=f"org:{demo['orgs']['dep_economy'].pk}")
    assert "Мониторинг и формирование среднесрочного" in content
    assert "Актуализация состава участников" not in content


def test_body_filter_matches_linked_bodies(client_as, plan, demo):
    content = page(client_as("member"), plan, organizer=f"body:{demo['council'].pk}")
    assert "Актуализация состава участников" in content
    assert "Сбор данных фактического трудоустройства" not in content


# "Overdue" is relative to today: compare the 2023 timeframes with a fixed day.
@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_overdue_status_is_computed_from_the_timeframe(client_as, plan):
    PlanItem.objects.filter(section__plan=plan, section__order=1, order=1).update(status=ItemStatus.DONE)
    content = page(client_as("member"), plan, status="overdue")
    assert "Анализ результатов мониторинга" in content
    assert "Актуализация состава участников" not in content


def test_member_filters_items_of_my_organisation_in_the_second_quarter(client_as, plan, demo):
    college = demo["orgs"]["college"]
    PlanItem.objects.get(section__plan=plan, section__order=3, order=4).organizers.add(college)
    PlanItem.objects.get(section__plan=plan, section__order=1, order=1).organizers.add(college)  # 1 кв. only
    content = page(client_as("member"), plan, mine="true", quarter="2")
    assert "Участие в региональных этапах Чемпионата" in content
    assert "Актуализация состава участников" not in content


def test_plan_list_shows_plans_with_progress(client_as, plan):
    PlanItem.objects.filter(section__plan=plan, section__order=1).update(status=ItemStatus.DONE)
    content = client_as("member").get(reverse("plans:plan-list")).content.decode()
    assert "на 2023 год" in content and "3 из 11 выполнено" in content


def test_plan_list_hides_drafts_from_members(client_as, draft_plan):
    assert "на 2024 год" not in client_as("member").get(reverse("plans:plan-list")).content.decode()
    assert "на 2024 год" in client_as("chair").get(reverse("plans:plan-list")).content.decode()


def test_plan_list_filters_by_year(client_as, plan):
    content = client_as("member").get(reverse("plans:plan-list"), {"year": 2018}).content.decode()
    assert "на IV квартал 2017 г. и 2018 г." in content and "на 2023 год" not in content


@pytest.mark.parametrize("size", [11, 200])
@pytest.mark.parametrize("params", [{}, {"quarter": "2", "status": "overdue"}])
def test_plan_page_queries_do_not_grow_with_items(client_as, plan, grow, size, params, django_assert_max_num_queries):
    grow(plan, size)
    client = client_as("member")
    caches["local"].clear()
    # 14 cold at any size: session, user with person, roles, plan, filter choices (organisations and bodies in
    # one), the approving decisions with every decision of their and the items' decisions' agenda items (one),
    # newer versions, the items' fingerprint (plans.views._content_key); then, the content not cached: items, their
    # organizers, bodies, meetings, decisions, sections.
    with django_assert_max_num_queries(14):
        assert client.get(reverse("plans:plan-detail", args=[plan.pk]), params).status_code == 200
    with django_assert_max_num_queries(8):  # warm: the first eight, no item read
        assert client.get(reverse("plans:plan-detail", args=[plan.pk]), params).status_code == 200


@pytest.mark.parametrize("size", [11, 200])
def test_plan_list_queries_do_not_grow_with_items(client_as, plan, grow, size, django_assert_max_num_queries):
    grow(plan, size)
    for n in range(size // 20):
        WorkPlan.objects.create(cluster=plan.cluster, title="План", period=f"на {2030 + n} год",
                                period_start=f"{2030 + n}-01-01", period_end=f"{2030 + n}-12-31")
    client = client_as("secretary")
    # session, user, roles (3), plans with counts
    with django_assert_max_num_queries(6):
        assert client.get(reverse("plans:plan-list")).status_code == 200


def test_plan_rows_from_the_fragment_cache_follow_what_they_print(client_as, plan):
    url = reverse("plans:plan-detail", args=[plan.pk])
    item = PlanItem.objects.filter(section__plan=plan).order_by("pk").first()
    secretary, member = client_as("secretary"), client_as("member")
    secretary.get(url), member.get(url)  # warm both viewers' rows
    PlanItem.objects.filter(pk=item.pk).update(title="Новое название мероприятия")
    organization = item.organizers.first()
    if organization is not None:
        type(organization).objects.filter(pk=organization.pk).update(short_name="Переименованная организация")
    html = secretary.get(url).content.decode()
    row = html.split(f'id="item-{item.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Новое название мероприятия" in row
    assert organization is None or "Переименованная организация" in row
    assert f'href="{reverse("plans:item-report", args=[item.pk])}"' in row  # the secretary reports on any item
    member_row = member.get(url).content.decode().split(f'id="item-{item.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Новое название мероприятия" in member_row


def test_decision_numbers_from_the_prepared_siblings(plan, django_assert_num_queries):
    """``plan_page_decisions`` fills each agenda item's decisions from a prepared query: the numbers
    are those a fresh decision computes, and printing them needs no query."""
    from meetings.models import Decision
    from plans import selectors

    items = selectors.plan_page_item_list(plan)
    decisions = [*selectors.plan_page_decisions(plan, items), *(d for item in items for d in item.decision_list)]
    assert decisions
    with django_assert_num_queries(0):
        numbers = [(d.pk, d.number) for d in decisions]
    assert numbers == [(d.pk, Decision.objects.get(pk=d.pk).number) for d in decisions]


@pytest.mark.parametrize("pk", [0, 2**31, 2**63, -1])
def test_no_such_plan_is_404(client_as, plan, pk):
    assert client_as("member").get(f"/plans/{pk}/").status_code == 404


def test_plan_approved_by_a_numberless_protocol_cites_it_without_a_number(client_as, demo):
    """The 20.11.2017 protocol has no number: «протокола от …», never «протокола № от …» (``cite_protocol``)."""
    plan_2017 = WorkPlan.objects.get(cluster=demo["cluster"], period="на IV квартал 2017 г. и 2018 г.")
    content = page(client_as("member"), plan_2017)
    assert "Утверждён решением 1 протокола от 20 ноября 2017 г." in content
    assert "протокола № от" not in content


def test_item_links_a_decision_of_a_numberless_protocol_without_a_number(client_as, plan, demo):
    PlanItem.objects.filter(section__plan=plan).order_by("pk").first().decisions.add(demo["decisions_2017"][0])
    content = page(client_as("member"), plan)
    assert "решение 1 протокола от 20 ноября 2017 г." in content
    assert "протокола № от" not in content
