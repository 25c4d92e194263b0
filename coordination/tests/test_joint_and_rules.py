"""The authority's side of issue 17: decisions addressed to clusters by a rule fan out to those clusters'
councils, and the secretaries of the participating and addressed clusters read the authority's published
meeting and the assignments it gave them (and report on them), never its drafts."""

import datetime

import pytest

from core.errors import DomainError
from meetings.models import AgendaItem, Assignment, AssignmentStatus, Decision, DecisionKind, Meeting, MeetingStatus
from meetings.services import decision_assign
from members.models import AddresseeCategory, Body, BodyKind, Cluster, ClusterKind, ClusterRole, PortalRole
from members.services import addressee_category_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def clusters(demo):
    """Three more clusters: founded in 2023 in two regions, and one founded in 2022, each with a council."""
    made = {}
    for key, founded, region in (("a", 2023, "Тверская область"), ("b", 2023, "Смоленская область"),
                                 ("c", 2022, "Смоленская область")):
        cluster = Cluster.objects.create(name=f"Кластер {key}", region=region, founded_on=datetime.date(founded, 3, 1))
        Body.objects.create(cluster=cluster, kind=BodyKind.COUNCIL, name="Координационный совет")
        made[key] = cluster
    return made


def authority_decision(demo, *categories, number="П-1", status=MeetingStatus.APPROVED):
    meeting = Meeting.objects.create(cluster=demo["authority"], body=demo["authority_body"], number=number,
                                     date=datetime.date(2026, 3, 10), status=status)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="О кластерах")
    decision = Decision.objects.create(agenda_item=item, order=1, text="Представить отчёты.", kind=DecisionKind.ASSIGN,
                                       deadline=datetime.date(2026, 6, 1))
    decision.responsible_categories.set(categories)
    return decision


def councils(decision):
    return {a.body.cluster.name for a in Assignment.objects.filter(decision=decision).select_related("body__cluster")}


# ---------------------------------------------------------------- addressed by a rule

def test_a_rule_by_founding_year_covers_the_clusters_founded_that_year(demo, clusters):
    category = addressee_category_save(cluster=demo["authority"], name="Кластерам, созданным в 2023 году",
                                       organizations=[], rule_founded_year=2023)
    decision = authority_decision(demo, category)
    decision_assign(decision=decision)
    assert councils(decision) == {"Кластер a", "Кластер b"}


def test_a_rule_by_region_and_year_needs_both(demo, clusters):
    category = addressee_category_save(cluster=demo["authority"], name="Смоленским кластерам 2023 года",
                                       organizations=[], rule_founded_year=2023, rule_region="Смоленская область")
    decision = authority_decision(demo, category)
    decision_assign(decision=decision)
    assert councils(decision) == {"Кластер b"}


def test_a_rule_is_evaluated_at_fan_out_and_adds_to_the_listed_clusters(demo, clusters):
    category = addressee_category_save(cluster=demo["authority"], name="Кластерам Тверской области и ИКТ",
                                       organizations=[], clusters=[demo["cluster"]], rule_region="Тверская область")
    decision = authority_decision(demo, category)
    late = Cluster.objects.create(name="Кластер d", region="Тверская область")
    Body.objects.create(cluster=late, kind=BodyKind.COUNCIL, name="Совет")
    decision_assign(decision=decision)
    assert councils(decision) == {"Кластер a", "Кластер d", demo["cluster"].name}
    assert decision_assign(decision=decision) == []  # idempotent


def test_a_rule_never_covers_an_authority(demo, clusters):
    other = Cluster.objects.create(name="Другой департамент", region="Тверская область", kind=ClusterKind.AUTHORITY)
    Body.objects.create(cluster=other, kind=BodyKind.COUNCIL, name="Совещание")
    category = addressee_category_save(cluster=demo["authority"], name="Тверским", organizations=[],
                                       rule_region="Тверская область")
    decision = authority_decision(demo, category)
    decision_assign(decision=decision)
    assert councils(decision) == {"Кластер a"}


def test_a_cluster_cannot_address_by_a_rule(demo):
    with pytest.raises(DomainError, match="по правилу"):
        addressee_category_save(cluster=demo["cluster"], name="Кластерам 2023 года", organizations=[],
                                rule_founded_year=2023)
    assert not AddresseeCategory.objects.filter(name="Кластерам 2023 года").exists()


def test_the_authoritys_secretary_defines_a_rule_on_the_addressee_page(client, demo, clusters, django_user_model):
    user = django_user_model.objects.create_user("department-secretary")
    ClusterRole.objects.create(user=user, cluster=demo["authority"], role=PortalRole.SECRETARY)
    client.force_login(user)
    url = f"/clusters/{demo['authority'].pk}/addressees/new/"
    response = client.post(url, {"name": "Кластерам, созданным в 2022 году", "rule_founded_year": "2022"})
    assert response.status_code == 302
    category = AddresseeCategory.objects.get(name="Кластерам, созданным в 2022 году")
    assert (category.rule_founded_year, category.rule_region) == (2022, "")
    listing = client.get(f"/clusters/{demo['authority'].pk}/addressees/").content.decode()
    assert "по правилу" in listing.lower() and "2022" in listing
    bad = client.post(url, {"name": "Кластерам будущего", "rule_founded_year": "3000"})
    assert bad.status_code == 200 and not AddresseeCategory.objects.filter(name="Кластерам будущего").exists()


