"""In Chromium: the demo ``ministry`` logs in, opens «Координация» from the dashboard, reads the chart and
drills down into a cluster's overdue assignments and the authority protocol by cluster."""

import os

import pytest


@pytest.mark.browser
def test_ministry_follows_the_clusters_on_the_coordination_page(demo, page, login, live_server, screenshot_dir):
    login("ministry")
    page.click("#coordination-link a")
    page.wait_for_load_state()
    assert page.locator("#chart svg.discipline-chart g").count() == 2
    page.screenshot(path=os.path.join(screenshot_dir, "coordination-overview.png"), full_page=True)
    page.locator("#by-cluster a.text-danger").first.click()
    page.wait_for_load_state()
    assert page.locator("#coordination-assignments tbody tr.table-danger").count() >= 1
    page.screenshot(path=os.path.join(screenshot_dir, "coordination-overdue.png"), full_page=True)
    page.goto(f"{live_server.url}/coordination/")
    page.click("#authority-protocols a:text('По кластерам')")
    page.wait_for_load_state()
    assert demo["cluster"].short_name in page.locator("#by-cluster").inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "coordination-protocol.png"), full_page=True)
