"""The entry table loses ``posted_at``: the key holds the minute (search.types.entry_key) and
``year`` the facet, and nothing read the column. On SQLite that was 22 bytes an entry, and
the table and its indexes are then rewritten in order (sqlite_backend.pack): after a bulk
import they were half empty. At 2,000,000 releases both make about 0.2 GiB of the search
index, which is now under 4 GiB a million (docs/performance.md). PostgreSQL drops the
column in place.

Backwards the column comes back and is filled from the record.
"""

from django.db import migrations, models


def pack(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from pressroom.search import sqlite_backend

        sqlite_backend.pack(entries=True, using=schema_editor.connection)


def fill_posted_at(apps, schema_editor):
    schema_editor.execute(
        "UPDATE search_searchentry SET posted_at = (SELECT r.posted_at FROM releases_release r "
        "WHERE r.release_id = search_searchentry.release_id)")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_pg_head"), ("releases", "0009_media")]
    operations = [
        # Nullable first, so that going back can add the column before filling it.
        migrations.AlterField("searchentry", "posted_at", models.DateTimeField(null=True)),
        migrations.RunPython(migrations.RunPython.noop, fill_posted_at),
        migrations.RemoveField("searchentry", "posted_at"),
        migrations.RunPython(pack, migrations.RunPython.noop),
    ]
