"""Roles × URLs × methods → status. Members read approved plans of their clusters; drafts stay with the
secretary and the chair; the secretary (and the administrator) edit; outsiders get 404; anonymous → login."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "chair", "member", "outsider", "admin", None]


def expect(secretary, chair, member, outsider, admin, anonymous=302):
    return dict(zip(ROLES, [secretary, chair, member, outsider, admin, anonymous]))


READ_APPROVED = expect(200, 200, 200, 404, 200)
READ_DRAFT = expect(200, 200, 404, 404, 200)
EVERYONE = expect(200, 200, 200, 200, 200)

# (url name, which object, method) → expected status per role
TABLE = [
    ("plan-list", None, "get", EVERYONE),
    ("plan-detail", "approved", "get", READ_APPROVED),
    ("plan-detail", "draft", "get", READ_DRAFT),
]


def target(name, which, demo, draft_plan):
    if which is None:
        return reverse(f"plans:{name}")
    obj = {"approved": demo["plan_2023"], "draft": draft_plan}[which]
    return reverse(f"plans:{name}", args=[obj.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "which", "method", "expected"), TABLE, ids=[f"{t[2]}-{t[0]}-{t[1]}" for t in TABLE])
def test_permission_table(client_as, demo, draft_plan, role, name, which, method, expected):
    client = client_as(role)
    response = getattr(client, method)(target(name, which, demo, draft_plan))
    assert response.status_code == expected[role]


def test_outsider_gets_404_for_a_missing_plan(client_as):
    assert client_as("outsider").get(reverse("plans:plan-detail", args=[999999])).status_code == 404
