"""In Chromium: the pages with scripts run under the Content-Security-Policy without a violation."""

import pytest

from plans.models import PlanItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def collect_violations(page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def test_pages_with_scripts_pass_the_policy(page, login, live_server, demo):
    violations = collect_violations(page)
    login("secretary")
    meeting = demo["meeting_2017"]
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("button[data-print]")
    assert page.evaluate("window.__printed") is True
    page.goto(f"{live_server.url}/meetings/new/")
    page.goto(f"{live_server.url}/tasks/calendar/")
    page.click("#feed-url")
    assert page.evaluate("document.activeElement.selectionEnd - document.activeElement.selectionStart") > 10
    assert violations == []


def test_delete_asks_first(page, login, live_server, demo):
    from plans.services import plan_new_version

    draft = plan_new_version(plan=demo["plan_2023"])
    item = PlanItem.objects.filter(section__plan=draft).order_by("section__order", "order").last()
    login("secretary")
    page.goto(f"{live_server.url}/plans/{draft.pk}/edit/")
    form = f"form[action$='/items/{item.pk}/delete/'] button"
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click(form)
    page.wait_for_timeout(300)
    assert PlanItem.objects.filter(pk=item.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(form)
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    assert not PlanItem.objects.filter(pk=item.pk).exists()
