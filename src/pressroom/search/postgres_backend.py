"""PostgreSQL backend: a weighted tsvector column on ``search_searchentry`` with a GIN index.

The text is normalised by ``textnorm`` first and handed to the 'simple' configuration,
which only lowercases, so index and query see the same tokens as on SQLite. Indexing runs
in the writer's transaction.
"""

from __future__ import annotations

import json

from django.db import OperationalError, connection, connections, transaction

from pressroom.dbrouter import read_alias

from . import planner, queryparse, types
from .models import SearchEntry
from .types import Filters, Matches, Row

# A tsvector holds at most 1 MB; no press release is near it, but a pasted annex could be.
MAX_BODY_CHARS = 300_000
# Scored by the title and names only (``head``, search 0006): in the row itself, where the
# whole tsvector is read from out-of-line storage, a random read per match. Matches in the
# body alone score 0 and come newest first after those.
RANK = "coalesce(ts_rank(e.head, query), 0)"

# Every document of a call in one statement: the tsvectors are made by the server from
# arrays of the normalised text. Measured (bench/import_bench.py --postgres, and against
# executemany of one INSERT per row and COPY into a temporary table then INSERT ... SELECT):
# as fast as the fastest; making the tsvectors is nearly all of the time, whichever way.
INSERT = (
    "INSERT INTO search_searchentry (key, version_id, release_id, ministry_id, bureau_id, "
    "language, year, withdrawn, doc) SELECT key, version_id, release_id, ministry_id, "
    "bureau_id, language, year, withdrawn, setweight(to_tsvector('simple', title), 'A') "
    "|| setweight(to_tsvector('simple', body), 'D') || setweight(to_tsvector('simple', meta), 'B') "
    "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::text[], "
    "%s::smallint[], %s::boolean[], %s::text[], %s::text[], %s::text[]) "
    "AS d(key, version_id, release_id, ministry_id, bureau_id, language, year, withdrawn, "
    "title, body, meta)"
)
COLUMNS = ("key", "version_id", "release_id", "ministry_id", "bureau_id", "language", "year",
           "withdrawn", "title", "body", "meta")


def add(docs: list[dict]) -> None:
    if not docs:
        return
    columns = [[d[c] for d in docs] for c in COLUMNS]
    columns[COLUMNS.index("body")] = [body[:MAX_BODY_CHARS] for body in columns[COLUMNS.index("body")]]
    with connection.cursor() as c:
        c.execute(INSERT, columns)


def remove_versions(version_ids) -> None:
    with connection.cursor() as c:
        c.execute("DELETE FROM search_searchentry WHERE version_id = ANY(%s)", [list(version_ids)])


def remove_releases(release_ids) -> None:
    with connection.cursor() as c:
        c.execute("DELETE FROM search_searchentry WHERE release_id = ANY(%s)", [list(release_ids)])


def clear() -> None:
    with connection.cursor() as c:
        c.execute("DELETE FROM search_searchentry")


def analyze() -> None:
    with connection.cursor() as c:
        c.execute("ANALYZE search_searchentry")


GIN = "search_doc_gin"  # search 0002's index of the tsvectors
GIN_BUILD_MEMORY = "256MB"  # maintenance_work_mem for building it: fewer, larger sorted runs


def begin_bulk() -> None:
    """A large import: the GIN index is dropped and built once at the end. Its entries put
    in place batch by batch cost more than the tsvectors themselves (10,000 releases: 7.3 s,
    against 3.2 s to insert them unindexed and 1.8 s to build the index after). Meanwhile a
    search scans the table: slow, within its time limit, never wrong."""
    with connection.cursor() as c:
        c.execute(f"DROP INDEX IF EXISTS {GIN}")


def gin_present() -> bool:
    with connection.cursor() as c:
        c.execute("SELECT 1 FROM pg_indexes WHERE tablename = 'search_searchentry' "
                  "AND indexname = %s", [GIN])
        return c.fetchone() is not None


def end_bulk(written: bool) -> None:
    """After any import: build the GIN index if a bulk import (this one, or one killed
    before its end) left it out; refresh the planner's statistics."""
    if not gin_present():
        with connection.cursor() as c:
            c.execute(f"SET maintenance_work_mem = '{GIN_BUILD_MEMORY}'")
            try:
                c.execute(f"CREATE INDEX IF NOT EXISTS {GIN} ON search_searchentry USING gin (doc)")
            finally:
                c.execute("RESET maintenance_work_mem")
    elif not written:
        return
    analyze()


def optimize() -> None:
    if connection.in_atomic_block:
        return  # VACUUM cannot run in a transaction; autovacuum will get to it
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE search_searchentry")


def indexed_keys() -> set[int]:
    with connection.cursor() as c:
        c.execute("SELECT key FROM search_searchentry WHERE doc IS NOT NULL")
        return {r[0] for r in c.fetchall()}


