"""What the search index knows about each indexed language version, besides its words.

One row per version that can be found. The words themselves live in a backend table made
by the migration for the database in use: an FTS5 table ``search_fts`` on SQLite (its rowid
is ``SearchEntry.key``), a ``tsvector`` column ``doc`` on this table on PostgreSQL.
Rows of removed releases are never here; withdrawn ones are, flagged.
"""

from django.db import models


class SearchEntry(models.Model):
    # Ascending key is newest first: see engine.entry_key.
    key = models.BigIntegerField(primary_key=True)
    version_id = models.BigIntegerField(unique=True)
    release_id = models.BigIntegerField(db_index=True)
    ministry_id = models.BigIntegerField()
    bureau_id = models.BigIntegerField()
    language = models.CharField(max_length=8)
    year = models.SmallIntegerField()
    withdrawn = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["ministry_id", "key"], name="search_ministry_key"),
            models.Index(fields=["language", "key"], name="search_language_key"),
            models.Index(fields=["bureau_id", "key"], name="search_bureau_key"),
        ]

    def __str__(self):
        return f"{self.release_id}/{self.language}"
