"""The near-duplicate index: sampled word shingles of every version's text (every revision
it has had), kept in step with the record in its own transactions (signals.py).

Chosen over MinHash/LSH (datasketch) because a reader pastes a *part* of a release as often
as a whole one: LSH estimates Jaccard similarity of whole texts, where a paragraph of a long
release scores low, while shingles sampled by their hash value (the same ones in any text
that contains them) measure containment directly, and live in the database, written in the
record's transaction like the search index, with no second store to keep in step.
"""

from __future__ import annotations

from itertools import repeat

from django.db import connection

from pressroom.releases.models import LanguageVersion
from pressroom.releases.store import insert_rows, insert_values
from pressroom.sortondisk import run_on_disk

from .models import Shingle
from .textmatch import norm_words, shingles

MAX_DF = 2000  # a shingle in more versions than this says nothing about which one it is
CHUNK = 500


def indexed_text(title: str, subtitles: str, body_text: str, sign_off: str = "") -> str:
    return "\n".join([title, subtitles, body_text])


def shingles_of(title: str, subtitles: str, body_text: str) -> list[int]:
    return sorted(shingles(norm_words(indexed_text(title, subtitles, body_text))))


def prepared_shingles(parsed, prepared) -> list[list[int]]:
    """``releases.store`` PREPARERS entry: each version's shingles, made in an import's
    reading process, so that the writer only writes them."""
    return [shingles_of(p.fields["title"], p.fields["subtitles"], p.fields["body_text"])
            for p in prepared]


def index(version_ids, fresh: bool = False, rows: list[dict] | None = None):
    """Add the shingles of these versions' current text (old ones stay: a forward of an
    earlier revision is still found). ``rows``: an import's new versions as written, with
    their shingles already made (``derived["trust"]``) where the import's reader made them."""
    if fresh and rows is not None:
        out = []
        for row in rows:
            hashes = (row.get("derived") or {}).get("trust")
            if hashes is None:
                hashes = shingles_of(row["title"], row["subtitles"], row["body_text"])
            out.extend(zip(hashes, repeat(row["version_id"])))
        if out:  # tens of millions of rows in a large import: tuples, not dicts
            insert_values(Shingle, ["hash", "version_id"], out)
        return
    version_ids = list(version_ids)
    for i in range(0, len(version_ids), CHUNK):
        chunk = version_ids[i:i + CHUNK]
        rows = []
        for vid, title, subtitles, body in LanguageVersion.objects.filter(pk__in=chunk).values_list(
                "pk", "title", "subtitles", "body_text"):
            new = shingles(norm_words(indexed_text(title, subtitles, body)))
            if not fresh and new:
                new -= set(Shingle.objects.filter(version_id=vid, hash__in=list(new))
                           .values_list("hash", flat=True))
            rows.extend({"hash": h, "version_id": vid} for h in new)
        if rows:
            insert_rows(Shingle, rows)


INDEX = "trust_shing_hash_036771_idx"  # trust 0001's index of Shingle (hash, version_id)


def suspend_index():
    """A bulk import: shingles land at random places in the index, which at tens of millions
    of rows costs 50 µs a row; appended to the bare table and indexed once at the end they
    cost 2 µs. Meanwhile `candidates` scans (the verifier is slow, never wrong)."""
    with connection.cursor() as c:
        c.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(INDEX)}")


def restore_index():
    """The index of shingles, built once after a bulk import (sorted on disk where it can be:
    ``pressroom.sortondisk``)."""
    table = connection.ops.quote_name(Shingle._meta.db_table)
    statement = (f"CREATE INDEX IF NOT EXISTS {connection.ops.quote_name(INDEX)} "
                 f"ON {table} (hash, version_id)")
    if not index_present() and run_on_disk(connection, statement):
        return
    with connection.cursor() as c:
        c.execute(statement)


def index_present() -> bool:
    with connection.cursor() as c:
        return INDEX in {i for i in connection.introspection.get_constraints(
            c, Shingle._meta.db_table)}


def candidates(hashes: set[int], limit: int = 8) -> list[tuple[int, int]]:
    """(version id, shared shingles), most shared first; of versions sharing as many (the
    same text under two Release IDs), the one written first. Without that second key the
    order of ties, and so which twin the verifier names, would be whatever the database's
    grouping gives (on PostgreSQL, the order of its hash table: it changes with the ids)."""
    if not hashes:
        return []
    hashes = list(hashes)[:2000]
    marks = ", ".join(["%s"] * len(hashes))
    table = connection.ops.quote_name(Shingle._meta.db_table)
    with connection.cursor() as c:
        c.execute(f"SELECT hash, COUNT(*) FROM {table} WHERE hash IN ({marks}) GROUP BY hash", hashes)
        useful = [h for h, n in c.fetchall() if n <= MAX_DF]
        if not useful:
            return []
        marks = ", ".join(["%s"] * len(useful))
        c.execute(f"SELECT version_id, COUNT(*) AS n FROM {table} WHERE hash IN ({marks}) "
                  f"GROUP BY version_id ORDER BY n DESC, version_id LIMIT %s", [*useful, limit])
        return [(int(v), int(n)) for v, n in c.fetchall()]


def rebuild() -> int:
    """Index every version afresh (`pressroom trust reindex`)."""
    Shingle.objects.all().delete()
    ids = list(LanguageVersion.objects.values_list("pk", flat=True).order_by("pk"))
    index(ids, fresh=True)
    restore_index()  # where a bulk import was killed before it rebuilt it
    return len(ids)
