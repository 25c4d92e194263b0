"""In Chromium (issue 12): a protocol in the style of a ministry meeting, as a new secretary types it —
attendees grouped by organisation and numbered, free-text rows with position and organisation, a
deadline in words, a numeric one, an impossible date refused beside its field, a named addressee
category — and the page prints it as typed."""

import re

import pytest

from meetings.models import Decision, Meeting
from members.services import addressee_category_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INSTITUTE = "ФГБОУ ДПО «Институт развития профессионального образования»"
INITIATORS = "Инициаторам создания образовательно-производственных центров (кластеров)"


def add_row(page, formset_prefix):
    page.locator(f'.formset[data-prefix="{formset_prefix}"] > button[data-action="add"]').click()


def test_a_protocol_with_grouped_attendance_words_deadlines_and_a_category(page, live_server, login, demo):
    addressee_category_save(cluster=demo["cluster"], name=INITIATORS,
                            organizations=[demo["orgs"]["smolapo"], demo["orgs"]["college"]])
    login("secretary")
    page.goto(f"{live_server.url}/meetings/new/")
    page.fill('[name="m-number"]', "43")
    page.check('[name="m-attendance_grouped"]')
    page.check('[name="m-attendance_numbered"]')
    for n, name in enumerate(["Бондарь О.А.", "Соколов А.С."]):
        add_row(page, "att")
        page.fill(f'[name="att-{n}-name_text"]', name)
        page.fill(f'[name="att-{n}-organization_text"]', INSTITUTE)

    page.click("#add-item")
    page.fill('[name="items-0-title"]', "О создании образовательно-производственных центров")
    for n, deadline in enumerate(["в установленные сроки", "31.02.2027"]):
        add_row(page, "items-0-dec")
        page.fill(f'[name="items-0-dec-{n}-text"]', f"Представить сведения {n + 1}.")
        page.select_option(f'[name="items-0-dec-{n}-kind"]', value="assign")
        page.fill(f'[name="items-0-dec-{n}-deadline_text"]', deadline)
    page.locator('.decision-row[data-form-prefix="items-0-dec-0"] details.decision-more').evaluate("d => d.open = true")
    page.check('[name="items-0-dec-0-responsible_categories"]')
    page.click("#save-protocol")
    page.wait_for_selector("#form-errors")
    assert "Нет такой даты: 31.02.2027. Проверьте день и месяц." in page.content()
    assert page.input_value('[name="items-0-dec-0-deadline_text"]') == "в установленные сроки"
    assert not Meeting.objects.filter(number="43").exists()

    page.fill('[name="items-0-dec-1-deadline_text"]', "28.02.2027")
    page.click("#save-protocol")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    text = page.locator("#protocol").inner_text()
    assert f"1. от {INSTITUTE}: Бондарь О.А., Соколов А.С." in text
    assert "Срок: в установленные сроки" in text and "Срок: 28.02.2027" in text
    assert f"Ответственный: {INITIATORS}" in text
    first, second = Decision.objects.filter(agenda_item__meeting__number="43").order_by("order")
    assert (first.deadline, first.deadline_text) == (None, "в установленные сроки")
    assert second.deadline.isoformat() == "2027-02-28" and list(first.responsible_categories.values_list("name", flat=True)) == [INITIATORS]
