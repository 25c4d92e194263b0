"""What the search migrations (``0001_search_indexes``, ``0002_search_vectors``) share: SQL that runs on
PostgreSQL only, and the Russian document of a table's columns they index and store."""

from django.db import migrations


def russian_document(columns) -> str:
    """``to_tsvector('russian', COALESCE(a, '') || ' ' || COALESCE(b, '') …)``: the search's document."""
    return "to_tsvector('russian'::regconfig, {})".format(" || ' ' || ".join(f"COALESCE({column}, '')" for column in columns))


class PostgresOnlySQL(migrations.RunSQL):
    """``RunSQL`` that runs on PostgreSQL only (SQLite has neither tsvector nor GIN); no model state."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
