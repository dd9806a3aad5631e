"""Migration operations that keep a large archive serving while its schema changes."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class AddIndexOnline(AddIndexConcurrently):
    """AddIndex that on PostgreSQL builds the index CONCURRENTLY, so that writes go on while
    two million rows are indexed (a plain CREATE INDEX locks the table against them for
    minutes); on SQLite, the plain AddIndex. Its migration needs ``atomic = False``."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state,
                                                     to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state,
                                                      to_state)
