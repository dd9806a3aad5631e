"""SQLite FTS5 backend. The FTS table lives in the record's database, so indexing runs in
the writer's transaction; its rowid is ``SearchEntry.key``, so FTS5's natural (ascending)
rowid order is newest first and it can stop after the newest ``cap`` matches instead of
scoring every one.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import OperationalError, connection, transaction

from pressroom.releases.store import insert_rows
from pressroom.sortondisk import run_on_disk

from . import planner, queryparse, types
from .models import SearchEntry
from .types import Filters, Matches, Row, filter_tags

# bm25 column weights: title, body, meta (ministry, bureau, sign-off, IDs).
SCORE = "-bm25(search_fts, 4.0, 1.0, 2.0, 0.0)"  # bm25 is lower for better matches; tags count 0
TEXT_COLUMNS = "title body meta"
STATS_TTL = 300  # seconds the planner's table counts are reused
# bm25 counts every match of each term to weigh it (30+ ms for a word in most of a million
# versions; 10,000 matches cost a few ms). Above this many matches a search ranks its newest
# matches by "in the title", then newest: for such words bm25 says little, and recency is
# what readers want.
BM25_MAX_MATCHES = 10_000
PROGRESS_STEPS = 20_000  # SQLite VM steps between checks of the time limit (~1 ms)


def add(docs: list[dict]) -> None:
    if not docs:
        return
    # One executemany, not bulk_create: building model instances cost more than the insert.
    insert_rows(SearchEntry, docs)
    with connection.cursor() as c:
        c.executemany("INSERT INTO search_fts(rowid, title, body, meta, tags) "
                      "VALUES (%s, %s, %s, %s, %s)",
                      [(d["key"], d["title"], d["body"], d["meta"], d["tags"]) for d in docs])


def _remove_where(where: str, ids) -> None:
    marks = ",".join(["%s"] * len(ids))
    with connection.cursor() as c:
        c.execute(f"DELETE FROM search_fts WHERE rowid IN "
                  f"(SELECT key FROM search_searchentry WHERE {where} IN ({marks}))", ids)
        c.execute(f"DELETE FROM search_searchentry WHERE {where} IN ({marks})", ids)


def remove_versions(version_ids) -> None:
    if version_ids:
        _remove_where("version_id", list(version_ids))


def remove_releases(release_ids) -> None:
    if release_ids:
        _remove_where("release_id", list(release_ids))


def clear() -> None:
    with connection.cursor() as c:
        c.execute("DELETE FROM search_fts")
        c.execute("DELETE FROM search_searchentry")


# FTS5 merges an index's segments as documents arrive (automerge, 4 at a time), so a document
# of a large import is rewritten about once per level, five or six times at 2M. A bulk import
# lets segments pile up to BULK_CRISIS_MERGE and merges everything into one segment at the
# end: less work in all, a smaller index (6% at 20,000) and a single match list per term for
# every search. The setting lives in the index's own config table, so an import killed before
# its end leaves the mark that the next import's end finishes.
BULK_CRISIS_MERGE = 64
_FTS_DEFAULTS = {"automerge": 4, "crisismerge": 16}


def _fts_setting(c, name: str, value: int) -> None:
    c.execute("INSERT INTO search_fts(search_fts, rank) VALUES (%s, %s)", [name, value])


def begin_bulk() -> None:
    with connection.cursor() as c:
        _fts_setting(c, "automerge", 0)
        _fts_setting(c, "crisismerge", BULK_CRISIS_MERGE)


def bulk_pending() -> bool:
    with connection.cursor() as c:
        c.execute("SELECT v FROM search_fts_config WHERE k = 'automerge'")
        row = c.fetchone()
    return row is not None and int(row[0]) == 0


def end_bulk(written: bool) -> None:
    """After an import: merge what a bulk import (this one or one killed before) left in
    segments, put FTS5's own merging back, and refresh the planner's statistics."""
    if bulk_pending():
        with connection.cursor() as c:
            c.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        pack()
        with connection.cursor() as c:  # last: an import killed before this does it all again
            for name, value in _FTS_DEFAULTS.items():
                _fts_setting(c, name, value)
    elif not written:
        return
    analyze()


def optimize() -> None:
    """Merge the FTS index into one segment (after a bulk build, for the fastest reads) and
    refresh the planner's statistics."""
    with connection.cursor() as c:
        c.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    pack()
    analyze()