def test_the_demo_protocol_addresses_the_demo_clusters_by_rules(demo):
    decisions = Decision.objects.filter(agenda_item__meeting=demo["authority_meeting"]).order_by("order")
    assert [councils(d) for d in decisions] == [{demo["cluster"].name}, {demo["other_cluster"].name}]
    assert all(c.has_rule for d in decisions for c in d.responsible_categories.all())


# ---------------------------------------------------------------- the participating clusters read it

def ict_assignment(demo):
    return Assignment.objects.get(decision__agenda_item__meeting=demo["authority_meeting"], body=demo["council"])


def test_the_secretary_of_an_addressed_cluster_reads_the_meeting_and_her_assignment(client_as, demo):
    client = client_as("secretary")
    meeting = demo["authority_meeting"]
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
    assert client.get(f"/tasks/{ict_assignment(demo).pk}/").status_code == 200
    assert f"/meetings/{meeting.pk}/" in client.get("/meetings/").content.decode()
    assert f"/tasks/{ict_assignment(demo).pk}/" in client.get("/tasks/?scope=all").content.decode()
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code in (403, 404)


def test_the_chair_reads_it_too_but_members_and_outsiders_do_not(client_as, demo):
    meeting = demo["authority_meeting"]
    assert client_as("chair").get(f"/meetings/{meeting.pk}/").status_code == 200
    for role in ("member", "outsider"):
        assert client_as(role).get(f"/meetings/{meeting.pk}/").status_code == 404, role
        assert client_as(role).get(f"/tasks/{ict_assignment(demo).pk}/").status_code == 404, role


def test_the_secretary_of_one_cluster_does_not_read_the_other_clusters_assignment(client_as, demo):
    theirs = Assignment.objects.get(decision__agenda_item__meeting=demo["authority_meeting"],
                                    body__cluster=demo["other_cluster"])
    # the protocol names both clusters, so she reads it; the other cluster's assignment is shown read-only
    response = client_as("secretary").post(f"/tasks/{theirs.pk}/report/", {"text": "Отчёт."})
    assert response.status_code == 403
    assert Assignment.objects.get(pk=theirs.pk).status == AssignmentStatus.ASSIGNED


def test_a_participating_cluster_reads_a_meeting_that_gave_it_no_assignment(client_as, demo):
    meeting = authority_decision(demo, number="П-2").agenda_item.meeting
    meeting.participating_clusters.set([demo["cluster"]])
    assert client_as("secretary").get(f"/meetings/{meeting.pk}/").status_code == 200


def test_a_draft_of_the_authority_stays_with_the_authority(client_as, demo):
    meeting = authority_decision(demo, number="П-3", status=MeetingStatus.DRAFT).agenda_item.meeting
    meeting.participating_clusters.set([demo["cluster"]])
    Assignment.objects.create(decision=meeting.agenda_items.get().decisions.get(), body=demo["council"])
    for role in ("secretary", "chair", "ministry"):
        assert client_as(role).get(f"/meetings/{meeting.pk}/").status_code == 404, role
    assert f"/meetings/{meeting.pk}/" not in client_as("secretary").get("/meetings/").content.decode()


def test_the_clusters_secretary_reports_and_the_authoritys_secretary_accepts(client, client_as, demo,
                                                                               django_user_model):
    assignment = ict_assignment(demo)
    secretary = client_as("secretary")
    assert secretary.post(f"/tasks/{assignment.pk}/report/", {"text": "Программа развития исполняется."}).status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.REPORTED
    assert secretary.post(f"/tasks/{assignment.pk}/accept/").status_code == 403  # she does not review it
    department = django_user_model.objects.create_user("department-secretary")
    ClusterRole.objects.create(user=department, cluster=demo["authority"], role=PortalRole.SECRETARY)
    client.force_login(department)
    assert client.post(f"/tasks/{assignment.pk}/accept/").status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.ACCEPTED


def test_a_coordinator_reads_the_authority_assignment_but_does_not_report(client_as, demo):
    assignment = ict_assignment(demo)
    client = client_as("ministry")
    assert client.get(f"/tasks/{assignment.pk}/").status_code == 200
    assert client.post(f"/tasks/{assignment.pk}/report/", {"text": "Отчёт."}).status_code == 403


def test_her_report_is_among_the_reports_she_may_read_and_not_the_chairs(client_as, demo):
    from tasks.selectors import readable_reports

    assignment = ict_assignment(demo)
    client_as("secretary").post(f"/tasks/{assignment.pk}/report/", {"text": "Отчёт о программе развития."})
    assert readable_reports(demo["users"]["secretary"]).filter(assignment=assignment).count() == 1
    assert not readable_reports(demo["users"]["chair"]).filter(assignment=assignment).exists()
    assert not readable_reports(demo["users"]["ministry"]).filter(assignment=assignment).exists()