def differs(docs: list[dict]) -> set[int]:
    """Keys of the given fresh documents (engine.documents) that the index holds otherwise:
    the stored tsvector against the one INSERT would make of them now."""
    if not docs:
        return set()
    with connection.cursor() as c:
        c.execute(
            "SELECT e.key FROM search_searchentry e JOIN unnest(%s::bigint[], %s::text[], "
            "%s::text[], %s::text[]) AS s(key, title, body, meta) ON e.key = s.key "
            "WHERE e.doc IS DISTINCT FROM (setweight(to_tsvector('simple', s.title), 'A') || "
            "setweight(to_tsvector('simple', s.body), 'D') || setweight(to_tsvector('simple', s.meta), 'B'))",
            [[d["key"] for d in docs], [d["title"] for d in docs],
             [d["body"][:MAX_BODY_CHARS] for d in docs], [d["meta"] for d in docs]])
        return {r[0] for r in c.fetchall()}


def find(q: queryparse.Query, filters: Filters, cap: int, rank: bool = True) -> Matches:
    # A read: on a replica where there is one (plain SQL does not pass Django's router).
    alias = read_alias(SearchEntry)
    try:
        with transaction.atomic(using=alias):
            with connections[alias].cursor() as c:
                c.execute("SELECT current_setting('statement_timeout'), "
                          "set_config('statement_timeout', %s, true)", [str(int(types.TIME_LIMIT * 1000))])
                before = c.fetchone()[0]
            found = _find(q, filters, cap, rank, alias)
            # Inside an outer transaction this block is a savepoint, and a local setting
            # outlives its release: put the caller's back (an error rolls it back anyway).
            with connections[alias].cursor() as c:
                c.execute("SELECT set_config('statement_timeout', %s, true)", [before])
            return found
    except OperationalError as e:
        if "statement timeout" in str(e):
            raise types.SearchTooSlow from e
        raise


def _find(q, filters, cap, rank, alias, plan: str | None = None) -> Matches:
    """The newest ``cap`` matches by the plan ``planner.choose_pg_plan`` picks from the
    server's own estimate of the matches (``plan`` forces one, for tests)."""
    where, params = types.filter_sql(filters, "e.key")
    tsquery = queryparse.tsquery(q)
    source = (f"FROM search_searchentry e, to_tsquery('simple', %s) query "
              f"WHERE e.doc @@ query{where}")
    with connections[alias].cursor() as c:
        estimate = _estimated_rows(c, f"SELECT 1 {source}", [tsquery, *params])
        if where:
            # With a filter, the GIN read takes the word's matches before the filter (or reads
            # the filter's rows' tsvectors): what it costs is the unfiltered count.
            scanned = _estimated_rows(c, f"SELECT 1 FROM search_searchentry e WHERE true{where}",
                                      params)
            gin_rows = _estimated_rows(c, "SELECT 1 FROM search_searchentry e, to_tsquery('simple', %s) "
                                          "query WHERE e.doc @@ query", [tsquery])
        else:
            scanned, gin_rows = _table_rows(c), estimate
        plan = plan or planner.choose_pg_plan(estimate, scanned, cap, gin_rows)
        if plan == "walk":
            c.execute(f"SELECT e.key, e.version_id, e.release_id, e.ministry_id, e.year, e.language, "
                      f"{RANK if rank else 0} {source} ORDER BY e.key LIMIT %s",
                      [tsquery, *params, cap + 1])
            rows = list(map(Row._make, c.fetchall()))
            # Counting a common word's matches would read them all: the estimate stands.
            count = len(rows) if len(rows) <= cap else max(estimate, cap + 1)
        else:
            # MATERIALIZED keeps the server from turning the match back into a walk of the
            # key; the tsvectors are read (for the score) only for the rows shown.
            c.execute(f"WITH m AS MATERIALIZED (SELECT e.key {source}) "
                      f"SELECT e.key, e.version_id, e.release_id, e.ministry_id, e.year, e.language, "
                      f"{RANK if rank else 0}, (SELECT count(*) FROM m) "
                      f"FROM (SELECT key FROM m ORDER BY key LIMIT %s) newest "
                      f"JOIN search_searchentry e ON e.key = newest.key, "
                      f"to_tsquery('simple', %s) query ORDER BY e.key",
                      [tsquery, *params, cap + 1, tsquery])
            fetched = c.fetchall()
            rows = [Row._make(r[:-1]) for r in fetched]
            count = fetched[0][-1] if fetched else 0
    return Matches(rows[:cap], len(rows) <= cap, count, f"postgres:{plan}")


def _estimated_rows(cursor, sql: str, params) -> int:
    """The server's estimate of the rows ``sql`` returns (planning only, well under 1 ms)."""
    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _table_rows(cursor) -> int:
    """Entries as of the last ANALYZE (-1 before the first: no walk is worth it then)."""
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'search_searchentry'::regclass")
    row = cursor.fetchone()
    return int(row[0]) if row else 0
