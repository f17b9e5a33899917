"""Similar proposals (search/similarity.py): document frequencies of bigrams, and each proposal's
signature (its rarest bigrams) with a GIN index on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

import search.models

SIGNATURE_INDEX = "CREATE INDEX IF NOT EXISTS search_signature_gin ON search_signature USING gin (bigrams)"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SIGNATURE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_signature_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0004_department_duties"),
        ("search", "0004_fill_existing_documents"),
    ]

    operations = [
        migrations.CreateModel(
            name="BigramFrequency",
            fields=[
                (
                    "bigram",
                    models.CharField(
                        blank=True, max_length=2, primary_key=True, serialize=False, verbose_name="二元组"
                    ),
                ),
                ("documents", models.PositiveIntegerField(verbose_name="文档数")),
            ],
            options={"verbose_name": "二元组文档频率", "verbose_name_plural": "二元组文档频率"},
        ),
        migrations.CreateModel(
            name="Signature",
            fields=[
                (
                    "proposal",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="similarity_signature",
                        serialize=False,
                        to="proposals.proposal",
                        verbose_name="提案",
                    ),
                ),
                ("bigrams", search.models.BigramsField(blank=True, verbose_name="特征二元组")),
            ],
            options={"verbose_name": "提案特征", "verbose_name_plural": "提案特征"},
        ),
        migrations.RunPython(create_index, drop_index),
    ]
