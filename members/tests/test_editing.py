"""The secretary keeps the register in the browser: organisations, people, membership history."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from members import services
from members.models import Membership, MembershipStatus, Organization, OrganizationKind, Person

pytestmark = pytest.mark.django_db
D = datetime.date


def test_secretary_adds_an_organisation_that_joins(client_as, demo):
    response = client_as("secretary").post("/members/organizations/new/", {
        "full_name": "ООО «Новые технологии»", "short_name": "ООО «НТ»", "kind": OrganizationKind.EMPLOYER,
        "cluster": demo["cluster"].pk, "status": MembershipStatus.JOINED, "on": "2024-02-01",
        "document_title": "Заявление о присоединении",
    })
    org = Organization.objects.get(short_name="ООО «НТ»")
    assert response.status_code == 302
    assert org.memberships.get().joined_on == D(2024, 2, 1)


def test_bad_inn_is_reported_beside_the_field_and_nothing_is_saved(client_as, demo):
    response = client_as("secretary").post("/members/organizations/new/", {
        "full_name": "ООО «Ошибка»", "kind": OrganizationKind.EMPLOYER, "inn": "123",
        "cluster": demo["cluster"].pk, "status": MembershipStatus.JOINED, "on": "2024-02-01",
    })
    assert "ИНН" in response.content.decode() and response.status_code == 200
    assert not Organization.objects.filter(full_name="ООО «Ошибка»").exists()


def test_secretary_edits_an_organisation(client_as, demo):
    org = demo["orgs"]["man"]
    client_as("secretary").post(f"/members/organizations/{org.pk}/edit/", {
        "full_name": org.full_name, "short_name": "МАН", "kind": org.kind, "inn": "6731000000",
    })
    org.refresh_from_db()
    assert (org.short_name, org.inn) == ("МАН", "6731000000")


def test_secretary_adds_a_person(client_as, demo):
    response = client_as("secretary").post("/members/people/new/", {
        "last_name": "Смирнова", "first_name": "Анна", "patronymic": "Игоревна", "position": "методист",
        "organization": demo["orgs"]["copp"].pk, "email": "smirnova@example.org",
    })
    person = Person.objects.get(last_name="Смирнова")
    assert response["Location"] == f"/members/people/{person.pk}/"


def test_duplicate_person_in_the_same_organisation_is_offered_instead(client_as, demo):
    # «Зарянкина О. М.» is in the register; «Ольга Михайловна» is the same person.
    response = client_as("secretary").post("/members/people/new/", {
        "last_name": "Зарянкина", "first_name": "Ольга", "patronymic": "Михайловна",
        "organization": demo["orgs"]["copp"].pk,
    })
    page = response.content.decode()
    assert 'id="existing-person"' in page and f"/members/people/{demo['people']['zaryankina'].pk}/" in page
    assert Person.objects.filter(last_name="Зарянкина").count() == 1


def test_same_name_in_another_organisation_is_allowed(demo):
    person = services.person_create(last_name="Зарянкина", first_name="Ольга", organization=demo["orgs"]["smolapo"])
    assert person.pk


def test_edit_cannot_turn_a_person_into_a_duplicate(demo):
    with pytest.raises(services.DuplicatePersonError, match="Чуранов Василий Сергеевич уже есть в реестре организации"):
        services.person_update(person=demo["people"]["trofimova"], last_name="Чуранов", first_name="Василий",
                               patronymic="Сергеевич")


def test_decision_1_5_is_recorded_as_an_invitation(client_as, demo):
    org = Organization.objects.create(full_name="ООО «Приглашённая»", kind=OrganizationKind.EMPLOYER)
    Membership.objects.create(cluster=demo["cluster"], organization=org, status=MembershipStatus.LEFT,
                              joined_on=D(2018, 1, 1), left_on=D(2019, 1, 1))
    decision = demo["decisions_2023"][4]
    client_as("secretary").post(f"/members/organizations/{org.pk}/invite/", {
        "cluster": demo["cluster"].pk, "on": "2023-03-30", "decision": decision.pk,
    })
    invited = org.memberships.get(status=MembershipStatus.INVITED)
    assert invited.invitation_decision == decision and invited.invited_on == D(2023, 3, 30)


def test_invited_organisation_joins_with_its_accession_document(client_as, demo):
    smolgu = demo["orgs"]["smolgu"]
    document = SimpleUploadedFile("zayavlenie.txt", b"accession", content_type="text/plain")
    client_as("secretary").post(f"/members/organizations/{smolgu.pk}/join/", {
        "cluster": demo["cluster"].pk, "on": "2023-05-15", "document_title": "Заявление о присоединении",
        "document": document,
    })
    membership = smolgu.memberships.get()
    assert membership.status == MembershipStatus.JOINED and membership.joined_on == D(2023, 5, 15)
    assert membership.document.name.startswith("memberships/") and membership.invited_on == D(2023, 3, 30)


def test_joining_before_the_invitation_is_refused_with_a_message(client_as, demo):
    response = client_as("secretary").post(f"/members/organizations/{demo['orgs']['smolgu'].pk}/join/", {
        "cluster": demo["cluster"].pk, "on": "2023-01-15",
    })
    assert "Дата присоединения не может быть раньше приглашения." in response.content.decode()


def test_organisation_leaves_and_stays_in_the_register_of_earlier_dates(client_as, demo):
    client = client_as("secretary")
    client.post(f"/members/organizations/{demo['orgs']['man'].pk}/leave/", {"cluster": demo["cluster"].pk, "on": "2024-06-30"})
    assert "ООО «МАН сеть»" in client.get("/members/?on=2024-06-29").content.decode()
    assert "ООО «МАН сеть»" not in client.get("/members/?on=2024-06-30").content.decode()


def test_a_member_cannot_be_invited_again(demo):
    with pytest.raises(DomainError, match="уже приглашена в кластер или является его участником"):
        services.membership_invite(cluster=demo["cluster"], organization=demo["orgs"]["man"], on=D(2024, 1, 1))


def test_leaving_needs_a_membership(demo):
    with pytest.raises(DomainError, match="не является участником"):
        services.membership_leave(cluster=demo["cluster"], organization=demo["orgs"]["smolgu"], on=D(2024, 1, 1))


def test_rejoining_after_leaving_starts_a_new_membership(demo):
    cluster, man = demo["cluster"], demo["orgs"]["man"]
    services.membership_leave(cluster=cluster, organization=man, on=D(2020, 1, 1))
    services.membership_join(cluster=cluster, organization=man, on=D(2022, 1, 1))
    assert list(man.memberships.order_by("joined_on").values_list("status", flat=True)) == ["left", "joined"]


def test_decision_of_another_cluster_cannot_invite(demo):
    from meetings.models import Decision

    foreign = Decision.objects.filter(agenda_item__meeting__cluster=demo["other_cluster"]).first()
    with pytest.raises(DomainError, match="Решение относится к другому кластеру"):
        services.membership_invite(cluster=demo["cluster"], organization=demo["orgs"]["spbgut"], on=D(2024, 1, 1),
                                   decision=foreign)
