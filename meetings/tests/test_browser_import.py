"""In Chromium: the secretary uploads a protocol, reviews it beside its source and confirms the draft."""

import pathlib

import pytest

from meetings.importing.models import ProtocolImport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = pathlib.Path(__file__).parent / "import_samples" / "working_group_heard_spoke.txt"


def test_secretary_imports_reviews_and_confirms_a_protocol(page, live_server, login, demo, screenshot_dir):
    login("secretary")
    page.goto(f"{live_server.url}/meetings/")
    page.click("#import-protocols")
    page.select_option('[name="body"]', str(demo["presidium"].pk))
    page.set_input_files('[name="file"]', str(SAMPLE))
    page.click("#import-submit")

    page.wait_for_selector("#parsed-protocol")
    assert page.inner_text("#parsed-date") == "14 ноября 2023 г."
    assert "ОГБПОУ СмолАПО" in page.inner_text("#decision-1\\.2")
    assert "до 12:00 (мск) 13 декабря 2023 г." in page.inner_text("#decision-1\\.2")
    # A flag links to its source line.
    page.click('#import-flags a[href="#L17"]')
    assert "Представитель Департамента" in page.inner_text("#L17")
    page.screenshot(path=f"{screenshot_dir}/import-review.png", full_page=True)

    page.fill('[name="number"]', "7")
    page.click("#confirm-import")
    page.wait_for_selector("#import-confirmed")
    page.click("#open-editor")
    page.wait_for_load_state()
    meeting = ProtocolImport.objects.get().meeting
    assert page.url.endswith(f"/meetings/{meeting.pk}/edit/")
    assert page.input_value('[name="items-0-dec-1-text"]') == "ОГБПОУ СмолАПО подготовить предложения по набору на 2024 год."
    assert meeting.status == "draft" and meeting.body_id == demo["presidium"].pk
