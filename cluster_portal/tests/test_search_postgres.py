"""On PostgreSQL the search's match is answered from the GIN indexes of ``0001_search_indexes``: the
expression the queries build (``search.document_vector``) is the indexed one. Skipped on SQLite."""

import importlib

import pytest
from django.db import connection

from cluster_portal.search import KINDS, PostgresMatch, scope_of

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")

migration = importlib.import_module("cluster_portal.migrations.0001_search_indexes")
INDEX_OF_TABLE = {table: name for name, (table, _) in migration.INDEXES.items()}


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        # The demo tables are tiny (and another test may have left the statistics of a large data set
        # behind: ANALYZE in generate_scale is not rolled back): make the planner show its options.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    return queryset.explain()


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_the_match_uses_the_kinds_gin_index(db, users, kind):
    model = kind.scope(scope_of(users["admin"])).model
    queryset = model.objects.filter(PostgresMatch("решение").condition(kind.fields))
    table = model._meta.get_field(kind.fields[0].split("__")[0]).related_model._meta.db_table \
        if "__" in kind.fields[0] else model._meta.db_table
    assert f"Bitmap Index Scan on {INDEX_OF_TABLE[table]}" in plan(queryset)


def test_the_indexes_exist(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search\\_%%'")
        assert {row[0] for row in cursor.fetchall()} == set(migration.INDEXES)
