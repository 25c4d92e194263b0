"""Who may open and post to every register URL: demo roles × URLs × methods → status.

Members read their clusters' register; secretaries (and the administrator) edit; the chair
and members get 403 on editing pages; the outsider gets 404 for the ICT cluster's
organisations, people and bodies; anonymous users go to the login page.
"""

import pytest

from core.testing import Row, cases, check

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "chair", "member", "outsider", "admin", None]


def urls(demo):
    org, person, council = demo["orgs"]["copp"].pk, demo["people"]["rudometkin"].pk, demo["council"].pk
    seat = council_seat(demo).pk
    ict = demo["cluster"].pk
    return {
        "list": "/members/",
        "list-ict": f"/members/?cluster={ict}",
        "export": "/members/export.xlsx?on=2023-01-01",
        "export-ict": f"/members/export.xlsx?cluster={ict}",
        "org": f"/members/organizations/{org}/",
        "org-new": "/members/organizations/new/",
        "org-edit": f"/members/organizations/{org}/edit/",
        "org-invite": f"/members/organizations/{org}/invite/",
        "org-join": f"/members/organizations/{org}/join/",
        "org-leave": f"/members/organizations/{org}/leave/",
        "people": "/members/people/",
        "people-ict": f"/members/people/?cluster={ict}",
        "person": f"/members/people/{person}/",
        "person-new": "/members/people/new/",
        "person-edit": f"/members/people/{person}/edit/",
        "body": f"/members/bodies/{council}/",
        "body-change": f"/members/bodies/{council}/change/",
        "seat-end": f"/members/seats/{seat}/end/",
    }


def council_seat(demo):
    from members.models import BodyRole

    return demo["council"].memberships.get(person=demo["people"]["gavrilov"], role=BodyRole.MEMBER)


READ = {"secretary": 200, "chair": 200, "member": 200, "outsider": 200, "admin": 200, None: 302}
READ_ICT = {**READ, "outsider": 404}
EDIT_ICT = {"secretary": 200, "chair": 403, "member": 403, "outsider": 404, "admin": 200, None: 302}
CREATE = {"secretary": 200, "chair": 403, "member": 403, "outsider": 403, "admin": 200, None: 302}
NOT_ALLOWED = {"secretary": 405, "chair": 405, "member": 405, "outsider": 405, "admin": 405, None: 302}
NOT_ALLOWED_ICT = {**NOT_ALLOWED, "outsider": 405}

EXPECTED_GET = {
    "list": READ, "list-ict": READ_ICT, "export": READ, "export-ict": READ_ICT, "org": READ_ICT,
    "org-new": CREATE, "org-edit": EDIT_ICT, "org-invite": EDIT_ICT, "org-join": EDIT_ICT, "org-leave": EDIT_ICT,
    "people": READ, "people-ict": READ_ICT, "person": READ_ICT, "person-new": CREATE, "person-edit": EDIT_ICT,
    "body": READ_ICT, "body-change": EDIT_ICT, "seat-end": NOT_ALLOWED,
}
# An empty POST to an editing page re-shows the form with errors (200); the seat-end
# action redirects back to the body with a message.
EXPECTED_POST = {
    **{name: NOT_ALLOWED for name in ("list", "list-ict", "export", "export-ict", "org", "people", "people-ict",
                                      "person", "body")},
    "org-new": CREATE, "org-edit": EDIT_ICT, "org-invite": EDIT_ICT, "org-join": EDIT_ICT, "org-leave": EDIT_ICT,
    "person-new": CREATE, "person-edit": EDIT_ICT, "body-change": EDIT_ICT,
    "seat-end": {**EDIT_ICT, "secretary": 302, "admin": 302},
}

TABLE = [Row(name, lambda d, name=name: urls(d)[name], "get", EXPECTED_GET[name]) for name in EXPECTED_GET] + [
    Row(name, lambda d, name=name: urls(d)[name], "post", EXPECTED_POST[name]) for name in EXPECTED_POST
]


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permission_table(client_as, demo, row, role):
    check(client_as(role), row, role, demo)


def test_anonymous_is_sent_to_the_login_page(client_as, demo):
    assert client_as(None).get("/members/")["Location"].startswith("/accounts/login/")


def test_outsider_reads_their_own_cluster_with_contacts(client_as, demo):
    person = demo["outsider_person"]
    person.email = "petrov@example.org"
    person.save()
    response = client_as("outsider").get(f"/members/people/{person.pk}/")
    assert "petrov@example.org" in response.content.decode()


def test_member_sees_contacts_of_their_cluster(client_as, demo):
    person = demo["people"]["rudometkin"]
    person.email = "rudometkin@example.org"
    person.save()
    assert "rudometkin@example.org" in client_as("member").get(f"/members/organizations/{person.organization_id}/").content.decode()


def test_outsider_does_not_find_ict_people_in_the_search(client_as, demo):
    response = client_as("outsider").get("/members/people/?q=Рудометк")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="people"' in html
    assert "Рудометкин" not in html and "/members/people/" not in html.split('id="people"')[1]


def test_member_sees_no_editing_buttons(client_as, demo):
    org = demo["orgs"]["copp"]
    html = client_as("member").get(f"/members/organizations/{org.pk}/").content.decode()
    assert org.short_name in html
    assert "/edit/" not in html and "/invite/" not in html


def test_person_without_organisation_is_visible_through_a_seat(client_as, demo):
    # Белокопытов, the 2017 secretary, has no organisation in the register.
    assert client_as("member").get(f"/members/people/{demo['people']['belokopytov'].pk}/").status_code == 200


def test_person_outside_every_cluster_is_hidden(client_as, demo):
    # Губернатор Островский is only named in a decision.
    assert client_as("member").get(f"/members/people/{demo['people']['ostrovsky'].pk}/").status_code == 404
