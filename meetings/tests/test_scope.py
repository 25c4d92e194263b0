"""The editor and its searches list only what belongs to the clusters being edited (issue 11,
«Register exposed»): the ICT secretary sees none of the machine-building cluster's organisations,
people or bodies, and a POST naming them is refused with a Russian form error and nothing saved.
The other way round as the machine-building cluster's secretary."""

import datetime

import pytest

from meetings.models import AgendaItem, Attendance, Decision, Meeting
from meetings.tests.conftest import editor_post, meeting_fields
from meetings.models import MeetingStatus
from meetings.tests.conftest import make_protocol
from members.models import Body, BodyMembership, BodyRole, ClusterRole, Organization, Person, PortalRole

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "Выберите корректный вариант."


@pytest.fixture
def foreign(demo):
    """The machine-building cluster's organisation, person and body."""
    other = demo["other_cluster"]
    return {"organization": Organization.objects.get(memberships__cluster=other),
            "person": demo["outsider_person"], "body": Body.objects.get(cluster=other)}


@pytest.fixture
def other_secretary(client_as, users, demo):
    """``outsider`` made secretary of the machine-building cluster, logged in."""
    ClusterRole.objects.create(user=users["outsider"], cluster=demo["other_cluster"], role=PortalRole.SECRETARY)
    return client_as("outsider")


def editor_choices(response):
    choices = response.context["editor"].choices
    return {"people": {pk for pk, _ in choices.people_ids}, "organizations": {pk for pk, _ in choices.organizations},
            "bodies": {pk for pk, _ in choices.bodies}}


def option_ids(response):
    html = response.content.decode()
    return {int(part.split('"')[0]) for part in html.split('<option value="')[1:]}


def snapshot(meeting):
    meeting.refresh_from_db()
    return (meeting.revision, meeting.number, meeting.body_id, meeting.chair_id, meeting.secretary_id,
            Attendance.objects.filter(meeting=meeting).count(), AgendaItem.objects.filter(meeting=meeting).count(),
            Decision.objects.filter(agenda_item__meeting=meeting).count(), Meeting.objects.count(),
            Person.objects.count())


# ---------------------------------------------------------------- the choices offered

@pytest.mark.parametrize("page", ["new", "edit"])
def test_ict_editor_offers_nothing_of_the_other_cluster(client_as, demo, draft, foreign, page):
    url = "/meetings/new/" if page == "new" else f"/meetings/{draft.pk}/edit/"
    response = client_as("secretary").get(url)
    choices = editor_choices(response)
    assert foreign["person"].pk not in choices["people"] and demo["people"]["rudometkin"].pk in choices["people"]
    assert foreign["organization"].pk not in choices["organizations"]
    assert demo["orgs"]["copp"].pk in choices["organizations"]
    assert foreign["body"].pk not in choices["bodies"] and demo["working_group"].pk in choices["bodies"]
    html = response.content.decode()
    assert "машиностроения" not in html and "Демо-Машзавод" not in html and "Петров" not in html


def test_other_cluster_editor_offers_nothing_of_the_ict_cluster(other_secretary, demo, foreign):
    choices = editor_choices(other_secretary.get("/meetings/new/"))
    assert choices == {"people": {foreign["person"].pk}, "organizations": {foreign["organization"].pk},
                       "bodies": {foreign["body"].pk}}


def test_new_person_form_offers_only_the_clusters_organisations(client_as, foreign):
    html = client_as("secretary").get("/meetings/new/").content.decode()
    assert "ОГБПОУ СмолАПО" in html and f'value="{foreign["organization"].pk}"' not in html


def test_a_saved_protocol_keeps_offering_the_people_it_names(client_as, demo, draft):
    # Ostrovsky (no organisation, no seat) is in no cluster's register, but the draft names him.
    ostrovsky = demo["people"]["ostrovsky"]
    Attendance.objects.create(meeting=draft, person=ostrovsky, order=99)
    assert ostrovsky.pk in editor_choices(client_as("secretary").get(f"/meetings/{draft.pk}/edit/"))["people"]
    assert ostrovsky.pk not in editor_choices(client_as("secretary").get("/meetings/new/"))["people"]


def test_body_choices_say_the_cluster(client_as):
    html = client_as("admin").get("/meetings/new/").content.decode()
    assert "Координационный совет (Кластер ИКТ)" in html
    assert "Координационный совет (Кластер машиностроения)" in html


# ---------------------------------------------------------------- searches

