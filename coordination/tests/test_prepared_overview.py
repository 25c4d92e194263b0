"""The coordination overview's queries are prepared (``core.prepared``): its two aggregates (per cluster, per
authority protocol: ``coordination.selectors._prepared_figures_of``), the clusters followed and the pages
of the authority's protocols. They equal the ORM queries the page used to run, for every moment of the
day, and the page equals the one the old code printed, also after a change."""

import datetime
import re

import pytest
import time_machine
from django.db.models import Count

from coordination import selectors
from coordination.selectors import COUNTS, MEETING, _counts, _figures, _prepared_figures_of, published_assignments
from coordination.tests.test_coordination import grow
from meetings.models import Assignment, AssignmentStatus, Meeting
from members.models import Cluster, ClusterKind

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TODAY = datetime.date(2026, 11, 22)
MOMENTS = [datetime.datetime(2026, 11, 22, 9, 0, tzinfo=UTC),  # noon in Moscow
           datetime.datetime(2026, 11, 22, 20, 59, 59, 500_000, tzinfo=UTC)]  # after the end of its day


def orm_figures_of(key, ids, now, extra=False):
    """What ``coordination_discipline`` and ``meeting_figures`` ran before (the ORM, compiled each time)."""
    queryset = published_assignments().filter(**{f"{key}__in": ids})
    if not extra:
        return _figures(queryset, key, now)
    rows = queryset.values(key).order_by(key).annotate(**_counts(now), addressed=Count("body__cluster_id", distinct=True))
    return {row[key]: row for row in rows}


def without_key(figures, key):
    return {k: {c: v for c, v in row.items() if c != key} for k, row in figures.items()}


@pytest.fixture
def varied(demo):
    """More clusters and authority protocols (``grow``), and every outcome around today's deadline."""
    grow(demo, clusters=11, per_cluster=2, tag="p")  # 11 more authority protocols: two pages of them
    rows = list(Assignment.objects.filter(decision__agenda_item__meeting__status__in=["approved", "signed"])
                .order_by("pk")[:6])
    evening, after_midnight = (datetime.datetime(2026, 11, 22, 20, 59, tzinfo=UTC),
                               datetime.datetime(2026, 11, 22, 21, 1, tzinfo=UTC))
    changes = [dict(status=AssignmentStatus.ACCEPTED, deadline=TODAY, completed_at=evening),
               dict(status=AssignmentStatus.ACCEPTED, deadline=TODAY, completed_at=after_midnight),
               dict(status=AssignmentStatus.ASSIGNED, deadline=TODAY, deadline_time=datetime.time(9, 0)),
               dict(status=AssignmentStatus.ASSIGNED, deadline=TODAY, deadline_time=None),
               dict(status=AssignmentStatus.REPORTED, deadline=TODAY),
               dict(status=AssignmentStatus.CANCELLED)]
    for assignment, change in zip(rows, changes):
        Assignment.objects.filter(pk=assignment.pk).update(**change)
    return rows


def test_prepared_aggregates_are_the_orm_ones(demo, varied):
    clusters = list(Cluster.objects.filter(kind=ClusterKind.CLUSTER).values_list("pk", flat=True))
    meetings = list(Meeting.objects.filter(cluster__kind=ClusterKind.AUTHORITY).values_list("pk", flat=True))
    assert len(clusters) >= 5 and len(meetings) >= 4
    key = f"{MEETING}id"
    for now in MOMENTS:
        for ids in (clusters, clusters[:2], [demo["cluster"].pk], []):
            assert _prepared_figures_of("cluster_id", ids, now) == without_key(orm_figures_of("cluster_id", ids, now),
                                                                               "cluster_id")
        for ids in (meetings, meetings[:1], []):
            assert _prepared_figures_of(key, ids, now, extra=True) == without_key(orm_figures_of(key, ids, now, True), key)
    noon, night = (_prepared_figures_of("cluster_id", clusters, now) for now in MOMENTS)
    assert sum(r["overdue"] for r in night.values()) > sum(r["overdue"] for r in noon.values())


def old_cluster_list(user):
    return list(selectors.coordinated_clusters(user).only("name", "short_name", "region").order_by("name"))


@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_prepared_clusters_and_protocol_pages_are_the_querysets(users, varied, role):
    user = users[role]
    fields = ("pk", "name", "short_name", "region")
    assert [tuple(getattr(c, f) for f in fields) for c in selectors.coordinated_cluster_list(user)] == \
        [tuple(getattr(c, f) for f in fields) for c in old_cluster_list(user)]
    pages, queryset = selectors.AuthorityMeetingPages(user), selectors.authority_meetings(user)
    assert pages.count() == queryset.count() > 10
    fields = ("pk", "number", "date", "participants", "cluster", "body")
    for start in (0, 10, 20):
        assert [tuple(getattr(m, f) for f in fields) for m in pages[start:start + 10]] == \
            [tuple(getattr(m, f) for f in fields) for m in queryset[start:start + 10]]


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r'(value="|"X-CSRFToken": ")[A-Za-z0-9]{64}', "", response.content.decode())


def _old_pages(monkeypatch, client, urls):
    with monkeypatch.context() as patch:
        patch.setattr(selectors, "_prepared_figures_of", orm_figures_of)
        patch.setattr(selectors, "coordinated_cluster_list", old_cluster_list)
        patch.setattr(selectors, "AuthorityMeetingPages", selectors.authority_meetings)
        return [_page(client, url) for url in urls]


@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_the_overview_is_the_old_one_and_fresh_after_a_change(monkeypatch, client_as, demo, varied, role):
    client, urls = client_as(role), ["/coordination/", "/coordination/?protocols=2", "/coordination/?page=2"]
    with time_machine.travel(MOMENTS[0], tick=False):
        before = [_page(client, url) for url in urls]
        assert before == _old_pages(monkeypatch, client, urls)
        Assignment.objects.filter(pk=varied[2].pk).update(status=AssignmentStatus.ACCEPTED, completed_at=MOMENTS[0])
        after = [_page(client, url) for url in urls]
        assert after == _old_pages(monkeypatch, client, urls)
    assert after[0] != before[0] and before[1] != before[0]  # the second page of protocols is another
    with time_machine.travel(MOMENTS[1], tick=False):
        assert [_page(client, url) for url in urls] == _old_pages(monkeypatch, client, urls)
