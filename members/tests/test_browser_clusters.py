"""End to end in Chromium: the administrator sets up a cluster on one page; its new secretary sets
her password from the e-mail, logs in and finds her council in the protocol editor."""

import os
import re

import pytest
from django.core import mail


def shot(page, screenshot_dir, name):
    page.screenshot(path=os.path.join(screenshot_dir, f"clusters-{name}.png"), full_page=True)


@pytest.mark.browser
def test_administrator_sets_up_a_cluster_and_its_secretary_starts(page, login, live_server, screenshot_dir, demo):
    login("admin")
    page.goto(f"{live_server.url}/clusters/")
    page.click("text=Создать кластер")
    form = page.locator("#cluster-create-form")
    form.locator("input[name=name]").fill("Образовательно-производственный кластер агропромышленного комплекса")
    form.locator("input[name=short_name]").fill("Агрокластер")
    form.locator("input[name=region]").fill("Смоленская область")
    form.locator("input[name=founded_on]").fill("2025-02-01")
    form.locator("select[name=agenda_numbering]").select_option("roman")
    form.locator("input[name=secretary_username]").fill("agro-secretary")
    form.locator("input[name=secretary_email]").fill("ivanova@example.org")
    form.locator("input[name=secretary_last_name]").fill("Иванова")
    form.locator("input[name=secretary_first_name]").fill("Мария")
    form.locator("input[name=chair_last_name]").fill("Сидоров")
    form.locator("input[name=chair_first_name]").fill("Олег")
    shot(page, screenshot_dir, "1-new")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Кластер создан." in page.inner_text("main")
    seats = page.inner_text("#seat-roles")
    assert "Иванова Мария" in seats and "agro-secretary" in seats and "Сидоров Олег" in seats
    shot(page, screenshot_dir, "2-roles")

    link = re.search(r"http://\S+(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link}")
    page.fill("input[name=new_password1]", "Pole-Wheat-2026")
    page.fill("input[name=new_password2]", "Pole-Wheat-2026")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    login("agro-secretary", "Pole-Wheat-2026")
    page.goto(f"{live_server.url}/meetings/new/")
    assert "Координационный совет (Агрокластер)" in page.inner_text("select[name=m-body]")
    shot(page, screenshot_dir, "3-first-protocol")


@pytest.mark.browser
def test_secretary_sees_the_roles_of_her_cluster(page, login, live_server, screenshot_dir, demo):
    login("secretary")
    page.goto(f"{live_server.url}/clusters/{demo['cluster'].pk}/roles/")
    assert "Рудометкин" in page.inner_text("#seat-roles")
    assert page.locator("#grant-form select[name=role] option").all_inner_texts() == ["Секретарь", "Участник"]
    shot(page, screenshot_dir, "4-roles-secretary")
