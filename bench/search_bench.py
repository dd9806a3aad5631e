"""Search speed on a synthetic archive, through the code the /search/ page runs.

    .venv/bin/python bench/search_bench.py               # 100,000 releases
    .venv/bin/python bench/search_bench.py --n 1000000   # the headline figure

Builds (or reuses) a SQLite archive of N synthetic releases (bench/synth.py) in
var/bench/n<N>/: the record tables are bulk-inserted directly (an import of a million
releases through the importer would take hours on two shared cores), then the search
index is built by ``pressroom reindex`` -- the real indexing code -- and timed.

Then runs a seeded mix of queries in eight classes, warm (one untimed pass first), each
through ``SearchRequest.from_query`` + ``service.run_search`` (parameters, plan, facets,
snippets: everything but the template), and the same MATCH expression as a bare FTS5
``ORDER BY bm25 LIMIT 20`` query, interleaved so both see the same machine. Prints p50/p95
per class for both, the ratio, index size and build time per million releases.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

CLASSES = ["very_common", "rare", "two_word_and", "phrase", "common_ministry_newest",
           "rare_ministry_newest", "hindi", "no_hits"]


def setup_django(data_dir: Path, database_url: str = ""):
    os.environ["PRESSROOM_DATA"] = str(data_dir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)  # the embedded engine is what is measured
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def db_path(data_dir: Path) -> Path:
    return data_dir / "pressroom.sqlite3"


def db_size(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in data_dir.glob("pressroom.sqlite3*"))


def build_record(data_dir: Path, s: synth.Synth, n: int):
    """Bulk-insert N releases straight into the record tables (no search index), through the
    store's own bulk writer (store.insert_rows: executemany, every column the model has, with
    its default where the bench gives none), so a new column cannot break the bench."""
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from pressroom.releases.models import Bureau, LanguageVersion, Ministry, Release
    from pressroom.releases.store import insert_rows

    with connection.cursor() as c:
        c.execute("PRAGMA synchronous=OFF")
        c.execute("PRAGMA cache_size=-200000")
    Ministry.objects.bulk_create([Ministry(id=i + 1, name=name, slug=slugify(name))
                                  for i, name in enumerate(s.ministries)])
    Bureau.objects.bulk_create([Bureau(id=i + 1, name=name, slug=slugify(name.removeprefix("PIB ")))
                                for i, name in enumerate(synth.BUREAUS)])
    chunk, now = 10_000, timezone.now()
    for start in range(0, n, chunk):
        releases, versions = [], []
        for i in range(start, min(n, start + chunk)):
            r = s.release(i)
            releases.append({"release_id": r.release_id, "ministry_id": r.ministry + 1,
                             "bureau_id": r.bureau + 1, "posted_at": r.posted_at,
                             "original_language_id": "en"})
            versions += [{"release_id": r.release_id, "language_id": v.language, "is_original": k == 0,
                          "title": v.title, "subtitles": "\n".join(v.subtitles),
                          "body_text": "\n".join(v.paragraphs), "separator": "***",
                          "sign_off": "AB/CD", "updated_at": now}
                         for k, v in enumerate(r.versions)]
        with transaction.atomic():
            insert_rows(Release, releases)
            insert_rows(LanguageVersion, versions)
        print(f"\r  record: {min(n, start + chunk):,}/{n:,} releases", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    with connection.cursor() as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def bulk_index(data_dir: Path, s: synth.Synth):
    """The index built by SQL straight from the record tables: what ``pressroom reindex``
    writes, for synthetic text only -- it is made of already-normalised words (checked
    here), so lower() stands in for textnorm. Used for the 1M build to save an hour."""
    from django.core.management import call_command

    from pressroom.search import engine
    from pressroom.search.textnorm import normalise

    r = s.release(0)
    for text in (r.versions[0].title.lower(), *r.versions[0].paragraphs, *s.ministries[:3]):
        assert normalise(text) == text.lower().replace("&", "").replace("  ", " "), text
    con = sqlite3.connect(db_path(data_dir))
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-400000")
    key = (f"(({engine.KEY_EPOCH_END} - CAST(strftime('%s', r.posted_at) AS INTEGER) / 60) "
           f"* {engine.KEY_SCALE} + v.id)")
    con.execute(
        f"INSERT INTO search_searchentry (key, version_id, release_id, ministry_id, bureau_id, "
        f"language, year, withdrawn) SELECT {key}, v.id, r.release_id, r.ministry_id, "
        f"r.bureau_id, v.language_id, "
        f"CAST(strftime('%Y', r.posted_at, '+330 minutes') AS INTEGER), 0 "
        f"FROM releases_languageversion v JOIN releases_release r ON r.release_id = v.release_id "
        f"ORDER BY 1")
    con.commit()
    con.execute(
        f"INSERT INTO search_fts (rowid, title, body, meta, tags) SELECT {key}, lower(v.title), "
        f"v.subtitles || ' ' || v.body_text, lower(m.name || ' ' || b.name || ' ' || v.sign_off "
        f"|| ' ' || r.release_id), 'm' || r.ministry_id || ' b' || r.bureau_id || ' l' || v.language_id "
        f"FROM releases_languageversion v JOIN releases_release r ON r.release_id = v.release_id "
        f"JOIN releases_ministry m ON m.id = r.ministry_id JOIN releases_bureau b ON b.id = r.bureau_id "
        f"ORDER BY 1")
    con.commit()
    con.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    call_command("reindex", "--stats")


def make_queries(s: synth.Synth, n: int, per_class: int, seed: int) -> list[tuple[str, dict]]:
    from django.utils.text import slugify

    rnd = random.Random(seed)
    en, hi = s.english.words, s.indic["hi"].words
    slugs = [slugify(m) for m in s.ministries]

    def rare():
        return rnd.choice(en[20_000:])

    def phrase():
        v = s.release(rnd.randrange(n)).versions[0]
        words = rnd.choice(v.paragraphs).split()
        k = rnd.randrange(len(words) - 3)
        return '"' + " ".join(words[k:k + rnd.choice((2, 3))]) + '"'

    make = {
        "very_common": lambda: {"q": rnd.choice(en[:30])},
        "rare": lambda: {"q": rare()},
        "two_word_and": lambda: {"q": f"{rnd.choice(en[50:3000])} {rnd.choice(en[50:3000])}"},
        "phrase": lambda: {"q": phrase()},
        "common_ministry_newest": lambda: {"q": rnd.choice(en[:30]), "ministry": rnd.choice(slugs),
                                           "sort": "newest"},
        "rare_ministry_newest": lambda: {"q": rare(), "ministry": rnd.choice(slugs), "sort": "newest"},
        "hindi": lambda: {"q": rnd.choice(hi[:3000])},
        "no_hits": lambda: {"q": "qx" + "".join(rnd.choice("aeiouqxz") for _ in range(6))},
    }
    queries = [(cls, make[cls]()) for cls in CLASSES for _ in range(per_class)]
    rnd.shuffle(queries)
    return queries


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="releases in the archive")
    ap.add_argument("--per-class", type=int, default=30, help="queries per class (8 classes)")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--data", type=Path, help="archive folder (default var/bench/n<N>)")
    ap.add_argument("--rebuild", action="store_true", help="build the archive again")
    ap.add_argument("--index", choices=["reindex", "bulk"],
                    help="build the index with `pressroom reindex` (default up to 200,000 releases) "
                         "or by SQL from the record (bulk, default above)")
    ap.add_argument("--postgres", default="", metavar="URL",
                    help="measure PostgreSQL: the database at URL, already holding the synthetic "
                         "archive of --n releases (`pressroom import --bulk` of bench/synth.py's "
                         "JSONL); the bare FTS5 column is then left out")
    args = ap.parse_args()
    data_dir = (args.data or ROOT / "var" / "bench" / f"n{args.n}").resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if args.rebuild and not args.postgres:
        for p in data_dir.glob("pressroom.sqlite3*"):
            p.unlink()
    setup_django(data_dir, args.postgres)

    from django.core.management import call_command
    from django.db import connection

    from pressroom.releases.models import LanguageVersion, Release
    from pressroom.search import queryparse, sqlite_backend
    from pressroom.search.models import SearchEntry
    from pressroom.search.params import SearchRequest
    from pressroom.search.service import run_search

    t0 = time.perf_counter()
    s = synth.Synth(args.n, args.seed)
    print(f"vocabulary and sentence pools: {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    built = ""
    if args.postgres and Release.objects.count() != args.n:
        sys.exit(f"{args.postgres} holds {Release.objects.count():,} releases, not {args.n:,}: "
                 f"import bench/synth.py's archive of {args.n:,} there first")
    if Release.objects.count() != args.n:
        if Release.objects.exists():
            sys.exit(f"{data_dir} holds another archive; use --rebuild")
        t0 = time.perf_counter()
        build_record(data_dir, s, args.n)
        record_s = time.perf_counter() - t0
        size_record = db_size(data_dir)
        how = args.index or ("reindex" if args.n <= 200_000 else "bulk")
        t0 = time.perf_counter()
        if how == "reindex":
            call_command("reindex", "--quiet")
        else:
            bulk_index(data_dir, s)
        index_s = time.perf_counter() - t0
        with connection.cursor() as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_index = db_size(data_dir) - size_record
        built = (f"built now: record {record_s:.0f}s (bulk insert), index ({how}) {index_s:.0f}s "
                 f"= {index_s * 1e6 / args.n / 60:.1f} min per million releases; index size "
                 f"{size_index / 2**30:.2f} GiB = {size_index / 2**30 * 1e6 / args.n:.1f} GiB per million "
                 f"(record without index {size_record / 2**30:.2f} GiB)")
        (data_dir / "build.txt").write_text(built + "\n")
    elif (data_dir / "build.txt").exists():
        built = "reused; when built: " + (data_dir / "build.txt").read_text().strip()
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM search_termstats" if connection.vendor == "sqlite"
                  else "SELECT 1")
        if not c.fetchone()[0]:  # an archive built before the statistics existed
            t0 = time.perf_counter()
            call_command("reindex", "--stats")
            print(f"statistics: {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    versions = LanguageVersion.objects.count()
    indexed = SearchEntry.objects.count()
    assert indexed == versions, f"index holds {indexed} of {versions} versions: run pressroom reindex"

    queries = make_queries(s, args.n, args.per_class, args.seed)

    def run(params):
        req = SearchRequest.from_query(params)
        return run_search(req)

    def bare(params):
        if connection.vendor != "sqlite":
            return None
        return sqlite_backend.bare_bm25(queryparse.fts5_match(queryparse.parse(params["q"])))

    for _, params in queries:  # warm: page cache, planner statistics
        run(params)
        bare(params)
    ours = {c: [] for c in CLASSES}
    base = {c: [] for c in CLASSES}
    totals = {c: [] for c in CLASSES}
    plans = {c: collections.Counter() for c in CLASSES}
    for cls, params in queries:
        t = time.perf_counter()
        results = run(params)
        ours[cls].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        bare(params)
        base[cls].append((time.perf_counter() - t) * 1000)
        totals[cls].append(results.total)
        plans[cls][results.plan or "-"] += 1

    print(f"\nsearch benchmark ({connection.vendor}): {args.n:,} releases, {versions:,} versions "
          f"({versions - args.n:,} translations), {len(queries)} queries, seed {args.seed}")
    if built:
        print(built)
    print(f"{'class':24} {'p50 ms':>8} {'p95 ms':>8} | {'bare p50':>9} {'bare p95':>9} | "
          f"{'p95 ratio':>9} | {'median hits':>11} | plans")
    for cls in CLASSES:
        o, b = ours[cls], base[cls]
        bare_cols = (f"{pct(b, 50):9.1f} {pct(b, 95):9.1f} | {pct(o, 95) / max(pct(b, 95), 1e-6):9.2f}"
                     if connection.vendor == "sqlite" else f"{'-':>9} {'-':>9} | {'-':>9}")
        print(f"{cls:24} {pct(o, 50):8.1f} {pct(o, 95):8.1f} | {bare_cols} | "
              f"{statistics.median(totals[cls]):11,.0f} | "
              + " ".join(f"{p} {k}" for p, k in plans[cls].most_common()))
    every = [x for c in CLASSES for x in ours[c]]
    every_base = [x for c in CLASSES for x in base[c]]
    print(f"{'all':24} {pct(every, 50):8.1f} {pct(every, 95):8.1f} | {pct(every_base, 50):9.1f} "
          f"{pct(every_base, 95):9.1f} |")
    print("ours = SearchRequest + run_search (plan, facets, snippets, 20 hits); bare = FTS5 "
          "ORDER BY bm25 LIMIT 20, no filters, rowids only. 'median hits' is our total "
          "(an estimate above the cap of 1,000).")


if __name__ == "__main__":
    main()
