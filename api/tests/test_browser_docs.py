"""The API docs (Swagger UI from the sidecar's static files) render in a real browser under the portal's CSP."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_render_the_operations_without_csp_violations(page, live_server):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused" in message.text else None)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/assignments/" in path for path in paths)
    assert "API Кластерного портала" in page.locator(".info .title").inner_text()
    assert violations == []
