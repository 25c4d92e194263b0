"""The editor's dynamic parts in Chromium: register search, a new person on the spot,
reordering and removing rows, and a validation error that keeps what was typed."""

import re

import pytest

from meetings.models import AgendaItem, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_rows_search_and_new_person(page, live_server, login, demo):
    login("secretary")
    page.goto(f"{live_server.url}/meetings/new/")
    page.fill('[name="m-number"]', "41")

    page.fill("#attendance-search", "Казак")
    page.click("#attendance-results button")
    page.click('button[data-bs-target="#new-person"]')
    page.fill('[name="np-last_name"]', "Новикова")
    page.fill('[name="np-first_name"]', "Анна")
    page.select_option('[name="np-organization"]', str(demo["orgs"]["copp"].pk))
    page.click("#new-person-add")
    page.wait_for_selector('[name="att-1-person"] option:checked:has-text("Новикова")', state="attached")

    for n, title in enumerate(["Первый", "Второй"]):
        page.click("#add-item")
        page.fill(f'[name="items-{n}-title"]', title)
    page.locator('.item-row[data-form-prefix="items-1"] > .card-header [data-action="up"]').click()
    page.locator('.formset[data-prefix="items-1-dec"] > button[data-action="add"]').click()
    page.fill('[name="items-1-dec-0-text"]', "Решение по второму вопросу")
    page.fill('[name="items-1-dec-0-deadline_text"]', "2000-01-01")  # before the meeting: refused
    page.click("#save-protocol")
    page.wait_for_selector("#form-errors")
    page.wait_for_load_state("load")  # the editor's script listens before the next edit
    assert page.input_value('[name="items-1-dec-0-text"]') == "Решение по второму вопросу"
    assert "Срок не может быть раньше даты заседания." in page.content()

    page.fill('[name="items-1-dec-0-deadline_text"]', "")
    with page.expect_response(lambda r: r.request.method == "POST", timeout=60_000) as posted:
        page.click("#save-protocol")
    response = posted.value
    if response.status != 302:  # say what the server answered instead of only timing out
        errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>(.*?)</', response.text(), re.S)
        pytest.fail(f"the second save answered {response.status}: {errors or response.text()[:2000]}")
    assert re.search(r"/meetings/\d+/$", response.headers["location"])
    page.wait_for_url(re.compile(r"/meetings/\d+/$"), wait_until="commit", timeout=60_000)
    meeting = Meeting.objects.get(number="41")
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == ["Второй", "Первый"]
    assert [a.person.last_name for a in meeting.attendances.select_related("person")] == ["Казаков", "Новикова"]


def test_a_new_person_already_in_the_register_is_offered_instead(page, live_server, login, demo):
    login("secretary")
    page.goto(f"{live_server.url}/meetings/new/")
    page.click('button[data-bs-target="#new-person"]')
    page.fill('[name="np-last_name"]', "Зарянкина")
    page.fill('[name="np-first_name"]', "Ольга")
    page.select_option('[name="np-organization"]', str(demo["orgs"]["copp"].pk))
    page.click("#new-person-add")
    page.wait_for_selector("#new-person-existing:visible")
    assert "уже есть в реестре организации" in page.inner_text("#new-person-errors")
    page.click("#new-person-existing")
    page.wait_for_selector('[name="att-0-person"] option:checked:has-text("Зарянкина")', state="attached")