def test_people_search_finds_nobody_of_the_other_cluster(client_as, demo, draft):
    client = client_as("secretary")
    assert option_ids(client.get("/meetings/people/search/?q=Петров")) == set()
    assert option_ids(client.get(f"/meetings/{draft.pk}/people/search/?q=Петров")) == set()
    assert demo["people"]["rudometkin"].pk in option_ids(client.get(f"/meetings/{draft.pk}/people/search/?q=Рудом"))


def test_the_other_clusters_secretary_finds_only_her_own(other_secretary, foreign):
    assert option_ids(other_secretary.get("/meetings/people/search/?q=Рудом")) == set()
    assert option_ids(other_secretary.get("/meetings/people/search/?q=Петров")) == {foreign["person"].pk}


def test_a_protocols_search_lists_only_its_cluster(client_as, demo, foreign):
    # The administrator keeps every cluster: the general search finds Петров, an ICT protocol's does not.
    client, meeting = client_as("admin"), demo["meeting_2023"]
    assert foreign["person"].pk in option_ids(client.get("/meetings/people/search/?q=Петров"))
    assert option_ids(client.get(f"/meetings/{meeting.pk}/people/search/?q=Петров")) == set()


def test_decision_search_finds_no_decision_of_the_other_cluster(client_as, draft):
    client = client_as("secretary")
    assert option_ids(client.get("/meetings/decisions/search/?q=Демо-Машзавод")) == set()
    assert option_ids(client.get(f"/meetings/{draft.pk}/decisions/search/?q=Демо-Машзавод")) == set()


def test_other_clusters_protocol_search_is_not_found_for_the_ict_secretary(client_as, demo):
    other_meeting = demo["other_cluster"].meetings.get()
    assert client_as("secretary").get(f"/meetings/{other_meeting.pk}/people/search/?q=Петров").status_code == 404


@pytest.mark.parametrize("extra", [3, 40])
def test_people_search_runs_a_fixed_number_of_queries(client_as, demo, django_assert_num_queries, extra):
    Person.objects.bulk_create([Person(last_name=f"Поисков{n}", organization=demo["orgs"]["copp"])
                                for n in range(extra)])
    client = client_as("secretary")
    # session + user (2), the user's roles: seats, memberships, grants in one query (1), the people found (1).
    with django_assert_num_queries(4):
        response = client.get("/meetings/people/search/?q=Поисков")
    assert len(option_ids(response)) == min(extra, 20)


# ---------------------------------------------------------------- forged POSTs

FORGED = {
    "attendee": lambda f: {"attendance": [{"person": f["person"].pk}]},
    "chair": lambda f: {"meeting": {"chair": f["person"].pk}},
    "body": lambda f: {"meeting": {"body": f["body"].pk}},
    "speaker": lambda f: {"items": [{"title": "Вопрос.", "speakers": [{"person": f["person"].pk}]}]},
    "responsible_person": lambda f: {"items": [{"title": "Вопрос.", "decisions": [
        {"text": "Поручить.", "responsible_people": f["person"].pk}]}]},
    "responsible_organization": lambda f: {"items": [{"title": "Вопрос.", "decisions": [
        {"text": "Поручить.", "responsible_organizations": f["organization"].pk}]}]},
    "responsible_body": lambda f: {"items": [{"title": "Вопрос.", "decisions": [
        {"text": "Поручить.", "responsible_bodies": f["body"].pk}]}]},
}


def post_data(demo, meeting, forged, **meeting_overrides):
    parts = {"meeting": {}, "attendance": [], "items": [{"title": "Вопрос."}], **forged}
    fields = meeting_fields(demo, **{**meeting_overrides, **parts.pop("meeting")})
    return editor_post(meeting=fields, revision=meeting.revision if meeting else None, **parts)


@pytest.mark.parametrize("what", FORGED)
def test_editing_with_an_id_of_the_other_cluster_is_refused_and_nothing_changes(client_as, demo, draft, foreign, what):
    before = snapshot(draft)
    response = client_as("secretary").post(f"/meetings/{draft.pk}/edit/",
                                           post_data(demo, draft, FORGED[what](foreign), number="7"))
    assert response.status_code == 200 and INVALID_CHOICE in response.content.decode()
    assert snapshot(draft) == before


@pytest.mark.parametrize("what", FORGED)
def test_creating_with_an_id_of_the_other_cluster_is_refused(client_as, demo, foreign, what):
    count = Meeting.objects.count()
    response = client_as("secretary").post("/meetings/new/", post_data(demo, None, FORGED[what](foreign)))
    assert response.status_code == 200 and INVALID_CHOICE in response.content.decode()
    assert Meeting.objects.count() == count


