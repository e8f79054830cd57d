"""Full-text search over essays: an FTS5 table kept by triggers on SQLite, a GIN index on
PostgreSQL. library/search.py holds the matching queries.

On SQLite, a later migration that alters library_essay remakes the table and drops these
triggers: such a migration must run these statements again (library/search_sql.py)."""

from django.db import migrations

from microsolidarity.library.search_sql import SEARCH_SQL


def forwards(apps, schema_editor):
    for statement in SEARCH_SQL.get(schema_editor.connection.vendor, {}).get("create", []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in SEARCH_SQL.get(schema_editor.connection.vendor, {}).get("drop", []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
