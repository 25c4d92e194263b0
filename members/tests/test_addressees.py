"""Named addressee categories (issue 12): the secretary defines «Инициаторам создания …» once, a decision
addressed to it prints the name as written and fans out to what it covers; a cluster covers its own
organisations only, a coordinating authority may cover clusters (through their councils)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import DomainError
from meetings.models import AgendaItem, Assignment, Decision, DecisionKind, Meeting
from meetings.protocol import build_protocol, protocol_queryset
from meetings.services import decision_assign
from meetings.tests.conftest import editor_post, meeting_fields
from members.models import AddresseeCategory, Body, BodyKind, Cluster, ClusterKind, Organization, OrganizationKind
from members.services import addressee_category_save

pytestmark = pytest.mark.django_db

INITIATORS = ("Инициаторам создания образовательно-производственных центров (кластеров) на базе "
              "профессиональных образовательных организаций, созданных в 2023 году")


@pytest.fixture
def category(demo):
    return addressee_category_save(cluster=demo["cluster"], name=INITIATORS,
                                   organizations=[demo["orgs"]["smolapo"], demo["orgs"]["college"]])


@pytest.fixture
def authority(demo):
    """A ministry department that is not a cluster, with its own council-like body."""
    ministry = Cluster.objects.create(name="Департамент государственной политики в сфере СПО", kind=ClusterKind.AUTHORITY)
    Body.objects.create(cluster=ministry, kind=BodyKind.COUNCIL, name="Совещание")
    return ministry


def addressed_decision(demo, *categories, text="Представить сведения о ходе работ.", responsible_text=""):
    meeting = Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], number="71",
                                     date=datetime.date(2026, 6, 10))
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="О центрах")
    decision = Decision.objects.create(agenda_item=item, order=1, text=text, kind=DecisionKind.ASSIGN,
                                       deadline=datetime.date(2026, 9, 1), responsible_text=responsible_text)
    decision.responsible_categories.set(categories)
    return decision


# ---------------------------------------------------------------- the rules (service)

def test_a_category_keeps_its_name_as_written_and_what_it_covers(demo, category):
    assert category.name == INITIATORS
    assert set(category.organizations.all()) == {demo["orgs"]["smolapo"], demo["orgs"]["college"]}


def test_a_cluster_cannot_cover_an_organisation_outside_its_register(demo):
    stranger = Organization.objects.get(short_name="ООО «Демо-Машзавод»")
    with pytest.raises(DomainError, match="Нет в реестре .*ООО «Демо-Машзавод»"):
        addressee_category_save(cluster=demo["cluster"], name="Работодателям", organizations=[stranger])
    assert not AddresseeCategory.objects.filter(name="Работодателям").exists()


def test_a_cluster_cannot_address_clusters(demo):
    with pytest.raises(DomainError, match="Только координирующий орган"):
        addressee_category_save(cluster=demo["cluster"], name="Кластерам", organizations=[],
                                clusters=[demo["other_cluster"]])


def test_an_authority_addresses_clusters_through_their_councils(demo, authority):
    category = addressee_category_save(cluster=authority, name="Кластерам, созданным в 2023 году", organizations=[],
                                       clusters=[demo["cluster"], demo["other_cluster"]])
    meeting = Meeting.objects.create(cluster=authority, body=authority.bodies.get(), number="1",
                                     date=datetime.date(2026, 6, 10))
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="О кластерах")
    decision = Decision.objects.create(agenda_item=item, order=1, text="Представить отчёты.", kind=DecisionKind.ASSIGN)
    decision.responsible_categories.set([category])
    decision_assign(decision=decision)
    councils = {a.body for a in Assignment.objects.filter(decision=decision)}
    assert councils == {demo["council"], Body.objects.get(cluster=demo["other_cluster"], kind=BodyKind.COUNCIL)}


@pytest.mark.parametrize("name, organizations, message", [
    ("  ", True, "Введите название"), ("Всем", False, "Выберите организации"),
])
def test_a_category_needs_a_name_and_something_to_cover(demo, name, organizations, message):
    with pytest.raises(DomainError, match=message):
        addressee_category_save(cluster=demo["cluster"], name=name,
                                organizations=[demo["orgs"]["copp"]] if organizations else [])


def test_two_categories_of_a_cluster_cannot_share_a_name(demo, category):
    with pytest.raises(DomainError, match="уже есть категория"):
        addressee_category_save(cluster=demo["cluster"], name=INITIATORS.upper(), organizations=[demo["orgs"]["copp"]])


# ---------------------------------------------------------------- printing and fan-out

def test_the_protocol_prints_the_name_as_written_and_the_decision_fans_out(demo, category):
    decision = addressed_decision(demo, category)
    decision.responsible_organizations.set([demo["orgs"]["copp"], demo["orgs"]["smolapo"]])
    protocol = build_protocol(protocol_queryset().get(pk=decision.agenda_item.meeting_id))
    named = sorted([str(demo["orgs"]["copp"]), str(demo["orgs"]["smolapo"])])  # the register's order
    assert protocol.items[0].decisions[0].responsible == f"{', '.join(named)}, {INITIATORS}"
    created = decision_assign(decision=decision)
    assert sorted(a.organization.pk for a in created) == sorted(
        [demo["orgs"]["copp"].pk, demo["orgs"]["smolapo"].pk, demo["orgs"]["college"].pk])
    assert decision_assign(decision=decision) == []  # idempotent


def test_free_text_responsible_is_printed_once_instead_of_the_parties(demo, category):
    decision = addressed_decision(demo, category, responsible_text="руководители центров")
    decision.responsible_organizations.set([demo["orgs"]["copp"]])
    protocol = build_protocol(protocol_queryset().get(pk=decision.agenda_item.meeting_id))
    assert protocol.items[0].decisions[0].responsible == "руководители центров"
    assert len(decision_assign(decision=decision)) == 3  # the parties still get their assignments


def test_a_category_of_another_cluster_is_refused_when_fanning_out(demo, category):
    foreign = addressee_category_save(cluster=demo["other_cluster"], name="Машиностроителям",
                                      organizations=[Organization.objects.get(short_name="ООО «Демо-Машзавод»")])
    decision = addressed_decision(demo, foreign)
    with pytest.raises(DomainError, match="другого кластера: Машиностроителям"):
        decision_assign(decision=decision)
    assert not Assignment.objects.filter(decision=decision).exists()


def test_the_editor_offers_the_clusters_categories_and_saves_them(client_as, demo, category):
    client = client_as("secretary")
    assert INITIATORS in client.get("/meetings/new/").content.decode()
    decisions = [{"text": "Представить сведения.", "kind": "assign", "deadline_text": "01.09.2027",
                  "responsible_categories": category.pk}]
    data = editor_post(meeting=meeting_fields(demo), items=[{"title": "О центрах.", "decisions": decisions}])
    assert client.post("/meetings/new/", data).status_code == 302
    decision = Decision.objects.get(agenda_item__meeting__number="5", agenda_item__meeting__year=2026)
    assert list(decision.responsible_categories.all()) == [category]
    html = client.get(f"/meetings/{decision.agenda_item.meeting_id}/").content.decode()
    assert f"Ответственный: {INITIATORS}" in html


def test_the_editor_refuses_another_clusters_category_and_saves_nothing(client_as, demo):
    foreign = addressee_category_save(cluster=demo["other_cluster"], name="Машиностроителям",
                                      organizations=[Organization.objects.get(short_name="ООО «Демо-Машзавод»")])
    decisions = [{"text": "Представить.", "kind": "note", "responsible_categories": foreign.pk}]
    data = editor_post(meeting=meeting_fields(demo), items=[{"title": "О центрах.", "decisions": decisions}])
    response = client_as("secretary").post("/meetings/new/", data)
    assert response.status_code == 200 and "Выберите корректный вариант" in response.content.decode()
    assert not Meeting.objects.filter(number="5", year=2026).exists()


# ---------------------------------------------------------------- pages

def test_the_secretary_adds_and_edits_a_category_on_the_pages(client_as, demo):
    client = client_as("secretary")
    ict = demo["cluster"].pk
    response = client.post(f"/clusters/{ict}/addressees/new/", {
        "name": INITIATORS, "organizations": [demo["orgs"]["smolapo"].pk]})
    assert response.status_code == 302 and response["Location"] == f"/clusters/{ict}/addressees/"
    category = AddresseeCategory.objects.get(cluster=demo["cluster"])
    assert INITIATORS in client.get(f"/clusters/{ict}/addressees/").content.decode()
    response = client.post(f"/clusters/{ict}/addressees/{category.pk}/edit/", {
        "name": "Инициаторам создания центров", "organizations": [demo["orgs"]["college"].pk]})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Инициаторам создания центров"
    assert list(category.organizations.all()) == [demo["orgs"]["college"]]


def test_a_page_refusal_is_shown_in_russian_and_nothing_is_saved(client_as, demo, category):
    response = client_as("secretary").post(f"/clusters/{demo['cluster'].pk}/addressees/new/", {
        "name": INITIATORS, "organizations": [demo["orgs"]["copp"].pk]})
    assert response.status_code == 200
    assert "В кластере уже есть категория" in response.content.decode()
    assert AddresseeCategory.objects.filter(cluster=demo["cluster"]).count() == 1


def test_an_organisation_outside_the_register_is_not_offered_nor_accepted(client_as, demo):
    stranger = Organization.objects.get(short_name="ООО «Демо-Машзавод»")
    client = client_as("secretary")
    assert "Демо-Машзавод" not in client.get(f"/clusters/{demo['cluster'].pk}/addressees/new/").content.decode()
    response = client.post(f"/clusters/{demo['cluster'].pk}/addressees/new/", {
        "name": "Работодателям", "organizations": [stranger.pk]})
    assert response.status_code == 200 and not AddresseeCategory.objects.filter(cluster=demo["cluster"]).exists()


def test_clusters_are_offered_to_an_authority_only(client_as, demo, authority, users):
    from django.test import Client
    admin = Client()
    admin.force_login(users["admin"])
    assert 'name="clusters"' in admin.get(f"/clusters/{authority.pk}/addressees/new/").content.decode()
    assert 'name="clusters"' not in admin.get(f"/clusters/{demo['cluster'].pk}/addressees/new/").content.decode()


def test_a_category_of_another_cluster_is_not_found_under_this_one(client_as, demo):
    foreign = addressee_category_save(cluster=demo["other_cluster"], name="Машиностроителям",
                                      organizations=[Organization.objects.get(short_name="ООО «Демо-Машзавод»")])
    assert client_as("secretary").get(
        f"/clusters/{demo['cluster'].pk}/addressees/{foreign.pk}/edit/").status_code == 404


def grow(demo, n):
    orgs = [Organization(full_name=f"Колледж № {demo_n}", short_name=f"Колледж № {demo_n}",
                         kind=OrganizationKind.EDU_VOCATIONAL) for demo_n in range(n)]
    Organization.objects.bulk_create(orgs)
    from members.models import Membership
    Membership.objects.bulk_create([Membership(cluster=demo["cluster"], organization=o, joined_on=datetime.date(2020, 1, 1))
                                    for o in Organization.objects.filter(full_name__startswith="Колледж № ")
                                    .exclude(memberships__cluster=demo["cluster"])])
    covered = list(Organization.objects.filter(full_name__startswith="Колледж № "))
    for k in range(AddresseeCategory.objects.filter(cluster=demo["cluster"]).count(), n):
        category = AddresseeCategory.objects.create(cluster=demo["cluster"], name=f"Категория {k}")
        category.organizations.set(covered[:5])


@pytest.mark.parametrize("url", ["/clusters/{ict}/addressees/", "/clusters/{ict}/addressees/new/",
                                 "/clusters/{ict}/addressees/{first}/edit/"])
def test_addressee_pages_query_count_does_not_grow(client_as, demo, django_assert_max_num_queries, url):
    client = client_as("secretary")
    grow(demo, 3)

    def target():
        first = AddresseeCategory.objects.filter(cluster=demo["cluster"]).order_by("pk").first().pk
        return url.format(ict=demo["cluster"].pk, first=first)

    with CaptureQueriesContext(connection) as small:
        assert client.get(target()).status_code == 200
    grow(demo, 60)
    with django_assert_max_num_queries(len(small)):
        response = client.get(target())
    assert response.status_code == 200