def test_the_same_post_with_ids_of_the_cluster_is_saved(client_as, demo, draft):
    own = {"person": demo["people"]["kazakov"], "organization": demo["orgs"]["copp"], "body": demo["working_group"]}
    data = post_data(demo, draft, {"attendance": [{"person": own["person"].pk}], "items": [{"title": "Вопрос.",
        "decisions": [{"text": "Поручить.", "responsible_organizations": own["organization"].pk,
                       "responsible_bodies": own["body"].pk, "responsible_people": own["person"].pk}]}]}, number="7")
    assert client_as("secretary").post(f"/meetings/{draft.pk}/edit/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.number == "7" and draft.attendances.get().person == own["person"]


@pytest.mark.parametrize("what", ["attendee", "chair", "responsible_organization", "responsible_body"])
def test_the_other_clusters_secretary_cannot_name_the_ict_cluster(other_secretary, demo, foreign, what):
    ict = {"person": demo["people"]["rudometkin"], "organization": demo["orgs"]["copp"], "body": demo["working_group"]}
    data = post_data(demo, None, FORGED[what](ict), body=foreign["body"].pk, chair=foreign["person"].pk,
                     secretary=foreign["person"].pk, number="17")
    count = Meeting.objects.count()
    response = other_secretary.post("/meetings/new/", data)
    assert response.status_code == 200 and INVALID_CHOICE in response.content.decode()
    assert Meeting.objects.count() == count


def test_the_other_clusters_secretary_saves_with_her_own_ids(other_secretary, demo, foreign):
    data = post_data(demo, None, {"attendance": [{"person": foreign["person"].pk}]}, body=foreign["body"].pk,
                     chair=foreign["person"].pk, secretary=foreign["person"].pk, number="17")
    assert other_secretary.post("/meetings/new/", data).status_code == 302
    assert Meeting.objects.get(body=foreign["body"], number="17").attendances.get().person == foreign["person"]


def test_new_person_in_an_organisation_of_the_other_cluster_is_refused(client_as, foreign):
    count = Person.objects.count()
    response = client_as("secretary").post("/meetings/people/new/", {
        "np-last_name": "Чужой", "np-organization": foreign["organization"].pk})
    assert response.status_code == 400 and INVALID_CHOICE in response.json()["errors"]["organization"][0]
    assert Person.objects.count() == count


# ---------------------------------------------------------------- roles: a working group's chair is no cluster chair

def test_the_working_groups_chair_cannot_approve_its_protocol(demo, client_as):
    # DESIGN.md: the cluster's chair (council, presidium, or a grant) approves and signs every protocol of the cluster.
    kazakov = demo["people"]["kazakov"]  # the ``member`` login
    group = demo["working_group"]
    BodyMembership.objects.filter(body=group, role=BodyRole.CHAIR).delete()
    BodyMembership.objects.create(body=group, person=kazakov, role=BodyRole.CHAIR, term_start=datetime.date(2020, 1, 1))
    meeting = make_protocol(demo, status=MeetingStatus.ON_APPROVAL, number="3")
    Meeting.objects.filter(pk=meeting.pk).update(body=group, chair=kazakov)
    response = client_as("member").post(f"/meetings/{meeting.pk}/approve/")
    meeting.refresh_from_db()
    assert response.status_code == 404  # he does not even see a protocol on approval
    assert meeting.status == MeetingStatus.ON_APPROVAL


# ---------------------------------------------------------------- a user who keeps several clusters

@pytest.mark.parametrize("what", ["attendee", "chair", "speaker", "responsible_person", "responsible_organization",
                                  "responsible_body"])
def test_a_new_protocol_names_only_its_bodys_cluster_even_for_who_keeps_both(client_as, demo, foreign, what):
    # The administrator is offered both registers; the ICT council's protocol still cannot name Петров.
    count = Meeting.objects.count()
    response = client_as("admin").post("/meetings/new/", post_data(demo, None, FORGED[what](foreign)))
    assert "Выберите из реестра кластера этого протокола (Кластер ИКТ)." in response.content.decode()
    assert Meeting.objects.count() == count


def test_who_keeps_both_clusters_saves_a_protocol_of_the_other_one(client_as, demo, foreign):
    data = post_data(demo, None, {"attendance": [{"person": foreign["person"].pk}]}, body=foreign["body"].pk,
                     chair=foreign["person"].pk, secretary=foreign["person"].pk, number="18")
    assert client_as("admin").post("/meetings/new/", data).status_code == 302
    assert Meeting.objects.get(body=foreign["body"], number="18").cluster == demo["other_cluster"]
