"""Every meetings URL × every demo role × GET/POST → the status the role gets; a refused POST
changes nothing (core.testing.check)."""

import pytest

from core.testing import Row, cases, check, expect

pytestmark = pytest.mark.django_db

# (url key, method, {role: status}); 302 for anonymous is the login redirect.
TABLE = [
    Row("list", lambda u: u["list"], "get", expect(200, 200, 200, 200, 200)),
    Row("list", lambda u: u["list"], "post", expect(405, 405, 405, 405, 405)),
    Row("create", lambda u: u["create"], "get", expect(200, 403, 403, 403, 200)),
    Row("create", lambda u: u["create"], "post", expect(200, 403, 403, 403, 200)),  # empty form: re-rendered with errors
    Row("approved", lambda u: u["approved"], "get", expect(200, 200, 200, 404, 200)),
    Row("approved_short", lambda u: u["approved_short"], "get", expect(200, 200, 200, 404, 200)),
    Row("approved", lambda u: u["approved"], "post", expect(405, 405, 405, 405, 405)),
    Row("draft", lambda u: u["draft"], "get", expect(200, 200, 404, 404, 200)),
    Row("approved_history", lambda u: u["approved_history"], "get", expect(200, 200, 403, 404, 200)),
    Row("approved_history", lambda u: u["approved_history"], "post", expect(405, 405, 405, 405, 405)),
    Row("draft_history", lambda u: u["draft_history"], "get", expect(200, 200, 404, 404, 200)),
    Row("draft_edit", lambda u: u["draft_edit"], "get", expect(200, 403, 404, 404, 200)),
    Row("draft_edit", lambda u: u["draft_edit"], "post", expect(200, 403, 404, 404, 200)),
    Row("approved_edit", lambda u: u["approved_edit"], "get", expect(302, 403, 403, 404, 302)),
    Row("approved_edit", lambda u: u["approved_edit"], "post", expect(302, 403, 403, 404, 302)),
    Row("draft_submit", lambda u: u["draft_submit"], "get", expect(405, 405, 405, 405, 405)),
    Row("draft_submit", lambda u: u["draft_submit"], "post", expect(302, 403, 404, 404, 302)),
    Row("approval_approve", lambda u: u["approval_approve"], "get", expect(405, 405, 405, 405, 405)),
    Row("approval_approve", lambda u: u["approval_approve"], "post", expect(403, 302, 404, 404, 302)),
    Row("approval_return", lambda u: u["approval_return"], "get", expect(405, 405, 405, 405, 405)),
    Row("approval_return", lambda u: u["approval_return"], "post", expect(403, 302, 404, 404, 302),
        data={"comment": "Исправьте номер."}),
    Row("approved_agenda", lambda u: u["approved_agenda"], "get", expect(200, 403, 403, 404, 200)),
    Row("person_search", lambda u: u["person_search"], "get", expect(200, 403, 403, 403, 200)),
    Row("person_create", lambda u: u["person_create"], "get", expect(405, 405, 405, 405, 405)),
    Row("person_create", lambda u: u["person_create"], "post", expect(400, 403, 403, 403, 400)),
    Row("decision_search", lambda u: u["decision_search"], "get", expect(200, 403, 403, 403, 200)),
    Row("draft_person_search", lambda u: u["draft_person_search"], "get", expect(200, 403, 404, 404, 200)),
    Row("draft_person_search", lambda u: u["draft_person_search"], "post", expect(405, 405, 405, 405, 405)),
    Row("approved_person_search", lambda u: u["approved_person_search"], "get", expect(200, 403, 403, 404, 200)),
    Row("draft_decision_search", lambda u: u["draft_decision_search"], "get", expect(200, 403, 404, 404, 200)),
    Row("other_cluster_person_search", lambda u: u["other_cluster_person_search"], "get",
        expect(404, 404, 404, 403, 200)),
    Row("other_cluster_decision_search", lambda u: u["other_cluster_decision_search"], "get",
        expect(404, 404, 404, 403, 200)),
    Row("next_number", lambda u: u["next_number"], "get", expect(200, 403, 403, 403, 200)),
    Row("other_cluster", lambda u: u["other_cluster"], "get", expect(404, 404, 404, 200, 200)),
    Row("other_cluster_history", lambda u: u["other_cluster_history"], "get", expect(404, 404, 404, 403, 200)),
    Row("other_cluster_edit", lambda u: u["other_cluster_edit"], "get", expect(404, 404, 404, 403, 302)),  # approved: locked
]


@pytest.fixture
def urls(demo, draft, on_approval):
    approved, other = demo["meeting_2023"].pk, demo["other_cluster"].meetings.get().pk
    return {
        "list": "/meetings/",
        "create": "/meetings/new/",
        "approved": f"/meetings/{approved}/",
        "approved_short": f"/meetings/{approved}/?form=short",
        "draft": f"/meetings/{draft.pk}/",
        "approved_history": f"/meetings/{approved}/history/",
        "draft_history": f"/meetings/{draft.pk}/history/",
        "other_cluster_history": f"/meetings/{other}/history/",
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


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_role_gets_expected_status(client_as, urls, row, role):
    check(client_as(role), row, role, urls)


def test_anonymous_is_sent_to_login(client_as, urls):
    response = client_as(None).get(urls["draft"])
    assert response["Location"].startswith("/accounts/login/")


def test_member_sees_no_drafts_in_the_list(client_as, draft):
    response = client_as("member").get("/meetings/")
    assert response.status_code == 200 and f"/meetings/{draft.pk}/" not in response.content.decode()


def test_secretary_sees_drafts_in_the_list(client_as, draft):
    response = client_as("secretary").get("/meetings/")
    assert f"/meetings/{draft.pk}/" in response.content.decode()
