"""The scale generator at a small size: the rows it promises, determinism, the demo roles in the
big cluster (and what the demo member may see there), and the two commands."""

import datetime
import json
from io import StringIO

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from cluster_portal.management.commands.bench_pages import pages
from cluster_portal.scale import (
    MEETINGS_PER_YEAR,
    PLAN_ITEMS_PER_SECTION,
    PLAN_SECTIONS,
    ScaleError,
    big_cluster,
    generate,
    generated_clusters,
)
from core.testing import listed_pks
from meetings.models import Assignment, AssignmentStatus, Decision, Meeting, MeetingStatus
from members.access import cluster_roles
from members.models import Membership, Organization, OrganizationKind, PortalRole
from plans.models import PlanItem

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
CLUSTERS, YEARS = 2, 2
PUBLISHED = [MeetingStatus.APPROVED, MeetingStatus.SIGNED]


@pytest.fixture
def scale(demo):
    return generate(clusters=CLUSTERS, years=YEARS, seed=7, today=TODAY)


def generated(model, path):
    return model.objects.filter(**{f"{path}__in": generated_clusters()})


def test_it_builds_21_meetings_a_year_per_cluster_with_about_10_decisions_each(scale):
    meetings = generated(Meeting, "cluster").count()
    decisions = generated(Decision, "agenda_item__meeting__cluster").count()
    assert meetings == scale["meetings.Meeting"] == CLUSTERS * YEARS * MEETINGS_PER_YEAR
    assert 9 * meetings <= decisions <= 11 * meetings


def test_about_two_assignments_per_decision_of_a_published_protocol_and_none_for_drafts(scale):
    assignments = generated(Assignment, "decision__agenda_item__meeting__cluster")
    published = generated(Decision, "agenda_item__meeting__cluster").filter(agenda_item__meeting__status__in=PUBLISHED)
    assert not assignments.exclude(decision__agenda_item__meeting__status__in=PUBLISHED).exists()
    assert 1.6 <= assignments.count() / published.count() <= 2.2


def test_assignments_mix_every_status_and_some_are_overdue(scale):
    assignments = generated(Assignment, "decision__agenda_item__meeting__cluster")
    statuses = set(assignments.values_list("status", flat=True))
    assert statuses == set(AssignmentStatus.values) - {AssignmentStatus.CANCELLED}
    assert assignments.overdue(now=timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12)))).exists()


def test_every_assignment_goes_to_a_member_of_the_cluster_on_the_meeting_day(scale):
    terms = {(m.cluster_id, m.organization_id): m for m in generated(Membership, "cluster")}
    rows = generated(Assignment, "decision__agenda_item__meeting__cluster").values_list(
        "decision__agenda_item__meeting__cluster_id", "organization_id", "decision__agenda_item__meeting__date")
    assert all(terms[(cluster, org)].is_active_on(day) for cluster, org, day in rows)


def test_organisations_of_every_kind_with_branches_and_a_plan_of_40_items_a_year(scale):
    orgs = Organization.objects.filter(memberships__cluster__in=generated_clusters()).distinct()
    assert set(orgs.values_list("kind", flat=True)) == set(OrganizationKind.values)
    assert orgs.filter(parent__isnull=False).count() >= CLUSTERS
    assert generated(PlanItem, "section__plan__cluster").count() == CLUSTERS * YEARS * PLAN_SECTIONS * PLAN_ITEMS_PER_SECTION


def fresh(login):
    """The login read again: the fixture's copies may carry roles cached before the generation."""
    return get_user_model().objects.get(username=login)


def fingerprint():
    return sorted(generated(Assignment, "decision__agenda_item__meeting__cluster").values_list(
        "decision__agenda_item__meeting__date", "decision__agenda_item__meeting__number", "decision__agenda_item__order",
        "decision__order", "organization__full_name", "status", "deadline"))


def test_the_same_seed_gives_the_same_data(demo):
    prints = []
    for _ in range(2):
        with transaction.atomic():
            generate(clusters=1, years=1, seed=3, today=TODAY)
            prints.append(fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1] and prints[0]


def test_a_second_run_on_the_same_database_is_refused(scale):
    with pytest.raises(ScaleError):
        generate(clusters=1, years=1, today=TODAY)


