"""Let ANALYZE keep the frequencies of many more bigrams (PostgreSQL only).

With the default statistics target the most-common-elements list of a bigram column holds about a
thousand entries, all taken by the bigrams of boilerplate phrases; a term in one proposal in five
(氢能) then falls out of it, the planner guesses 0.5% and walks a bitmap of 20,000 rows where
reading the recency index would stop after a page. With a target of 1000 every bigram present in
more than a fraction of a percent of the documents is counted.
"""

from django.db import migrations


def raise_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE search_searchdocument ALTER COLUMN bigrams SET STATISTICS 1000, "
        "ALTER COLUMN title_bigrams SET STATISTICS 1000"
    )


def default_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE search_searchdocument ALTER COLUMN bigrams SET STATISTICS -1, "
        "ALTER COLUMN title_bigrams SET STATISTICS -1"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_bigram_gin_indexes"),
    ]

    operations = [migrations.RunPython(raise_statistics, default_statistics)]
