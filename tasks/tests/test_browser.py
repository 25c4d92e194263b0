"""End to end in Chromium: report with a file → returned → resubmitted → accepted → counted late."""

import os

import pytest

from meetings.models import AssignmentStatus


@pytest.fixture
def report_pdf(tmp_path):
    path = tmp_path / "Отчёт об исполнении.pdf"
    path.write_bytes(b"%PDF-1.4\n% test report\n")
    return str(path)


def shot(page, screenshot_dir, name):
    page.screenshot(path=os.path.join(screenshot_dir, f"tasks-{name}.png"), full_page=True)


def submit_report(page, url, text, pdf):
    page.goto(url)
    page.fill("#submit-report textarea[name=text]", text)
    page.set_input_files("#submit-report input[name=files]", pdf)
    page.click("#submit-report button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
def test_report_return_resubmit_accept_and_the_discipline_report(member_assignment, report_pdf, page, login, live_server, screenshot_dir):
    detail = f"{live_server.url}/tasks/{member_assignment.pk}/"

    login("member")
    page.goto(f"{live_server.url}/tasks/")
    assert "2 — протокол № 2 от 30.03.2023" in page.inner_text("#assignment-table")
    shot(page, screenshot_dir, "1-member-list")
    submit_report(page, detail, "Проведено обучение преподавателей, программа прилагается.", report_pdf)
    assert "Отчёт отправлен секретарю" in page.inner_text("main")
    shot(page, screenshot_dir, "2-member-reported")

    login("secretary")
    page.goto(detail)
    page.fill("#review textarea[name=comment]", "Приложите список обученных преподавателей.")
    page.click("#return-report")
    page.wait_for_load_state()
    assert "Отчёт возвращён на доработку" in page.inner_text("main")
    shot(page, screenshot_dir, "3-secretary-returned")

    login("member")
    submit_report(page, detail, "Список обученных преподавателей приложен.", report_pdf)

    login("secretary")
    page.goto(detail)
    page.click("#accept-report")
    page.wait_for_load_state()
    assert "Отчёт принят" in page.inner_text("main")
    shot(page, screenshot_dir, "4-secretary-accepted")

    page.goto(f"{live_server.url}/tasks/report/?date_from=2023-01-01&date_to=2023-12-31")
    row = page.locator("#discipline-table tbody tr", has_text="СКТ (филиал) СПбГУТ")
    cells = row.locator("td").all_inner_texts()
    shot(page, screenshot_dir, "5-discipline-report")
    member_assignment.refresh_from_db()
    assert member_assignment.status == AssignmentStatus.ACCEPTED
    # Submitted today (2026), the deadline was 12.05.2023: done, but late.
    assert cells[1:6] == ["1", "0", "1", "0", "0"]
