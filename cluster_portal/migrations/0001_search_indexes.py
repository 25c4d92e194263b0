"""GIN indexes of the search (``cluster_portal.search``) on PostgreSQL; nothing on other databases.

Each index is over the very expression the search matches with (``search.document_vector``:
``to_tsvector('russian', COALESCE(a, '') || ' ' || COALESCE(b, '') …)`` over a kind's columns, in
that order), so PostgreSQL answers ``… @@ websearch_to_tsquery(…)`` from the index; an expression
index needs no trigger or stored column and is current after every write. Change a kind's columns
there and here together (``test_search_postgres`` checks that the plans use these indexes).
"""

from django.db import migrations

from cluster_portal.migration_sql import PostgresOnlySQL, russian_document

# index name: (table, columns of the document in order)
INDEXES = {
    "search_agendaitem_ru": ("meetings_agendaitem", ("title", "heard", "discussion", "decision_intro")),
    "search_speaker_ru": ("meetings_speaker", ("name_text", "position_text", "summary")),
    "search_decision_ru": ("meetings_decision", ("text", "responsible_text")),
    "search_report_ru": ("meetings_assignmentreport", ("text",)),
    "search_planitem_ru": ("plans_planitem", ("title", "organizers_text", "report")),
    "search_organization_ru": ("members_organization", ("full_name", "short_name")),
    "search_person_ru": ("members_person", ("last_name", "first_name", "patronymic", "position")),
}


def create_sql(name, table, columns):
    return f"CREATE INDEX {name} ON {table} USING gin ({russian_document(columns)})"


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0011_merge_20261202_1113"),
        ("members", "0007_merge_20261202_1113"),
        ("plans", "0002_item_report_author"),
        ("tasks", "0002_execution_records_protect"),
    ]

    operations = [
        PostgresOnlySQL(create_sql(name, table, columns), f"DROP INDEX IF EXISTS {name}")
        for name, (table, columns) in INDEXES.items()
    ]
