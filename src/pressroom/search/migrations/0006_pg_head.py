"""PostgreSQL: a small tsvector of each entry's title and names (ministry, bureau, sign-off,
IDs) beside the whole one, to score matches by.

Scoring by the whole tsvector read each match's out-of-line (TOAST) copy of it: about
1,000 random reads a search, 100-500 ms at 1,000,000 releases with a cold cache. The title
and names are a few dozen lexemes kept in the row itself. The column is generated from
``doc`` (its weight A and B lexemes), so it cannot drift from it. Adding it rewrites the
table once (every tsvector read), which on a large archive takes minutes. SQLite: nothing.
"""

from django.db import migrations

POSTGRES_UP = ["ALTER TABLE search_searchentry ADD COLUMN head tsvector "
               "GENERATED ALWAYS AS (ts_filter(doc, '{a,b}')) STORED"]
POSTGRES_DOWN = ["ALTER TABLE search_searchentry DROP COLUMN IF EXISTS head"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)
    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0005_minute_keys")]
    operations = [migrations.RunPython(run(POSTGRES_UP), run(POSTGRES_DOWN))]
