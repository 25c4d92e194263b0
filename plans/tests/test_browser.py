"""End to end in Chromium: the secretary marks item 1.1 done with a report; screenshots to look at."""

import os

import pytest

from plans.models import PlanItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_marks_an_item_done_with_a_report(page, login, live_server, demo, screenshot_dir):
    plan = demo["plan_2023"]
    item = PlanItem.objects.get(section__plan=plan, section__order=1, order=1)
    login("secretary")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.screenshot(path=os.path.join(screenshot_dir, "plans-plan-page-before.png"), full_page=True)

    page.click(f"#item-{item.pk} a[href$='/report/']")
    page.select_option("select[name=status]", "done")
    page.fill("textarea[name=report]", "Состав участников актуализирован: приняты СмолГУ и АНО «ЦПП».")
    page.click("#report-form button[type=submit]")
    page.wait_for_url(f"**/plans/{plan.pk}/**")

    row = page.locator(f"#item-{item.pk}")
    assert "Выполнено" in row.inner_text() and "приняты СмолГУ" in row.inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "plans-plan-page.png"), full_page=True)
    item.refresh_from_db()
    assert item.status == "done"


def test_secretary_sees_the_editor_and_the_item_form(page, login, live_server, demo, screenshot_dir):
    from plans.services import plan_new_version

    draft = plan_new_version(plan=demo["plan_2023"])
    item = PlanItem.objects.get(section__plan=draft, section__order=1, order=2)
    login("secretary")
    page.goto(f"{live_server.url}/plans/{draft.pk}/edit/")
    page.screenshot(path=os.path.join(screenshot_dir, "plans-editor.png"), full_page=True)
    page.goto(f"{live_server.url}/plans/items/{item.pk}/edit/")
    assert page.locator("input[name=q4]").is_checked()
    page.check("input[name=timeframe_kind][value=month]")
    assert page.locator("select[name=month]").is_visible() and not page.locator("input[name=q1]").is_visible()
    page.select_option("select[name=month]", "11")
    page.screenshot(path=os.path.join(screenshot_dir, "plans-item-form.png"), full_page=True)
    page.click("#item-form button[type=submit]")
    page.wait_for_url(f"**/plans/{draft.pk}/edit/**")
    assert "Ноябрь 2023 года" in page.locator(f"#item-{item.pk}").inner_text()
