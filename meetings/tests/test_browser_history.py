"""In Chromium: the protocol page loads its change history only when asked (htmx, under the CSP)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_opens_the_history_in_place(page, live_server, login, demo):
    login("secretary")
    meeting = demo["meeting_2023"]
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    panel = page.locator("#meeting-history")
    assert panel.locator(".list-group-item").count() == 0
    page.click("#show-history")
    page.wait_for_selector("#meeting-history .list-group-item, #meeting-history .card-body.text-muted")
    assert page.url.endswith(f"/meetings/{meeting.pk}/")  # replaced in place, no navigation
    assert "Показать историю изменений" not in page.locator("#meeting-history").inner_text()
