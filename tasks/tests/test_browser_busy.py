"""In Chromium: a long action shows progress and is sent once; downloads show progress; the filters of
/tasks/ and /meetings/ update only the list (htmx) and keep the address (issue 18)."""

import time

import pytest
from playwright.sync_api import expect

from tasks.models import AssignmentReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report_pdf(tmp_path):
    path = tmp_path / "Отчёт.pdf"
    path.write_bytes(b"%PDF-1.4\n% test report\n")
    return str(path)



# The button's state while the page waits, kept over the navigation that follows.
WATCH = """selector => {
  const button = document.querySelector(selector);
  new MutationObserver(() => sessionStorage.setItem("busy", JSON.stringify([button.disabled, button.textContent.trim()])))
    .observe(button, {attributes: true, childList: true, subtree: true});
}"""


@pytest.fixture
def slow_report(monkeypatch):
    """The report takes a second to save (as signing or a PDF does): the live server runs in this process."""
    from tasks import services

    calls = []
    submit = services.assignment_report_submit

    def slow_submit(**kwargs):
        calls.append(kwargs["text"])
        time.sleep(1.0)
        return submit(**kwargs)

    monkeypatch.setattr(services, "assignment_report_submit", slow_submit)
    return calls


def test_double_click_on_a_slow_submit_sends_one_request(member_assignment, report_pdf, slow_report, page, login, live_server):
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    login("member")
    posts.clear()
    page.goto(f"{live_server.url}/tasks/{member_assignment.pk}/")
    page.fill("#submit-report textarea[name=text]", "Проведено обучение преподавателей.")
    page.set_input_files("#submit-report input[name=files]", report_pdf)
    page.evaluate(WATCH, "#submit-report button[type=submit]")
    with page.expect_navigation():
        page.locator("#submit-report button[type=submit]").dblclick()
    assert "Отчёт отправлен секретарю" in page.inner_text("main")
    assert len(posts) == 1
    assert len(slow_report) == 1
    assert AssignmentReport.objects.filter(assignment=member_assignment).count() == 1
    assert page.evaluate("JSON.parse(sessionStorage.getItem('busy'))") == [True, "Подождите…"]


def test_a_download_shows_progress_and_saves_the_file(page, login, live_server, demo):
    held = []
    page.route("**/export.pdf", lambda route: held.append(route))
    login("member")
    page.goto(f"{live_server.url}/plans/{demo['plan_2023'].pk}/")
    link = page.locator("a[href$='export.pdf']")
    link.dblclick()
    page.wait_for_timeout(300)
    assert len(held) == 1
    assert "Подождите…" in link.inner_text()
    with page.expect_download() as download:
        held[0].continue_()
    assert download.value.suggested_filename.endswith(".pdf")
    page.wait_for_function("!document.querySelector(\"a[href$='export.pdf']\").hasAttribute('data-busy-active')")
    assert "PDF" in link.inner_text()


def test_task_filter_updates_the_list_in_place(page, login, live_server, demo):
    login("secretary")
    page.goto(f"{live_server.url}/tasks/")
    page.evaluate("window.__same_page = true")
    assert page.locator("#assignment-table tbody tr").count() == 4
    with page.expect_response(lambda response: "state=overdue" in response.url and response.request.headers.get("hx-request") == "true"):
        page.select_option("#id_state", "overdue")
    page.wait_for_function("document.querySelectorAll('#assignment-table tbody tr').length === 3")
    assert page.evaluate("window.__same_page") is True
    assert "state=overdue" in page.url
    page.reload()
    assert page.locator("#assignment-table tbody tr").count() == 3


def test_meeting_filter_updates_the_list_in_place(page, login, live_server, demo):
    login("member")
    page.goto(f"{live_server.url}/meetings/")
    page.evaluate("window.__same_page = true")
    page.fill("#id_year", "2017")
    with page.expect_response(lambda response: "year=2017" in response.url):
        page.press("#id_year", "Enter")
    page.wait_for_function("document.querySelectorAll('#meeting-results tbody tr').length === 1")
    assert page.evaluate("window.__same_page") is True
    assert "year=2017" in page.url


def test_a_form_answered_with_a_file_is_usable_again_as_soon_as_the_file_arrives(page, login, live_server, demo,
                                                                                 settings, tmp_path):
    """The demo-certificate button on the signing page downloads a file: the page stays, and the button
    is given back at once (not after the 15 s a form whose answer never comes waits)."""
    settings.DEMO_MODE = True
    settings.DEMO_PKI_DIR = tmp_path / "pki"
    login("churanov")
    page.goto(f"{live_server.url}/meetings/{demo['meeting_2017'].pk}/sign/")
    button = page.locator("#demo-certificate")
    started = time.monotonic()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "churanov.p12"
    # A locator assertion, not wait_for_function: the signing page's CSP forbids evaluating strings.
    expect(button).to_be_enabled(timeout=5000)
    assert time.monotonic() - started < 5
    assert "Подождите" not in button.inner_text()
    assert "download_token=" not in page.evaluate("document.cookie")
    with page.expect_download() as again:  # and it works a second time
        button.click()
    assert again.value.suggested_filename == "churanov.p12"
