"""Templates read flags and names: links come from ``{% url %}``, permissions from the view, and one
renderer (``{% assignment_row %}``, ``tasks.rows``) prints an assignment wherever assignments are listed."""

import datetime
import pathlib
import re

import pytest
import time_machine

from meetings.models import Assignment

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHECKED = ["tasks", "members", "plans", "meetings", "documents", "templates"]


def templates():
    for folder in CHECKED:
        yield from sorted((ROOT / folder).rglob("*.html"))


def offending(pattern):
    return [f"{path.relative_to(ROOT)}:{n}" for path in templates()
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if re.search(pattern, line)]


def test_templates_link_by_url_name_not_by_path():
    assert offending(r'(href|action)="/') == []


def test_templates_read_permission_flags_not_access_objects():
    assert offending(r"{%[^%]*\b(access|acl|perms)\.") == []


@pytest.fixture
def overdue_day():
    # The demo member's assignment (decision «2», due 12.05.2023) is three days overdue.
    with time_machine.travel(datetime.datetime(2023, 5, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.mark.parametrize("role, url", [
    ("member", "/"),
    ("member", "/tasks/"),
    ("member", "/members/organizations/{org}/"),
    ("secretary", "/"),  # the overdue list of the clusters the secretary keeps
])
def test_every_list_renders_the_overdue_assignment_the_same_way(client_as, demo, overdue_day, role, url):
    assignment = Assignment.objects.get(organization=demo["users"]["member"].person.organization,
                                        decision__agenda_item__meeting=demo["meeting_2023"])
    html = client_as(role).get(url.format(org=assignment.organization_id)).content.decode()
    row = re.search(rf'<tr class="table-danger">\s*<td><a class="fw-semibold" href="/tasks/{assignment.pk}/">'
                    rf"2 — протокол № 2 от 30\.03\.2023</a>", html)
    assert row is not None
