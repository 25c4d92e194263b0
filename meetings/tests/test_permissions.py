"""Every meetings URL × every demo role × GET/POST → the status the role gets."""

import pytest

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "chair", "member", "outsider", "admin", None]


def _table():
    """(url key, method, {role: status}); 302 for anonymous is the login redirect."""
    s = lambda sec, ch, mem, out, adm, anon=302: dict(zip(ROLES, [sec, ch, mem, out, adm, anon]))  # noqa: E731
    return [
        ("list", "get", s(200, 200, 200, 200, 200)),
        ("list", "post", s(405, 405, 405, 405, 405)),
        ("create", "get", s(200, 403, 403, 403, 200)),
        ("create", "post", s(200, 403, 403, 403, 200)),  # empty form: re-rendered with errors
        ("approved", "get", s(200, 200, 200, 404, 200)),
        ("approved_short", "get", s(200, 200, 200, 404, 200)),
        ("approved", "post", s(405, 405, 405, 405, 405)),
        ("draft", "get", s(200, 200, 404, 404, 200)),
        ("draft_edit", "get", s(200, 403, 404, 404, 200)),
        ("draft_edit", "post", s(200, 403, 404, 404, 200)),
        ("approved_edit", "get", s(302, 403, 403, 404, 302)),
        ("approved_edit", "post", s(302, 403, 403, 404, 302)),
        ("draft_submit", "get", s(405, 405, 405, 405, 405)),
        ("draft_submit", "post", s(302, 403, 404, 404, 302)),
        ("approval_approve", "get", s(405, 405, 405, 405, 405)),
        ("approval_approve", "post", s(403, 302, 404, 404, 302)),
        ("approval_return", "get", s(405, 405, 405, 405, 405)),
        ("approval_return", "post", s(403, 302, 404, 404, 302)),
        ("approved_agenda", "get", s(200, 403, 403, 404, 200)),
        ("person_search", "get", s(200, 403, 403, 403, 200)),
        ("person_create", "get", s(405, 405, 405, 405, 405)),
        ("person_create", "post", s(400, 403, 403, 403, 400)),
        ("decision_search", "get", s(200, 403, 403, 403, 200)),
        ("draft_person_search", "get", s(200, 403, 404, 404, 200)),
        ("draft_person_search", "post", s(405, 405, 405, 405, 405)),
        ("approved_person_search", "get", s(200, 403, 403, 404, 200)),
        ("draft_decision_search", "get", s(200, 403, 404, 404, 200)),
        ("other_cluster_person_search", "get", s(404, 404, 404, 403, 200)),
        ("other_cluster_decision_search", "get", s(404, 404, 404, 403, 200)),
        ("next_number", "get", s(200, 403, 403, 403, 200)),
        ("other_cluster", "get", s(404, 404, 404, 200, 200)),
        ("other_cluster_edit", "get", s(404, 404, 404, 403, 302)),  # approved: locked
    ]


CASES = [(key, method, role, expected[role]) for key, method, expected in _table() for role in ROLES]


@pytest.fixture
def urls(demo, draft, on_approval):
    approved, other = demo["meeting_2023"].pk, demo["other_cluster"].meetings.get().pk
    return {
        "list": "/meetings/",
        "create": "/meetings/new/",
        "approved": f"/meetings/{approved}/",
        "approved_short": f"/meetings/{approved}/?form=short",
        "draft": f"/meetings/{draft.pk}/",
        "draft_edit": f"/meetings/{draft.pk}/edit/",
        "approved_edit": f"/meetings/{approved}/edit/",
        "draft_submit": f"/meetings/{draft.pk}/submit/",
        "approval_approve": f"/meetings/{on_approval.pk}/approve/",
        "approval_return": f"/meetings/{on_approval.pk}/return/",
        "approved_agenda": f"/meetings/{approved}/agenda.json",
        "person_search": "/meetings/people/search/?q=Руд",
        "person_create": "/meetings/people/new/",
        "decision_search": "/meetings/decisions/search/?q=Утвердить",
        "draft_person_search": f"/meetings/{draft.pk}/people/search/?q=Руд",
        "approved_person_search": f"/meetings/{approved}/people/search/?q=Руд",
        "draft_decision_search": f"/meetings/{draft.pk}/decisions/search/?q=Утвердить",
        "other_cluster_person_search": f"/meetings/{other}/people/search/?q=Пет",
        "other_cluster_decision_search": f"/meetings/{other}/decisions/search/?q=Демо",
        "next_number": f"/meetings/next-number/?body={demo['council'].pk}&date=2026-11-22",
        "other_cluster": f"/meetings/{other}/",
        "other_cluster_edit": f"/meetings/{other}/edit/",
    }


@pytest.mark.parametrize("key,method,role,expected", CASES, ids=[f"{k}-{m}-{r}" for k, m, r, _ in CASES])
def test_role_gets_expected_status(client_as, urls, key, method, role, expected):
    client = client_as(role)
    data = {"comment": "Исправьте номер."} if key == "approval_return" else {}
    response = getattr(client, method)(urls[key], data) if method == "post" else client.get(urls[key])
    assert response.status_code == expected


def test_anonymous_is_sent_to_login(client_as, urls):
    response = client_as(None).get(urls["draft"])
    assert response["Location"].startswith("/accounts/login/")


def test_member_sees_no_drafts_in_the_list(client_as, draft):
    response = client_as("member").get("/meetings/")
    assert f"/meetings/{draft.pk}/" not in response.content.decode()


def test_secretary_sees_drafts_in_the_list(client_as, draft):
    response = client_as("secretary").get("/meetings/")
    assert f"/meetings/{draft.pk}/" in response.content.decode()
