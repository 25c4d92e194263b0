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


# ---------------------------------------------------------------- PostgreSQL: server-side prepared statements

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side statements are PostgreSQL's")


def _executes(query, name):
    """The query ran the statement (after a switch of the plan mode, when there was one: ``SET …; EXECUTE …``)."""
    return query["sql"].split("; ")[-1].startswith(f"EXECUTE {name} (")


def _statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'cp_prepared_%%'")
        return dict(cursor.fetchall())


@postgres_only
def test_a_prepared_query_becomes_a_statement_planned_once_per_connection(demo):
    ids = list(Cluster.objects.values_list("pk", flat=True))
    day = datetime.date.today()
    expected = list(memberships(ids, day).values_list("pk", "organization__short_name"))
    assert PAIRS.rows(cluster_ids=ids, day=day) == expected
    compiled = next(c for c in PAIRS._compiled.values() if c and len(c.params) == len(ids) + 1)
    assert compiled.statement in _statements()
    # the next runs execute it: one query each, the same rows for other values
    before_2001 = list(memberships(ids, datetime.date(2001, 1, 1)).values_list("pk", "organization__short_name"))
    with CaptureQueriesContext(connection) as queries:
        for _ in range(7):
            assert PAIRS.rows(cluster_ids=ids, day=day) == expected
        assert PAIRS.rows(cluster_ids=ids, day=datetime.date(2001, 1, 1)) == before_2001
    assert len(queries.captured_queries) == 8
    assert all(_executes(q, compiled.statement) for q in queries.captured_queries)


@postgres_only
def test_the_first_run_on_a_connection_counts_one_query(demo):
    query = PreparedQuery(lambda pk: Cluster.objects.filter(pk=pk).values_list("name"), pk=SENTINEL_ID)
    cluster = Cluster.objects.first()
    with CaptureQueriesContext(connection) as queries:
        assert query.rows(pk=cluster.pk) == [(cluster.name,)]
    assert len(queries.captured_queries) == 1


def _parameter_types(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = %s", [name])
        return list(cursor.fetchone()[0])


@postgres_only
def test_a_value_postgres_would_type_otherwise_is_declared_with_its_own_type(demo):
    from django.db.models import Value

    # a placeholder in the select list: PostgreSQL would infer text for an integer literal
    query = PreparedQuery(lambda n: Cluster.objects.annotate(n=Value(n)).values_list("n").order_by("pk")[:1], n=SENTINEL_ID)
    assert query.rows(n=5) == list(Cluster.objects.annotate(n=Value(5)).values_list("n").order_by("pk")[:1])
    with CaptureQueriesContext(connection) as queries:
        assert query.rows(n=6) == [(6,)]
    (compiled,) = query._compiled.values()
    assert _executes(queries.captured_queries[0], compiled.statement)
    assert _parameter_types(compiled.statement) == ["bigint"]


@postgres_only
def test_an_ordering_case_with_literal_branches_is_prepared(demo):
    """``Case(When(…, then=Value(0)), default=Value(1))`` in an ORDER BY (the task list's overdue-first): both
    literals are parameters PostgreSQL types as text; declared, the statement is planned once like any other."""
    from django.db.models import Case, IntegerField, Value, When

    def build(day):
        first = Case(When(joined_on__lte=day, then=Value(0)), default=Value(1), output_field=IntegerField())
        return Membership.objects.order_by(first, "pk").values_list("pk")

    query = PreparedQuery(build, day=SENTINEL_DAY)
    day = datetime.date(2020, 1, 1)
    assert query.rows(day=day) == list(build(day))
    (compiled,) = query._compiled.values()
    assert compiled.statement in _statements()
    assert _parameter_types(compiled.statement) == ["date", "bigint", "bigint"]
    assert query.rows(day=datetime.date.today()) == list(build(datetime.date.today()))


@postgres_only
def test_a_value_whose_declared_type_does_not_hold_runs_unprepared(demo, monkeypatch):
    from django.db.models import Value

    from core import prepared

    monkeypatch.setattr(prepared, "_declared", lambda inferred, params: "(date)")
    query = PreparedQuery(lambda n: Cluster.objects.annotate(n=Value(n)).values_list("n").order_by("pk")[:1], n=SENTINEL_ID)
    assert query.rows(n=6) == [(6,)]
    (compiled,) = query._compiled.values()
    assert compiled.statement == ""


@postgres_only
def test_a_statement_outlives_a_rollback_and_is_made_again_on_a_new_connection(demo):
    from django.db import transaction

    cluster = Cluster.objects.first()
    query = PreparedQuery(lambda pk: Cluster.objects.filter(pk=pk).values_list("name"), pk=SENTINEL_ID)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            assert query.rows(pk=cluster.pk) == [(cluster.name,)]
            raise RuntimeError("roll back")
    assert query.rows(pk=cluster.pk) == [(cluster.name,)]
    (compiled,) = query._compiled.values()
    assert compiled.statement in _statements()


@postgres_only
def test_a_statement_postgres_refuses_leaves_the_transaction_usable(demo, monkeypatch):
    from core import prepared

    cluster = Cluster.objects.first()
    query = PreparedQuery(lambda pk: Cluster.objects.filter(pk=pk).values_list("name"), pk=SENTINEL_ID)
    monkeypatch.setattr(prepared, "_numbered", lambda sql: "SELECT FROM no_such_table")
    assert query.rows(pk=cluster.pk) == [(cluster.name,)]  # in the test's transaction: still usable
    assert Cluster.objects.filter(pk=cluster.pk).exists()
    (compiled,) = query._compiled.values()
    assert compiled.statement == ""


def _plans(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s", [name])
        return cursor.fetchone()


@postgres_only
def test_a_query_asking_for_its_generic_plan_is_planned_once_and_the_others_keep_the_default(demo):
    """``generic_plan=True`` (the task lists): PostgreSQL runs the statement's generic plan from the first run,
    where its default would plan it afresh for the values; the next ordinary statement is back in the default
    mode, on the same connection."""
    ids = list(Cluster.objects.values_list("pk", flat=True))
    day = datetime.date.today()
    generic = PreparedQuery(memberships, generic_plan=True, cluster_ids=[SENTINEL_ID], day=SENTINEL_DAY)
    ordinary = PreparedQuery(lambda pk: Cluster.objects.filter(pk=pk).values_list("name"), pk=SENTINEL_ID)
    expected = [m.pk for m in memberships(ids, day)]
    for _ in range(3):
        assert [m.pk for m in generic.objects(cluster_ids=ids, day=day)] == expected
        assert ordinary.rows(pk=ids[0]) == [(Cluster.objects.get(pk=ids[0]).name,)]
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            assert cursor.fetchone() == ("auto",)
    (compiled,) = [c for c in generic._compiled.values() if c]
    assert _plans(compiled.statement) == (3, 0)
    (plain,) = ordinary._compiled.values()
    assert _plans(plain.statement)[1] == 3  # the default: a custom plan for each of its first five runs


@postgres_only
def test_off_by_setting(demo, settings):
    settings.DB_SERVER_PREPARED = False
    cluster = Cluster.objects.first()
    query = PreparedQuery(lambda pk: Cluster.objects.filter(pk=pk).values_list("name"), pk=SENTINEL_ID)
    with CaptureQueriesContext(connection) as queries:
        assert query.rows(pk=cluster.pk) == [(cluster.name,)]
    assert not queries.captured_queries[0]["sql"].startswith("EXECUTE")
