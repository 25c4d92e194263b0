"""Stored search documents on PostgreSQL (issue 13); nothing on other databases.

Each searched table gets ``search_vector tsvector GENERATED ALWAYS AS (to_tsvector('russian', COALESCE(a, '')
|| ' ' || COALESCE(b, '') …)) STORED``: the very value of the expression ``0001_search_indexes`` indexed (same
columns, same order), computed by PostgreSQL on every insert and update, and a GIN index on it that serves the
match. The search (``cluster_portal.search.StoredVector``) matches and ranks by the column instead of
recomputing ``to_tsvector`` for every matching row to rank it; the expression indexes of 0001 are dropped (the
reverse puts them back).

The column is not in any model (no field, no model state): Django never names it in an INSERT or UPDATE, and
PostgreSQL fills it; ``pg_dump`` leaves generated columns out of the data and the restore recomputes them.
Adding a generated column rewrites the table under an ACCESS EXCLUSIVE lock (writes and reads of that table
wait): ~23 s in all on the data of 50 clusters × 10 years (reports 13.5 s, decisions 6 s),
tables ~1.6× larger; run ``ANALYZE`` afterwards. A later migration that changes the type of one of these columns must
drop the column first (PostgreSQL refuses to alter a column a generated column uses) and a ``RemoveField``
of one (``DROP COLUMN … CASCADE``) would drop ``search_vector`` with it: change them here together.
"""

from django.db import migrations

from cluster_portal.migration_sql import PostgresOnlySQL, russian_document

COLUMN = "search_vector"
# table: (index name, columns of the document in order) — the documents of 0001_search_indexes.
VECTORS = {
    "meetings_agendaitem": ("search_agendaitem_vector", ("title", "heard", "discussion", "decision_intro")),
    "meetings_speaker": ("search_speaker_vector", ("name_text", "position_text", "summary")),
    "meetings_decision": ("search_decision_vector", ("text", "responsible_text")),
    "meetings_assignmentreport": ("search_report_vector", ("text",)),
    "plans_planitem": ("search_planitem_vector", ("title", "organizers_text", "report")),
    "members_organization": ("search_organization_vector", ("full_name", "short_name")),
    "members_person": ("search_person_vector", ("last_name", "first_name", "patronymic", "position")),
}
# table: the expression index of 0001 it replaces.
OLD_INDEXES = {
    "meetings_agendaitem": "search_agendaitem_ru",
    "meetings_speaker": "search_speaker_ru",
    "meetings_decision": "search_decision_ru",
    "meetings_assignmentreport": "search_report_ru",
    "plans_planitem": "search_planitem_ru",
    "members_organization": "search_organization_ru",
    "members_person": "search_person_ru",
}


def forwards_sql(table, index, columns) -> list[str]:
    return [
        f"ALTER TABLE {table} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS ({russian_document(columns)}) STORED",
        f"CREATE INDEX {index} ON {table} USING gin ({COLUMN})",
        f"DROP INDEX IF EXISTS {OLD_INDEXES[table]}",
    ]


def backwards_sql(table, index, columns) -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEXES[table]} ON {table} USING gin ({russian_document(columns)})",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS {COLUMN}",  # drops its index too
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("cluster_portal", "0001_search_indexes"),
    ]

    operations = [
        PostgresOnlySQL(forwards_sql(table, index, columns), backwards_sql(table, index, columns))
        for table, (index, columns) in VECTORS.items()
    ]
