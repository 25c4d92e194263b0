"""In Chromium: the navbar's box leads to the results, grouped by kind with the words highlighted."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_navbar_box_finds_decisions_in_any_form(page, login, live_server, demo, screenshot_dir):
    page.set_viewport_size({"width": 1680, "height": 900})  # the expanded navbar shows the box from 1600 px on
    login("secretary")
    page.fill("nav .portal-search input[name=q]", "Смоленская область")
    page.press("nav .portal-search input[name=q]", "Enter")
    page.wait_for_selector("#results-decisions .search-result")
    assert page.input_value("#id_q") == "Смоленская область"
    assert page.locator("#results-decisions mark").count() > 0
    assert page.locator("nav .portal-search input[name=q]").input_value() == ""
    page.screenshot(path=os.path.join(screenshot_dir, "search.png"), full_page=True)
    for width in (1680, 1440, 1366):  # narrower, the navbar shows an icon instead of the box
        page.set_viewport_size({"width": width, "height": 900})
        assert page.locator("nav .portal-search-link").is_visible() == (width < 1600)
        logout = page.locator("nav form[action$='/logout/'] button").bounding_box()
        assert logout["x"] + logout["width"] <= width, width
    page.set_viewport_size({"width": 800, "height": 900})  # collapsed: the box is in the menu
    page.click("nav .navbar-toggler")
    assert page.locator("nav .portal-search input[name=q]").is_visible()
    page.click("#results-decisions a:has-text('все результаты')")
    page.wait_for_selector("#results-decisions .pagination")
    assert page.locator(".search-group").count() == 1
