"""The FTS5 table keeps no copy of the text (``content=''``, ``contentless_delete=1``).

Snippets are cut from the record's own text (search/snippets.py) and nothing reads the FTS
columns back, so FTS5's copy of every normalised title and body was half the index for
nothing. A contentless table can delete rows only from SQLite 3.43 (the bundled one, see
pressroom/__init__.py); on an older SQLite the table stays as it is. Existing rows are
copied across, so no reindex is needed.
"""

from django.db import migrations

TOKENIZE = "tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\""
COLUMNS = "title, body, meta, tags"


def contentless_supported(connection) -> bool:
    import sqlite3

    return sqlite3.sqlite_version_info >= (3, 43)


def _rebuild(schema_editor, options: str):
    schema_editor.execute("DROP TABLE IF EXISTS search_fts_vocab")
    schema_editor.execute("ALTER TABLE search_fts RENAME TO search_fts_old")
    schema_editor.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, {options}{TOKENIZE})")
    schema_editor.execute(f"INSERT INTO search_fts(rowid, {COLUMNS}) "
                          f"SELECT rowid, {COLUMNS} FROM search_fts_old")
    schema_editor.execute("DROP TABLE search_fts_old")
    schema_editor.execute("CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')")


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite" and contentless_supported(schema_editor.connection):
        _rebuild(schema_editor, "content='', contentless_delete=1, ")


def down(apps, schema_editor):
    # The text is not in a contentless table to copy back: `pressroom reindex` after this.
    if schema_editor.connection.vendor == "sqlite" and contentless_supported(schema_editor.connection):
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_vocab")
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, {TOKENIZE})")
        schema_editor.execute("CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_termstats")]
    operations = [migrations.RunPython(up, down)]
