"""SQLite planner statistics (like ANALYZE): document counts of the common terms, because
fts5vocab counts a term by reading its whole match list -- about 80 ms for 'the' at 1M."""

from django.db import migrations


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("CREATE TABLE search_termstats (term TEXT PRIMARY KEY, "
                              "doc INTEGER NOT NULL) WITHOUT ROWID")


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_termstats")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_backend_tables")]
    operations = [migrations.RunPython(up, down)]
