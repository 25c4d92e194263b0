"""core.prepared: a query compiled once gives what the queryset gives, for any values and list lengths."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.prepared import SENTINEL_DAY, SENTINEL_ID, PreparedQuery
from members.models import Cluster, Membership

pytestmark = pytest.mark.django_db


def memberships(cluster_ids, day):
    return (Membership.objects.filter(cluster_id__in=cluster_ids, joined_on__lte=day)
            .select_related("organization", "cluster").order_by("pk"))


MEMBERSHIPS = PreparedQuery(memberships, cluster_ids=[SENTINEL_ID], day=SENTINEL_DAY)
PAIRS = PreparedQuery(lambda cluster_ids, day: memberships(cluster_ids, day).values_list("pk", "organization__short_name"),
                      cluster_ids=[SENTINEL_ID], day=SENTINEL_DAY)


@pytest.mark.parametrize("day", [datetime.date(2018, 1, 1), datetime.date.today()])
def test_objects_and_rows_match_the_queryset(demo, day):
    ids = list(Cluster.objects.values_list("pk", flat=True))
    for chosen in (ids, ids[:1], []):
        expected = list(memberships(chosen, day))
        got = MEMBERSHIPS.objects(cluster_ids=chosen, day=day)
        assert [(m.pk, m.organization.short_name, m.cluster.name) for m in got] == [
            (m.pk, m.organization.short_name, m.cluster.name) for m in expected]
        assert PAIRS.rows(cluster_ids=chosen, day=day) == list(memberships(chosen, day).values_list(
            "pk", "organization__short_name"))


def test_related_objects_cost_no_query(demo):
    ids = list(Cluster.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        got = MEMBERSHIPS.objects(cluster_ids=ids, day=datetime.date.today())
        names = [m.organization.short_name for m in got]
    assert names and len(queries.captured_queries) == 1


def test_an_empty_list_matches_nothing_without_a_query(demo):
    with CaptureQueriesContext(connection) as queries:
        assert MEMBERSHIPS.objects(cluster_ids=[], day=datetime.date.today()) == []
    assert len(queries.captured_queries) == 0


def test_a_placeholder_missing_from_the_sql_is_refused(demo):
    query = PreparedQuery(lambda cluster_id: Cluster.objects.all(), cluster_id=SENTINEL_ID)
    with pytest.raises(ValueError, match="placeholders not found"):
        query.rows(cluster_id=1)
