"""In Chromium: the secretary sets who signs the council's protocols (a set list of two signers); an empty
list is refused beside the form; the body's page then names the signers."""

import pytest

from members.models import Body, SignatoriesStyle

pytestmark = pytest.mark.browser


def test_secretary_sets_signers_in_a_set_order(page, login, live_server, demo, screenshot_dir):
    council, p = demo["council"], demo["people"]
    login("secretary")
    page.goto(f"{live_server.url}/members/bodies/{council.pk}/")
    page.click("text=Кто подписывает протоколы")
    page.wait_for_load_state()
    page.check(f"input[name=style][value={SignatoriesStyle.CUSTOM}]")
    page.click("#signatories-form button[type=submit]")  # no signer listed: refused beside the form
    page.wait_for_load_state()
    assert "Укажите хотя бы одного подписанта" in page.inner_text("#signatories-form")
    page.select_option("select[name=signers-0-person]", str(p["rudometkin"].pk))
    page.fill("input[name=signers-0-label]", "Начальник Департамента цифрового развития Смоленской области")
    page.select_option("select[name=signers-1-person]", str(p["kudryavtseva"].pk))
    page.fill("input[name=signers-1-label]", "Секретарь Координационного совета")
    page.screenshot(path=f"{screenshot_dir}/members-body-signatories.png", full_page=True)
    page.click("#signatories-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/members/bodies/{council.pk}/")
    assert "Начальник Департамента цифрового развития Смоленской области А.Н. Рудометкин" in page.inner_text(
        "#body-signatories")
    council = Body.objects.get(pk=council.pk)
    assert [row.person for row in council.signatory_rows.all()] == [p["rudometkin"], p["kudryavtseva"]]
