"""Content-Security-Policy: scripts come only from static files, no inline handlers."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path for path in ROOT.glob("**/templates/**/*.html")
    if ".venv" not in path.parts and "pdf" not in path.name  # PDF templates go to WeasyPrint, not a browser
)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def test_the_template_list_is_not_empty():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_handlers_or_scripts(path):
    text = path.read_text()
    assert not INLINE_HANDLER.search(text), "inline on…= handler: use data-… and static/js/portal.js"
    for attributes in SCRIPT_TAG.findall(text):
        assert "src=" in attributes, "inline <script>: move it to a static file"
    assert "javascript:" not in text.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("role,url", [(None, "/accounts/login/"), ("secretary", "/"), ("admin", "/admin/")])
def test_pages_send_the_policy(client_as, role, url):
    response = client_as(role).get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in directives["style-src"]
