"""The words of the index, in the form the database in use searches fastest.

SQLite: an FTS5 table whose tokenizer keeps Indic words whole (vowel signs are part of a
word: 'M*' is a token class), fed text already normalised by search.textnorm. Its ``tags``
column holds filter tokens (m<ministry id> b<bureau id> l<language>), so FTS5 can intersect
a common word with a small ministry itself instead of reading every match.
PostgreSQL: a tsvector column with a GIN index, fed the same normalised text.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, meta, tags, "
    "tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\")",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS search_fts_vocab", "DROP TABLE IF EXISTS search_fts"]
POSTGRES_UP = [
    "ALTER TABLE search_searchentry ADD COLUMN doc tsvector",
    "CREATE INDEX search_doc_gin ON search_searchentry USING gin (doc)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS search_doc_gin",
                 "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS doc"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [
        migrations.RunPython(run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
                             run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})),
    ]
