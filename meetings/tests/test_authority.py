"""A coordinating authority that is not a cluster (issue 12): a ministry department's meeting with many
clusters is entered under the authority, naming the clusters that took part, not under a fake cluster."""

import datetime

import pytest

from core.errors import DomainError
from meetings.models import Meeting
from meetings.services import meeting_set_participants
from meetings.tests.conftest import editor_post
from members.models import Body, BodyKind, BodyMembership, BodyRole, Cluster, ClusterKind, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry(demo, django_user_model):
    """The department, its meeting body and its secretary (a login with a seat)."""
    authority = Cluster.objects.create(name="Департамент государственной политики в сфере среднего "
                                            "профессионального образования", short_name="Департамент СПО",
                                       kind=ClusterKind.AUTHORITY)
    body = Body.objects.create(cluster=authority, kind=BodyKind.COUNCIL, name="Совещание с регионами",
                               name_genitive="совещания с регионами")
    user = django_user_model.objects.create_user("ministry-secretary")
    person = Person.objects.create(last_name="Бондарь", first_name="Ольга", user=user)
    BodyMembership.objects.create(body=body, person=person, role=BodyRole.SECRETARY, term_start=datetime.date(2020, 1, 1))
    return {"authority": authority, "body": body, "user": user, "person": person}


def fields(body, **overrides):
    return {"body": body.pk, "kind": "council", "number": "1", "date": "2026-11-20", "format": "online",
            "chair_title": "presiding", **overrides}


def test_an_authoritys_meeting_names_the_clusters_that_took_part(client, demo, ministry):
    client.force_login(ministry["user"])
    html = client.get("/meetings/new/").content.decode()
    assert 'id="participating-clusters"' in html and str(demo["cluster"]) in html
    assert str(ministry["authority"]) not in html.split('id="participating-clusters"')[1].split("</select>")[0]
    data = editor_post(meeting=fields(ministry["body"], participating_clusters=[demo["cluster"].pk,
                                                                                 demo["other_cluster"].pk]))
    assert client.post("/meetings/new/", data).status_code == 302
    meeting = Meeting.objects.get(body=ministry["body"])
    assert meeting.cluster == ministry["authority"]
    assert set(meeting.participating_clusters.all()) == {demo["cluster"], demo["other_cluster"]}
    edit = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert f'<option value="{demo["cluster"].pk}" selected>' in edit


def test_a_clusters_editor_does_not_offer_participating_clusters(client_as, demo):
    assert 'id="participating-clusters"' not in client_as("secretary").get("/meetings/new/").content.decode()


def test_a_posted_participant_on_a_clusters_body_is_ignored_by_its_editor(client_as, demo):
    data = editor_post(meeting=fields(demo["council"], number="5", participating_clusters=[demo["other_cluster"].pk]))
    assert client_as("secretary").post("/meetings/new/", data).status_code == 302
    assert not Meeting.objects.get(body=demo["council"], number="5", year=2026).participating_clusters.exists()


def test_the_service_refuses_participants_for_a_clusters_meeting(demo):
    meeting = Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], number="77",
                                     date=datetime.date(2026, 6, 1))
    with pytest.raises(DomainError, match="Только совещание координирующего органа"):
        meeting_set_participants(meeting=meeting, clusters=[demo["other_cluster"]])
    assert not meeting.participating_clusters.exists()


def test_the_authority_itself_is_no_participant(demo, ministry):
    meeting = Meeting.objects.create(cluster=ministry["authority"], body=ministry["body"], number="2",
                                     date=datetime.date(2026, 6, 1))
    with pytest.raises(DomainError, match="не сам координирующий орган"):
        meeting_set_participants(meeting=meeting, clusters=[ministry["authority"]])


def test_a_secretary_of_both_cannot_name_participants_on_the_clusters_body(client, demo, ministry):
    BodyMembership.objects.create(body=demo["council"], person=ministry["person"], role=BodyRole.MEMBER,
                                  term_start=datetime.date(2020, 1, 1))
    from members.models import ClusterRole, PortalRole
    ClusterRole.objects.create(user=ministry["user"], cluster=demo["cluster"], role=PortalRole.SECRETARY)
    client.force_login(ministry["user"])
    data = editor_post(meeting=fields(demo["council"], number="6", participating_clusters=[demo["other_cluster"].pk]))
    response = client.post("/meetings/new/", data)
    assert response.status_code == 200
    assert "Только совещание координирующего органа называет участвующие кластеры" in response.content.decode()
    assert not Meeting.objects.filter(body=demo["council"], number="6").exists()