def pack(entries: bool = False, using=None) -> None:
    """Rewrite the entry table's indexes, and FTS5's table of document sizes, in order.

    An import reads the archive oldest first, and keys count down (newest first), so each
    new entry lands at the front of the size table (keyed by key) and in the middle of each
    index: B-tree pages split and stay half empty. At 20,000 releases the size table took
    44 bytes an entry where 20 hold it, and the entry table's indexes 138 where 93 do
    (dbstat). Rewritten in order, the pages are full: seconds at 2M. The freed pages stay in
    the file for the writes that follow. ``entries`` rewrites the entry table itself too
    (after a column is dropped: SQLite shrinks the rows where they are). Sorted on disk
    where it can be (``pressroom.sortondisk``): in memory, the copy of the size table alone
    is about 240 MB of a 2M import.
    """
    conn = using or connection
    statements = [*(_rewritten_in_order("search_searchentry", "key") if entries else []),
                  *_rewritten_in_order("search_fts_docsize", "id"),
                  "REINDEX search_searchentry"]
    if run_on_disk(conn, "BEGIN IMMEDIATE;\n" + ";\n".join(statements) + ";\nCOMMIT;"):
        return
    with transaction.atomic(using=conn.alias), conn.cursor() as c:
        for statement in statements:
            c.execute(statement)


def _rewritten_in_order(table: str, order: str) -> list[str]:
    return [f"CREATE TEMP TABLE packing AS SELECT * FROM {table}",
            f"DELETE FROM {table}",
            f"INSERT INTO {table} SELECT * FROM temp.packing ORDER BY {order}",
            "DROP TABLE temp.packing"]


COMMON_DOC_COUNT = 2000  # terms in at least this many versions are kept in search_termstats


def analyze() -> None:
    """Record the document counts of common terms: one pass over the whole vocabulary, so
    searches need not count a common term's matches one by one."""
    with connection.cursor() as c:
        c.execute("DELETE FROM search_termstats")
        c.execute("INSERT INTO search_termstats (term, doc) SELECT term, doc FROM search_fts_vocab "
                  "WHERE doc >= %s", [COMMON_DOC_COUNT])


# ------------------------------------------------------------------------------- reading

def indexed_keys() -> set[int]:
    with connection.cursor() as c:
        c.execute("SELECT rowid FROM search_fts")
        return {r[0] for r in c.fetchall()}


def differs(docs: list[dict]) -> set[int]:
    """Keys of the given fresh documents (engine.documents) that the index holds otherwise.
    The table keeps no copy of the text, so each one's title and names (ministry, bureau,
    sign-off, IDs) are matched as phrases in their own columns, on that row only."""
    stale = set()
    with connection.cursor() as c:
        for d in docs:
            phrases = [f'{{{column}}} : "{d[column].replace(chr(34), chr(34) * 2)}"'
                       for column in ("title", "meta") if any(ch.isalnum() for ch in d[column])]
            if not phrases:
                continue
            c.execute("SELECT 1 FROM search_fts WHERE search_fts MATCH %s AND rowid = %s",
                      [" AND ".join(phrases), d["key"]])
            if c.fetchone() is None:
                stale.add(d["key"])
    return stale


def document_frequencies(tokens) -> dict[str, int]:
    """Versions holding each token: common ones from the statistics ``analyze`` keeps (as of
    the last reindex), the others counted now, which is quick because they are not common."""
    tokens = list(set(tokens))
    if not tokens:
        return {}
    found = {}
    with connection.cursor() as c:
        for table in ("search_termstats", "search_fts_vocab"):
            rest = [t for t in tokens if t not in found]
            if rest:
                c.execute(f"SELECT term, doc FROM {table} WHERE term IN "
                          f"({','.join(['%s'] * len(rest))})", rest)
                found.update(c.fetchall())
    return {t: found.get(t, 0) for t in tokens}


def table_stats() -> dict:
    """Row counts per ministry, bureau and language, and the key range: for planning only,
    so a few minutes old is fine."""
    cache_key = f"search:sqlite:stats:{connection.settings_dict['NAME']}"
    stats = cache.get(cache_key)
    if stats is None:
        with connection.cursor() as c:
            stats = {"total": 0, "ministry": {}, "bureau": {}, "language": {}}
            for column in ("ministry_id", "bureau_id", "language"):
                c.execute(f"SELECT {column}, count(*) FROM search_searchentry GROUP BY {column}")
                stats[column.removesuffix("_id")] = dict(c.fetchall())
            stats["total"] = sum(stats["language"].values())
            c.execute("SELECT min(key), max(key) FROM search_searchentry")
            stats["min_key"], stats["max_key"] = c.fetchone()
        cache.set(cache_key, stats, STATS_TTL)
    return stats