@pytest.mark.parametrize("login, roles", [
    ("secretary", {PortalRole.SECRETARY}),
    ("chair", {PortalRole.CHAIR}),
    ("member", {PortalRole.MEMBER}),
])
def test_demo_logins_have_their_roles_in_the_big_cluster(scale, login, roles):
    # The data is generated up to TODAY (the chair changes half-way): ask on that day, not the clock's.
    assert cluster_roles(fresh(login), TODAY)[big_cluster().pk] == roles


def test_the_outsider_has_no_role_in_the_big_cluster(scale):
    assert big_cluster().pk not in cluster_roles(fresh("outsider"))


def test_member_sees_only_his_organisations_assignments_in_the_big_cluster(scale, users, client_as):
    college = users["member"].person.organization_id
    page = client_as("member").get("/tasks/").context["page"]
    rows = Assignment.objects.filter(pk__in=listed_pks(page)).select_related("decision__agenda_item__meeting")
    assert len(rows) == len(page.object_list)
    in_big = [a for a in rows if a.decision.agenda_item.meeting.cluster_id == big_cluster().pk]
    assert {a.organization_id for a in rows} == {college}
    assert in_big and page.paginator.count == Assignment.objects.filter(
        organization_id=college, decision__agenda_item__meeting__status__in=PUBLISHED).count()


def test_member_cannot_open_a_draft_of_the_big_cluster_but_the_secretary_can(scale, client_as):
    draft = Meeting.objects.filter(cluster=big_cluster(), status=MeetingStatus.DRAFT).first()
    assert client_as("member").get(f"/meetings/{draft.pk}/").status_code == 404
    assert client_as("secretary").get(f"/meetings/{draft.pk}/").status_code == 200


def test_generate_scale_prints_rows_per_table(demo):
    out = StringIO()
    call_command("generate_scale", "--clusters", "1", "--years", "1", stdout=out)
    assert "meetings_assignment" in out.getvalue() and "Generated 1 clusters" in out.getvalue()


def test_bench_pages_covers_the_generated_cluster_too(scale):
    labels = {page.label for page in pages()}
    assert {"protocol page (signed, generated)", "plan page (generated)", "signed PDF download (stored)"} <= labels


def test_bench_pages_measures_pages_beside_the_bare_view(scale):
    out = StringIO()
    call_command("bench_pages", "--runs", "1", "--warmup", "0", "--json", "--only", "generated", stdout=out)
    result = json.loads(out.getvalue())
    assert len(result["pages"]) == 4 and result["bare"]["queries"] == 2
    assert all(row["queries"] > 2 and 0 < row["percent_of_bare"] < 100 for row in result["pages"])
    assert result["bare"]["page"] == "bare Django view"
    assert result["floor"]["queries"] == 2 and result["floor"]["percent_of_bare"] > 0


def test_the_bench_reference_looks_up_the_session_and_user_as_django_ships_it(demo):
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends import db as django_sessions
    from django.test import override_settings

    from cluster_portal.management.commands import bench_pages
    from core.sessions import SessionStore as PortalSessionStore

    member = demo["users"]["member"]
    backends = [*settings.AUTHENTICATION_BACKENDS, bench_pages.DJANGO_BACKEND]
    with override_settings(ROOT_URLCONF=bench_pages.__name__, AUTHENTICATION_BACKENDS=backends):
        reference = bench_pages.django_client(member).get("/_bench/bare/")
        portal = Client()
        portal.force_login(member)
        floor = portal.get("/_bench/bare/")
    assert reference.status_code == floor.status_code == 200
    assert member.username.encode() in reference.content and member.username.encode() in floor.content
    session, user = reference.wsgi_request.session, reference.wsgi_request.user
    assert type(session) is django_sessions.SessionStore and type(session) is not PortalSessionStore
    assert user.pk == member.pk and session[BACKEND_SESSION_KEY] == bench_pages.DJANGO_BACKEND
    assert type(floor.wsgi_request.session) is PortalSessionStore
    assert floor.wsgi_request.session[BACKEND_SESSION_KEY] == "members.backends.PortalBackend"
