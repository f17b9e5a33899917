"""The database cache table that rate limits share across processes (settings.CACHES["ratelimit"])."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_table(apps, schema_editor):
    call_command("createcachetable", "ratelimit", database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    table = settings.CACHES["ratelimit"]["LOCATION"]
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_table, drop_table)]
