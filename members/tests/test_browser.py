"""End to end in Chromium: the secretary hands the council's secretary over as of a date,
adds a person (and is offered the existing one instead of a duplicate)."""

import os

import pytest


def shot(page, screenshot_dir, name):
    page.screenshot(path=os.path.join(screenshot_dir, f"members-{name}.png"), full_page=True)


@pytest.mark.browser
def test_secretary_hands_over_the_council_secretary_as_of_a_date(page, login, live_server, screenshot_dir, demo):
    council = demo["council"]
    login("secretary")
    page.goto(f"{live_server.url}/members/")
    assert "Всего в составе кластера 6 работодателей" in page.inner_text("#register")
    shot(page, screenshot_dir, "1-register")

    page.click("#bodies >> text=Координационный совет")
    page.click("text=Изменить состав с даты")
    page.select_option("#composition-form select[name=role]", "secretary")
    page.select_option("#composition-form select[name=person]", str(demo["people"]["kazakov"].pk))
    page.fill("#composition-form input[name=on]", "2026-11-01")
    shot(page, screenshot_dir, "2-change-form")
    page.click("#composition-form button[type=submit]")
    page.wait_for_load_state()
    composition = page.inner_text("#composition")
    assert "Состав изменён с 1 ноября 2026 г." in page.inner_text("main")
    assert "Казаков" in composition and "Кудрявцева" not in composition
    shot(page, screenshot_dir, "3-new-composition")

    page.goto(f"{live_server.url}/members/bodies/{council.pk}/?on=2026-10-31")
    assert "Кудрявцева" in page.inner_text("#composition")
    shot(page, screenshot_dir, "4-composition-before")

    # The rights moved: the old secretary may no longer change the composition, the new one may.
    response = page.goto(f"{live_server.url}/members/bodies/{council.pk}/change/")
    assert response.status == 403
    login("member")
    assert page.goto(f"{live_server.url}/members/bodies/{council.pk}/change/").status == 200


@pytest.mark.browser
def test_secretary_adds_a_person_and_is_offered_the_existing_one(page, login, live_server, screenshot_dir, demo):
    copp = demo["orgs"]["copp"]
    login("secretary")
    page.goto(f"{live_server.url}/members/organizations/{copp.pk}/")
    shot(page, screenshot_dir, "5-organisation")
    page.click("text=Добавить представителя")
    page.fill("input[name=last_name]", "Зарянкина")
    page.fill("input[name=first_name]", "Ольга")
    page.fill("input[name=patronymic]", "Михайловна")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Этот человек уже есть в реестре" in page.inner_text("#existing-person")
    shot(page, screenshot_dir, "6-duplicate-offered")

    page.fill("input[name=last_name]", "Смирнова")
    page.fill("input[name=first_name]", "Анна")
    page.fill("input[name=patronymic]", "Игоревна")
    page.fill("input[name=position]", "методист")
    page.fill("input[name=email]", "smirnova@example.org")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Смирнова Анна Игоревна"
    shot(page, screenshot_dir, "7-person")
    page.goto(f"{live_server.url}/members/people/?q=смирн")
    assert "smirnova@example.org" in page.inner_text("#people")
    shot(page, screenshot_dir, "8-people-search")
