"""On PostgreSQL the search matches and ranks by the stored ``search_vector`` of ``0002_search_vectors``:
the match is answered from the column's GIN index, the column holds exactly the document the expression
indexes of ``0001_search_indexes`` were over (so results, ranks and ties are those of before), it fills
itself on the ORM's inserts and updates, and the old expression indexes are gone. Skipped on SQLite."""

import datetime
import importlib

import pytest
from django.db import connection

from cluster_portal.search import KINDS, PostgresMatch, scope_of
from meetings.models import AgendaItem, Decision, Meeting, MeetingStatus, Speaker

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")

migration = importlib.import_module("cluster_portal.migrations.0002_search_vectors")
old_migration = importlib.import_module("cluster_portal.migrations.0001_search_indexes")


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        # The demo tables are tiny (and another test may have left the statistics of a large data set
        # behind: ANALYZE in generate_scale is not rolled back): make the planner show its options.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    return queryset.explain()


def table_of(model, fields) -> str:
    if "__" in fields[0]:
        model = model._meta.get_field(fields[0].split("__")[0]).related_model
    return model._meta.db_table


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_the_match_uses_the_kinds_gin_index(db, users, kind):
    model = kind.scope(scope_of(users["admin"])).model
    queryset = model.objects.filter(PostgresMatch("решение").condition(kind.fields))
    table = table_of(model, kind.fields)
    explained = plan(queryset)
    assert f"Bitmap Index Scan on {migration.VECTORS[table][0]}" in explained
    assert "to_tsvector" not in explained  # nothing recomputed: neither the match nor its recheck


def test_the_speakers_match_uses_its_gin_index(db):
    model, fields, _link = next(kind.extra for kind in KINDS if kind.extra)
    explained = plan(model.objects.filter(PostgresMatch("решение").condition(fields)))
    assert f"Bitmap Index Scan on {migration.VECTORS['meetings_speaker'][0]}" in explained


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_the_rank_reads_the_stored_vector(db, users, kind):
    queryset = PostgresMatch("решение").ordered(kind.scope(scope_of(users["admin"])), kind)
    sql = str(queryset.query)
    assert f'ts_rank("{table_of(queryset.model, kind.fields)}"."search_vector"' in sql
    assert "to_tsvector" not in sql


def test_the_documents_are_the_kinds_columns(db, users):
    """The migration's documents are the search's: every kind's columns (and the speakers') in order."""
    scope = scope_of(users["admin"])
    documents = {table_of(kind.scope(scope).model, kind.fields): tuple(name.split("__")[-1] for name in kind.fields)
                 for kind in KINDS}
    model, fields, _link = next(kind.extra for kind in KINDS if kind.extra)
    documents[model._meta.db_table] = fields
    assert documents == {table: columns for table, (_index, columns) in migration.VECTORS.items()}
    assert {table: columns for table, columns in old_migration.INDEXES.values()} == documents


def test_the_stored_vectors_are_the_expressions_of_before(db, demo):
    """Every row's ``search_vector`` equals ``to_tsvector`` over its columns as 0001 indexed them: the same
    matches, the same ``ts_rank``, the same ties."""
    compared = 0
    with connection.cursor() as cursor:
        for table, (_index, columns) in migration.VECTORS.items():
            cursor.execute(f"SELECT COUNT(*), COUNT(*) FILTER (WHERE search_vector IS DISTINCT FROM "
                           f"{migration.russian_document(columns)}) FROM {table}")
            total, different = cursor.fetchone()
            assert different == 0, table
            compared += total
    assert compared > 50  # the demo's protocols, decisions, register


def test_the_column_fills_itself_on_insert_and_update(db, demo):
    meeting = Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], number="79",
                                     date=datetime.date(2025, 8, 1), city="г. Смоленск", status=MeetingStatus.DRAFT)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="О робототехнике", heard="Доклад.")
    decision = Decision.objects.create(agenda_item=item, order=99, text="Провести олимпиаду по робототехнике.")
    speaker = Speaker.objects.create(agenda_item=item, order=99, name_text="Иванов", summary="О квантовых вычислениях.")

    def matches(model, pk, fields, text):
        return model.objects.filter(PostgresMatch(text).condition(fields), pk=pk).exists()

    assert matches(Decision, decision.pk, ("text", "responsible_text"), "олимпиада")
    Decision.objects.filter(pk=decision.pk).update(text="Провести хакатон.")
    assert not matches(Decision, decision.pk, ("text", "responsible_text"), "олимпиада")
    assert matches(Decision, decision.pk, ("text", "responsible_text"), "хакатоны")
    assert matches(Speaker, speaker.pk, ("name_text", "position_text", "summary"), "квантовые вычисления")


def test_the_indexes_exist(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search\\_%%'")
        assert {row[0] for row in cursor.fetchall()} == {index for index, _columns in migration.VECTORS.values()}