def filtered_rows_estimate(filters: Filters, stats: dict) -> int:
    total = stats["total"]
    if not total:
        return 0
    share = 1.0
    for name, obj, attr in (("ministry", filters.ministry, "pk"), ("bureau", filters.bureau, "pk"),
                            ("language", filters.language, "code")):
        if obj is not None:
            share *= stats[name].get(getattr(obj, attr), 0) / total
    lo, hi = filters.key_range
    if (lo is not None or hi is not None) and stats["max_key"] is not None:
        span = max(1, stats["max_key"] - stats["min_key"])
        lo_ = max(lo if lo is not None else stats["min_key"], stats["min_key"])
        hi_ = min(hi if hi is not None else stats["max_key"], stats["max_key"])
        share *= max(0.0, (hi_ - lo_) / span)
    return round(total * share)


def find(q: queryparse.Query, filters: Filters, cap: int, rank: bool = True) -> Matches:
    """The newest ``cap`` matches (one more tells there are more); scored when ``rank``."""
    match = queryparse.fts5_match(q, TEXT_COLUMNS)
    dfs = document_frequencies(t for clause in q.clauses for term in clause for t in term.tokens)
    matches_est = planner.estimate_matches(
        [[min(dfs[t] for t in term.tokens) for term in clause] for clause in q.clauses])
    stats = table_stats() if filters.any else {"total": 0}
    filtered = filtered_rows_estimate(filters, stats) if filters.any else 0
    tags = filter_tags(filters.ministry and filters.ministry.pk, filters.bureau and filters.bureau.pk,
                       filters.language and filters.language.code)
    plan = planner.choose_plan(matches_est, filtered, stats["total"], cap) if tags else "join"
    if plan == "tags":
        match = f"({match}) AND " + " AND ".join(f'tags : "{t}"' for t in tags.split())
    # In the "tags" plan ministry, bureau and language are in the MATCH instead.
    where, params = types.filter_sql(filters, "search_fts.rowid", entry_columns=plan == "join")
    by_title = rank and matches_est > BM25_MAX_MATCHES
    # CROSS JOIN: SQLite then always walks the text matches (newest first) and looks up each
    # one's entry, the "join" plan above. With a plain JOIN and a ministry filter it chose to
    # walk the ministry's entries and probe the text index for each: 2.2 s against 0.8 ms for
    # a rare word in a small ministry at 2,000,000 releases.
    sql = (f"SELECT e.key, e.version_id, e.release_id, e.ministry_id, e.year, e.language, "
           f"{SCORE if rank and not by_title else 0} "
           f"FROM search_fts CROSS JOIN search_searchentry e ON e.key = search_fts.rowid "
           f"WHERE search_fts MATCH %s{where} ORDER BY search_fts.rowid LIMIT %s")
    with connection.cursor() as c:
        rows = list(map(Row._make, _with_time_limit(c, sql, [match, *params, cap + 1])))
        if by_title and rows:
            rows = _score_by_title(c, q, filters, rows[:cap] if len(rows) > cap else rows) + rows[cap:]
            plan += "+title"
    complete = len(rows) <= cap
    estimate = len(rows) if complete else (
        planner.estimate_total(matches_est, filtered, stats["total"]) if filters.any
        else matches_est)
    return Matches(rows[:cap], complete, estimate, plan)


def _score_by_title(cursor, q, filters, rows: list[Row]) -> list[Row]:
    """Score 1 for the rows whose title matches, 0 for the others: one read of the same
    newest window of the title column."""
    lo, _ = filters.key_range
    sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid <= %s"
    params = [queryparse.fts5_match(q, "title"), rows[-1].key]
    if lo is not None:
        sql += " AND rowid >= %s"
        params.append(lo)
    in_title = {r[0] for r in _with_time_limit(cursor, sql, params)}
    return [r._replace(score=1.0 if r.key in in_title else 0.0) for r in rows]


def _with_time_limit(cursor, sql, params):
    raw = connection.connection
    deadline = time.monotonic() + types.TIME_LIMIT
    raw.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    except OperationalError as e:
        if "interrupted" in str(e):
            raise types.SearchTooSlow from e
        raise
    finally:
        raw.set_progress_handler(None, 0)


def bare_bm25(match: str, limit: int = 20) -> list[int]:
    """The baseline the benchmark compares with: plain FTS5 relevance order."""
    with connection.cursor() as c:
        c.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                  "ORDER BY bm25(search_fts) LIMIT %s", [match, limit])
        return [r[0] for r in c.fetchall()]
