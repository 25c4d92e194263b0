"""In Chromium, as every demo role: axe-core finds no serious or critical problem on the main pages
(at 1280×800), and no page is wider than the screen at 390×844 (a phone) or at 1280×800 (issue 18)."""

from pathlib import Path

import pytest

from meetings.models import Assignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# axe runs in the page through the DevTools protocol (page.evaluate), so the portal's CSP
# (script-src 'self') stays on and is tested as it is.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""
TOO_WIDE = """() => {
  if (document.documentElement.scrollWidth <= window.innerWidth) return [];
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + String(e.className).split(" ")[0]);
}"""


def main_pages(role, demo):
    meeting, plan = demo["meeting_2023"], demo["plan_2023"]
    if role == "ministry":  # a coordinator of both demo clusters and the department: the coordination pages
        return ["/", "/coordination/", "/coordination/assignments/?state=overdue",
                f"/coordination/protocols/{demo['authority_meeting'].pk}/"]
    pages = ["/", "/meetings/", "/tasks/", "/plans/", "/members/", "/search/?q=план"]
    if role == "outsider":  # the pages of the Smolensk cluster are not theirs (404)
        return pages
    assignments = Assignment.objects.filter(decision__agenda_item__meeting=meeting).order_by("pk")
    if role == "member":
        assignments = assignments.filter(organization_id=demo["users"]["member"].person.organization_id)
    pages += [f"/meetings/{meeting.pk}/", f"/tasks/{assignments.first().pk}/", f"/plans/{plan.pk}/"]
    if role in ("secretary", "admin"):
        pages += ["/meetings/new/", f"/meetings/{demo['meeting_2017'].pk}/edit/"]
    if role in ("secretary", "chair", "admin"):
        pages += ["/tasks/report/"]
    return pages


def audit(page, url):
    """Problems of the page at ``url``: axe at the desktop size, widths at both sizes."""
    page.set_viewport_size(DESKTOP)
    response = page.goto(url)
    assert response.status == 200, url
    problems = [f"{url} at 1280: {line}" for line in page.evaluate(AXE + "\n;undefined") or []]
    problems += [f"{url} at 1280: {line}" for line in page.evaluate(RUN_AXE)]
    wide = page.evaluate(TOO_WIDE)
    if wide:
        problems.append(f"{url} wider than 1280 px: {wide}")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(50)
    wide = page.evaluate(TOO_WIDE)
    if wide:
        problems.append(f"{url} wider than 390 px: {wide}")
    return problems


@pytest.mark.parametrize("role", ["secretary", "chair", "member", "outsider", "admin", "ministry"])
def test_main_pages_are_accessible_and_fit_the_screen(role, page, login, live_server, demo):
    login(role)
    problems = []
    for url in main_pages(role, demo):
        problems += audit(page, live_server.url + url)
    assert problems == []


def test_login_page_is_accessible_and_fits_the_screen(page, live_server):
    assert audit(page, f"{live_server.url}/accounts/login/") == []


def test_keyboard_focus_in_the_navbar_is_visible(page, login, live_server, demo):
    login("member")
    page.goto(f"{live_server.url}/")
    seen = []
    for _ in range(6):  # the skip link, the brand, «Главная»
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.textContent.trim()"))
        if seen[-1] == "Главная":
            break
    focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
      return [e.closest('.portal-navbar') !== null, e.textContent.trim(), s.outlineStyle, s.outlineWidth, s.outlineColor]; }""")
    assert focused == [True, "Главная", "solid", "3px", "rgb(255, 212, 59)"]


def test_the_navbar_at_1280_keeps_log_out_visible_with_a_long_name(page, login, live_server, users):
    secretary = users["secretary"]
    secretary.first_name, secretary.last_name = "Констанция-Александра", "Шереметева-Голенищева-Кутузова"
    secretary.save(update_fields=["first_name", "last_name"])
    page.set_viewport_size(DESKTOP)
    login("secretary")
    logout = page.locator(".portal-navbar .portal-logout")
    assert logout.is_visible()
    box = logout.bounding_box()
    assert box["x"] + box["width"] <= DESKTOP["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
