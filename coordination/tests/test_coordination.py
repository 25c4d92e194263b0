"""/coordination/ (issue 17): the demo ``ministry`` follows both demo clusters — their execution discipline
per cluster and per region with the chart, the drill-down, the overdue orders, the authority's own protocol
and what each cluster did with it — and never a draft."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coordination import selectors
from core.testing import Row, cases, check
from meetings.models import AgendaItem, Assignment, AssignmentStatus, Decision, DecisionKind, Meeting, MeetingStatus
from members.models import Body, BodyKind, Cluster, ClusterRole, PortalRole

pytestmark = pytest.mark.django_db


def own_assignments(cluster):
    return Assignment.objects.filter(cluster=cluster, decision__agenda_item__meeting__status__in=["approved", "signed"]) \
        .exclude(status=AssignmentStatus.CANCELLED)


@pytest.fixture
def draft_with_assignment(demo):
    """A draft of the ICT council whose decision already has an assignment (as a correction under way has)."""
    meeting = Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], number="77",
                                     date=datetime.date(2026, 10, 1), status=MeetingStatus.DRAFT)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Черновой вопрос")
    decision = Decision.objects.create(agenda_item=item, order=1, text="Черновое поручение СЕКРЕТНО.",
                                       kind=DecisionKind.ASSIGN, deadline=datetime.date(2026, 10, 15))
    assignment = Assignment.objects.create(decision=decision, organization=demo["orgs"]["copp"],
                                           deadline=datetime.date(2026, 10, 15))
    return meeting, assignment


# ---------------------------------------------------------------- who gets the page

TABLE = [
    Row("overview", "/coordination/", "get",
        {"ministry": 200, "admin": 200, "secretary": 403, "chair": 403, "member": 403, "outsider": 403, None: 302}),
    Row("overview", "/coordination/", "post",
        {"ministry": 405, "admin": 405, "secretary": 405, "member": 405, "outsider": 405, None: 302}),
    Row("overdue", "/coordination/assignments/?state=overdue", "get",
        {"ministry": 200, "admin": 200, "secretary": 403, "member": 403, "outsider": 403, None: 302}),
    Row("cluster", "/coordination/assignments/?cluster={cluster}&state=open", "get",
        {"ministry": 200, "admin": 200, "secretary": 403, "member": 403, "outsider": 403, None: 302}),
    Row("unknown_cluster", "/coordination/assignments/?cluster={stranger}", "get",
        {"ministry": 404, "admin": 200, "outsider": 403}),
    Row("junk_cluster", "/coordination/assignments/?cluster=abc", "get", {"ministry": 400, "admin": 400}),
    Row("junk_state", "/coordination/assignments/?state=everything", "get", {"ministry": 400, "admin": 400}),
    Row("authority_protocol", "/coordination/protocols/{authority_meeting}/", "get",
        {"ministry": 200, "admin": 200, "secretary": 403, "chair": 403, "member": 404, "outsider": 404, None: 302}),
    Row("cluster_protocol", "/coordination/protocols/{meeting_2023}/", "get",
        {"ministry": 404, "admin": 404, "secretary": 404, "member": 404, "outsider": 404}),
    Row("draft_protocol", "/coordination/protocols/{draft}/", "get",
        {"ministry": 404, "admin": 404, "member": 404, "outsider": 404}),
    Row("missing_protocol", "/coordination/protocols/999999/", "get", {"ministry": 404, "admin": 404}),
]


@pytest.fixture
def objects(demo, draft_with_assignment):
    stranger = Cluster.objects.create(name="Кластер, которого министерство не ведёт")
    return {"cluster": demo["cluster"].pk, "stranger": stranger.pk, "authority_meeting": demo["authority_meeting"].pk,
            "meeting_2023": demo["meeting_2023"].pk, "draft": draft_with_assignment[0].pk}


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permission_table(client_as, objects, row, role):
    check(client_as(role), row, role, objects)


# ---------------------------------------------------------------- what the ministry sees

def test_ministry_sees_every_demo_clusters_discipline(client_as, demo):
    html = client_as("ministry").get("/coordination/").content.decode()
    table = html.split('id="by-cluster"')[1].split("</section>")[0]
    for cluster in (demo["cluster"], demo["other_cluster"]):
        assert f"?cluster={cluster.pk}&amp;state=all" in table and str(cluster) in table
    assert 'class="discipline-chart"' in html
    assert "Смоленская область" in html.split('id="by-region"')[1] and "Демонстрационная область" in html


def test_the_figures_count_the_clusters_own_published_assignments(demo):
    now = timezone.now()
    clusters = [demo["cluster"], demo["other_cluster"]]
    by_cluster, by_region = selectors.coordination_discipline(clusters, now=now)
    rows = {row.cluster_id: row for row in by_cluster.rows}
    ict = rows[demo["cluster"].pk]
    assert ict.assigned == own_assignments(demo["cluster"]).count() > 0
    assert ict.overdue == own_assignments(demo["cluster"]).overdue(now).count()
    assert ict.on_time + ict.late + ict.overdue + ict.open == ict.assigned
    assert rows[demo["other_cluster"].pk].assigned == 1  # the authority's order to its council is not its own
    assert {row.region: row.assigned for row in by_region.rows} == {
        "Смоленская область": ict.assigned, "Демонстрационная область": 1}


def test_no_draft_anywhere(client_as, demo, draft_with_assignment):
    meeting, assignment = draft_with_assignment
    client = client_as("ministry")
    before = selectors.coordination_discipline([demo["cluster"]])[0].rows[0].assigned
    assert before == own_assignments(demo["cluster"]).count()  # the draft's assignment is not counted
    for url in (f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/edit/", f"/meetings/{meeting.pk}/history/",
                f"/tasks/{assignment.pk}/", f"/coordination/protocols/{meeting.pk}/"):
        assert client.get(url).status_code == 404, url
    for url in ("/coordination/", "/coordination/assignments/?state=all",
                f"/coordination/assignments/?cluster={demo['cluster'].pk}&state=all", "/meetings/", "/tasks/"):
        assert "СЕКРЕТНО" not in client.get(url).content.decode(), url


def test_drill_down_lists_a_clusters_overdue_assignments(client_as, demo):
    overdue = own_assignments(demo["cluster"]).overdue()
    html = client_as("ministry").get(f"/coordination/assignments/?cluster={demo['cluster'].pk}&state=overdue").content.decode()
    assert html.count("/tasks/") - html.count('href="/tasks/"') >= overdue.count()
    for assignment in overdue[:5]:
        assert f"/tasks/{assignment.pk}/" in html


def test_overdue_orders_across_clusters_are_listed_with_their_cluster(client_as, demo):
    html = client_as("ministry").get("/coordination/").content.decode()
    section = html.split('id="overdue"')[1].split("</section>")[0]
    first = own_assignments(demo["cluster"]).overdue().order_by("deadline", "id").first()
    assert f"/tasks/{first.pk}/" in section and str(demo["cluster"]) in section


def test_the_authority_protocol_shows_what_each_cluster_did(client_as, demo):
    html = client_as("ministry").get("/coordination/").content.decode()
    section = html.split('id="authority-protocols"')[1].split("</section>")[0]
    assert "АН-12/05пр" in section and f"/coordination/protocols/{demo['authority_meeting'].pk}/" in section
    page = client_as("ministry").get(f"/coordination/protocols/{demo['authority_meeting'].pk}/").content.decode()
    by_cluster = page.split('id="by-cluster"')[1].split("</section>")[0]
    assert str(demo["cluster"]) in by_cluster and str(demo["other_cluster"]) in by_cluster
    report = selectors.meeting_by_cluster(demo["authority_meeting"])
    assert sorted(row.assigned for row in report.rows) == [1, 1] and report.total.overdue == 2


def test_a_report_accepted_in_time_shows_as_on_time_for_that_cluster(demo):
    assignment = Assignment.objects.get(decision__agenda_item__meeting=demo["authority_meeting"], body=demo["council"])
    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.ACCEPTED,
                                                       completed_at=timezone.make_aware(datetime.datetime(2024, 8, 1)))
    rows = {row.cluster_id: row for row in selectors.meeting_by_cluster(demo["authority_meeting"]).rows}
    assert (rows[demo["cluster"].pk].on_time, rows[demo["other_cluster"].pk].overdue) == (1, 1)


def test_a_secretary_of_the_authority_sees_its_protocol_by_cluster(client, demo, django_user_model):
    user = django_user_model.objects.create_user("department-secretary")
    ClusterRole.objects.create(user=user, cluster=demo["authority"], role=PortalRole.SECRETARY)
    client.force_login(user)
    assert client.get(f"/coordination/protocols/{demo['authority_meeting'].pk}/").status_code == 200
    assert client.get("/coordination/").status_code == 403  # she coordinates no cluster


def test_the_dashboard_links_a_coordinator_to_the_page(client_as):
    assert 'id="coordination-link"' in client_as("ministry").get("/").content.decode()
    assert 'id="coordination-link"' not in client_as("member").get("/").content.decode()


# ---------------------------------------------------------------- bounded queries

def grow(demo, clusters: int, per_cluster: int, tag: str):
    """``clusters`` more clusters the ministry follows, each with ``per_cluster`` published assignments, and
    as many more published protocols of the authority."""
    ministry = demo["users"]["ministry"]
    for n in range(clusters):
        cluster = Cluster.objects.create(name=f"Кластер роста {tag}{n}", region=f"Регион {n % 3}",
                                         founded_on=datetime.date(2020, 1, 1))
        body = Body.objects.create(cluster=cluster, kind=BodyKind.COUNCIL, name="Совет")
        ClusterRole.objects.create(user=ministry, cluster=cluster, role=PortalRole.COORDINATOR)
        meeting = Meeting.objects.create(cluster=cluster, body=body, number="1", date=datetime.date(2024, 1, 10),
                                         status=MeetingStatus.APPROVED)
        item = AgendaItem.objects.create(meeting=meeting, order=1, title="Вопрос")
        for k in range(per_cluster):
            decision = Decision.objects.create(agenda_item=item, order=k + 1, text=f"Поручение {k}.",
                                               kind=DecisionKind.ASSIGN, deadline=datetime.date(2024, 3, 1))
            Assignment.objects.create(decision=decision, body=body, deadline=datetime.date(2024, 3, 1))
        joint = Meeting.objects.create(cluster=demo["authority"], body=demo["authority_body"], number=f"Г-{tag}{n}",
                                       date=datetime.date(2024, 6, 1), status=MeetingStatus.APPROVED)
        joint.participating_clusters.set([cluster, demo["cluster"]])
        joint_item = AgendaItem.objects.create(meeting=joint, order=1, title="Вопрос")
        joint_decision = Decision.objects.create(agenda_item=joint_item, order=1, text="Отчитаться.",
                                                 kind=DecisionKind.ASSIGN, deadline=datetime.date(2024, 9, 1))
        Assignment.objects.create(decision=joint_decision, body=body, deadline=datetime.date(2024, 9, 1))


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/coordination/", "/coordination/assignments/?state=overdue",
                                 "/coordination/assignments/?state=all", "/coordination/protocols/{meeting}/"])
def test_pages_make_the_same_queries_at_two_sizes(client_as, demo, url):
    client = client_as("ministry")
    url = url.format(meeting=demo["authority_meeting"].pk)
    queries(client, url)  # warm the per-process caches (prepared queries, fragments)
    grow(demo, clusters=2, per_cluster=2, tag="a")
    small = queries(client, url)
    grow(demo, clusters=12, per_cluster=6, tag="b")
    large = queries(client, url)
    assert small == large <= 16
