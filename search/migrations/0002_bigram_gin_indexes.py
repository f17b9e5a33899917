"""GIN indexes on the bigram columns, on PostgreSQL only (SQLite searches by substring, unindexed).

Kept in step with search.models.GIN_INDEXES, which rebuild_search_index drops and recreates around a
bulk load.
"""

from django.db import migrations

GIN_INDEXES = {
    "search_doc_bigrams_gin": "CREATE INDEX IF NOT EXISTS search_doc_bigrams_gin ON search_searchdocument "
    "USING gin (bigrams)",
    "search_doc_title_bigrams_gin": "CREATE INDEX IF NOT EXISTS search_doc_title_bigrams_gin "
    "ON search_searchdocument USING gin (title_bigrams)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in GIN_INDEXES.values():
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in GIN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
