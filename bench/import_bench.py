"""Import speed: `pressroom import` of N synthetic releases against a bare sqlite3 baseline.

The baseline is the floor any importer stands on: the same release and version rows,
already in memory, written with `executemany` into the same tables (same schema, same
indexes, made by the same migrations) in one transaction. The importer does everything
else too: reads and parses the JSONL, checks each release, sanitises the HTML, looks up
what exists, and writes each release whole. Both run in this process, alternately, on
fresh databases; the figures are medians over --rounds.

With ``--postgres URL`` the same on PostgreSQL: the importer against a database of the
bench's own (the URL's name, and NAME_template beside it: both dropped, made and dropped
again), and a bare psycopg baseline: the same rows written with COPY into the same tables
(same schema and indexes, one transaction), and again with the search table's rows and their
tsvector (computed by the server from the same normalised text, as the importer has it).

    .venv/bin/python bench/import_bench.py --n 100000 --rounds 3
    .venv/bin/python bench/import_bench.py --n 100000 --postgres postgres://postgres@127.0.0.1/pr_bench
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import write_jsonl  # noqa: E402

import pressroom  # noqa: E402, F401 - first: it chooses the SQLite the project uses

sqlite3 = importlib.import_module("sqlite3")  # ... and the baseline uses the same one


def django_setup(data_dir: Path, database_url: str | None = None):
    os.environ["PRESSROOM_DATA"] = str(data_dir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()


def fresh_database(template: Path, target: Path):
    from django.db import connections

    connections.close_all()
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, target)


def run_importer(archive: Path, bulk: bool | None = None) -> tuple[float, dict]:
    from pressroom.ingest.importer import Importer

    t = time.perf_counter()
    report = Importer(bulk=bulk).run([archive])
    return time.perf_counter() - t, dict(report.counts)


def baseline_rows(archive: Path):
    """The rows the importer writes, built up front (not timed)."""
    ministries, bureaus, releases, versions = {}, {}, [], []
    now = "2026-01-01 00:00:00"
    with archive.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            m = ministries.setdefault(r["ministry"], len(ministries) + 1)
            b = bureaus.setdefault(r["bureau"], len(bureaus) + 1)
            if r["original"]:
                releases.append((r["release_id"], m, b, r["posted_at"], r["language"], "published",
                                 "", now))
            body_html = "".join(f"<p>{p}</p>\n" for p in r["body_text"].split("\n"))
            versions.append((r["release_id"], r["language"], r["original"], None, r["title"],
                             "\n".join(r["subtitles"]), body_html, r["body_text"], r["separator"],
                             r["sign_off"], r["visitor_count"], 1, None, now, "{}"))
    return ministries, bureaus, releases, versions


def run_baseline(db: Path, rows) -> float:
    ministries, bureaus, releases, versions = rows
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    t = time.perf_counter()
    con.execute("BEGIN")
    con.executemany("INSERT INTO releases_ministry (id, name, slug) VALUES (?, ?, ?)",
                    [(i, name, f"m-{i}") for name, i in ministries.items()])
    con.executemany("INSERT INTO releases_bureau (id, name, slug) VALUES (?, ?, ?)",
                    [(i, name, f"b-{i}") for name, i in bureaus.items()])
    con.executemany(
        "INSERT INTO releases_release (release_id, ministry_id, bureau_id, posted_at, "
        "original_language_id, status, status_note, updated_at) VALUES (?,?,?,?,?,?,?,?)", releases)
    con.executemany(
        "INSERT INTO releases_languageversion (release_id, language_id, is_original, pib_id, title, "
        "subtitles, body_html, body_text, separator, sign_off, visitor_count, revision, "
        "translates_revision, updated_at, received) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        versions)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


def run_fts_baseline(db: Path, rows) -> float:
    """The record rows as run_baseline writes them, plus every version's title and body in
    the FTS5 index, in the same transaction: the floor of an import that is searchable."""
    ministries, bureaus, releases, versions = rows
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    t = time.perf_counter()
    con.execute("BEGIN")
    con.executemany("INSERT INTO releases_ministry (id, name, slug) VALUES (?, ?, ?)",
                    [(i, name, f"m-{i}") for name, i in ministries.items()])
    con.executemany("INSERT INTO releases_bureau (id, name, slug) VALUES (?, ?, ?)",
                    [(i, name, f"b-{i}") for name, i in bureaus.items()])
    con.executemany(
        "INSERT INTO releases_release (release_id, ministry_id, bureau_id, posted_at, "
        "original_language_id, status, status_note, updated_at) VALUES (?,?,?,?,?,?,?,?)", releases)
    con.executemany(
        "INSERT INTO releases_languageversion (id, release_id, language_id, is_original, pib_id, "
        "title, subtitles, body_html, body_text, separator, sign_off, visitor_count, revision, "
        "translates_revision, updated_at, received) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        ((i, *v) for i, v in enumerate(versions, start=1)))
    con.executemany("INSERT INTO search_fts (rowid, title, body, meta, tags) VALUES (?,?,?,?,?)",
                    ((i, v[4], v[5] + "\n" + v[7], "", "") for i, v in enumerate(versions, start=1)))
    con.execute("COMMIT")
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


# --- PostgreSQL (--postgres URL) ---------------------------------------------------------

def pg_split(url: str) -> tuple[str, str]:
    """(the server's maintenance database URL, the database name) of a postgres:// URL."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or "/" in name:
        raise SystemExit(f"--postgres needs a URL naming a database of the bench's own: {url}")
    return urlunsplit(parts._replace(path="/postgres")), name


def pg_make(url: str, template: str | None = None, drop_only: bool = False):
    """(Re)make the URL's database: empty (UTF-8, C.UTF-8), or a copy of ``template``."""
    import psycopg
    from psycopg import sql

    admin, name = pg_split(url)
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if drop_only:
            return
        if template:
            con.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)))
        else:
            con.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'").format(sql.Identifier(name)))


def pg_template_url(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_template"))


def pg_fresh_database(url: str):
    from django.db import connections

    connections.close_all()
    pg_make(url, template=pg_split(pg_template_url(url))[1])


def pg_search_rows(archive: Path):
    """The search table's rows of every version (ids 1, 2, ... as pg_copy_record writes them)
    with the normalised title, body and meta text the importer indexes (not timed)."""
    from datetime import datetime

    from pressroom.releases.pibtext import IST
    from pressroom.search.engine import index_text_of
    from pressroom.search.types import entry_key

    ministries, bureaus, out = {}, {}, []
    with archive.open(encoding="utf-8") as f:
        for i, line in enumerate(f, start=1):
            r = json.loads(line)
            m = ministries.setdefault(r["ministry"], len(ministries) + 1)
            b = bureaus.setdefault(r["bureau"], len(bureaus) + 1)
            posted = datetime.fromisoformat(r["posted_at"])
            text = index_text_of(r["title"], "\n".join(r["subtitles"]), r["body_text"], r["ministry"],
                                 r["bureau"], r["sign_off"], r["release_id"], None)
            out.append((entry_key(posted, i), i, r["release_id"], m, b, r["language"],
                        posted.astimezone(IST).year, False, text["title"], text["body"], text["meta"]))
    return out


def pg_copy_record(cur, rows, with_ids: bool):
    ministries, bureaus, releases, versions = rows
    with cur.copy("COPY releases_ministry (id, name, slug) FROM STDIN") as copy:
        for name, i in ministries.items():
            copy.write_row((i, name, f"m-{i}"))
    with cur.copy("COPY releases_bureau (id, name, slug) FROM STDIN") as copy:
        for name, i in bureaus.items():
            copy.write_row((i, name, f"b-{i}"))
    with cur.copy("COPY releases_release (release_id, ministry_id, bureau_id, posted_at, "
                  "original_language_id, status, status_note, updated_at) FROM STDIN") as copy:
        for r in releases:
            copy.write_row(r)
    columns = ("release_id, language_id, is_original, pib_id, title, subtitles, body_html, "
               "body_text, separator, sign_off, visitor_count, revision, translates_revision, "
               "updated_at, received")
    with cur.copy(f"COPY releases_languageversion ({'id, ' if with_ids else ''}{columns}) "
                  "FROM STDIN") as copy:
        for i, v in enumerate(versions, start=1):
            copy.write_row((i, *v) if with_ids else v)


def pg_run_baseline(url: str, rows, search_rows=None) -> float:
    """The record's rows by COPY in one transaction; with ``search_rows`` also the search
    table's, their tsvector made by the server from the text (COPY into a temporary table,
    then one INSERT ... SELECT), in the same transaction."""
    import psycopg

    with psycopg.connect(url) as con, con.cursor() as cur:
        t = time.perf_counter()
        pg_copy_record(cur, rows, with_ids=search_rows is not None)
        if search_rows is not None:
            cur.execute("CREATE TEMPORARY TABLE staged (key bigint, version_id bigint, release_id "
                        "bigint, ministry_id bigint, bureau_id bigint, language text, "
                        "year smallint, withdrawn boolean, title text, body text, "
                        "meta text) ON COMMIT DROP")
            with cur.copy("COPY staged FROM STDIN") as copy:
                for r in search_rows:
                    copy.write_row(r)
            cur.execute(
                "INSERT INTO search_searchentry (key, version_id, release_id, ministry_id, "
                "bureau_id, language, year, withdrawn, doc) SELECT key, version_id, "
                "release_id, ministry_id, bureau_id, language, year, withdrawn, "
                "setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', "
                "left(body, 300000)), 'D') || setweight(to_tsvector('simple', meta), 'B') FROM staged")
        con.commit()
        elapsed = time.perf_counter() - t
        cur.execute("SELECT (SELECT count(*) FROM releases_languageversion), "
                    "(SELECT count(*) FROM search_searchentry)")
        assert cur.fetchone() == (len(rows[3]), len(search_rows or ())), "baseline rows missing"
        return elapsed


def import_rss_mb(archive: Path, data_dir: Path, database_url: str | None = None) -> float:
    """Peak resident memory of `pressroom import` run on its own (this process holds the
    baseline's rows, which would hide the importer's own figure), in MB: the larger of the
    writing process and its reading process. On PostgreSQL, into ``database_url`` (made
    fresh from its template by the caller)."""
    import subprocess

    env = {**os.environ, "PRESSROOM_DATA": str(data_dir)}
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "pressroom.cli", "migrate", "-v", "0"], env=env,
                       check=True)
    # Measured inside that process: this one's other children (the in-process importer's
    # reading process, a fork holding the baseline's rows) would be counted too.
    code = ("import resource, sys\nfrom pressroom.cli import main\ntry:\n    main(sys.argv[1:])\n"
            "finally:\n    r = resource.getrusage\n    print('RSS', max(r(resource.RUSAGE_SELF)."
            "ru_maxrss, r(resource.RUSAGE_CHILDREN).ru_maxrss))\n")
    out = subprocess.run([sys.executable, "-c", code, "import", "--quiet", str(archive)],
                         env=env, check=True, capture_output=True, text=True).stdout
    return int(out.rsplit("RSS ", 1)[1]) / 1024


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000, help="releases (default 100,000)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--without-search", action="store_true",
                   help="measure the record alone: disconnect the search index, which is "
                        "otherwise written in the same transactions")
    p.add_argument("--rss", action="store_true",
                   help="also run `pressroom import` on its own and report its peak memory")
    p.add_argument("--without-trust", action="store_true",
                   help="disconnect signing, the transparency log and the near-duplicate index")
    p.add_argument("--postgres", metavar="URL",
                   help="run on PostgreSQL, in the database this URL names and NAME_template "
                        "(both dropped and made again: a name of the bench's own)")
    p.add_argument("--work", type=Path, default=Path("var/bench"),
                   help="where the synthetic archive is kept and reused")
    p.add_argument("--bulk", choices=["auto", "on", "off"], default="auto",
                   help="the importer's bulk path: from the input's size (auto, from 256 MB), "
                        "or always, or never")
    a = p.parse_args()

    archive = a.work / f"synth-{a.n}.jsonl"
    if not archive.exists():
        t = time.perf_counter()
        write_jsonl(a.n, archive)
        print(f"generated {archive} in {time.perf_counter() - t:.1f} s")
    tmp = Path(tempfile.mkdtemp(prefix="pressroom-import-bench-"))
    try:
        if a.postgres:
            pg_make(a.postgres)
        django_setup(tmp, a.postgres)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        # Left out: what follows the record, and the work its reading process does for it.
        from pressroom.releases.store import PREPARERS, bulk_import, versions_changed

        if a.without_search:
            versions_changed.disconnect(dispatch_uid="search.versions_changed")
            PREPARERS.pop("search", None)
        if a.without_trust:
            versions_changed.disconnect(dispatch_uid="trust.versions_changed")
            bulk_import.disconnect(dispatch_uid="trust.bulk_import")
            PREPARERS.pop("trust", None)
        connections.close_all()
        if a.postgres:
            pg_make(pg_template_url(a.postgres), template=pg_split(a.postgres)[1])
            fresh = lambda: pg_fresh_database(a.postgres)  # noqa: E731
            baseline = lambda: pg_run_baseline(a.postgres, rows)  # noqa: E731
            searchable = lambda: pg_run_baseline(a.postgres, rows, search_rows)  # noqa: E731
        else:
            db = Path(settings.DATABASES["default"]["NAME"])
            template = tmp / "template.sqlite3"
            shutil.copyfile(db, template)
            fresh = lambda: fresh_database(template, db)  # noqa: E731
            baseline = lambda: run_baseline(db, rows)  # noqa: E731
            searchable = lambda: run_fts_baseline(db, rows)  # noqa: E731
        rows = baseline_rows(archive)
        search_rows = pg_search_rows(archive) if a.postgres and not a.without_search else None
        versions = len(rows[3])
        index_name = "tsvector" if a.postgres else "FTS5"
        imp, base, fts = [], [], []
        for i in range(a.rounds):
            fresh()
            seconds, counts = run_importer(archive, {"auto": None, "on": True, "off": False}[a.bulk])
            assert counts.get("added") == a.n and not counts.get("rejected"), counts
            imp.append(seconds)
            fresh()
            base.append(baseline())
            line = f"round {i + 1}: importer {seconds:.2f} s, baseline {base[-1]:.2f} s"
            if not (a.postgres and a.without_search):
                fresh()
                fts.append(searchable())
                line += f", baseline + {index_name} {fts[-1]:.2f} s"
            print(line, flush=True)
        mi, mb = statistics.median(imp), statistics.median(base)
        print(f"database: {'PostgreSQL' if a.postgres else 'SQLite'}; releases: {a.n:,} "
              f"({versions:,} language versions, ~500 words each); search "
              f"index {'NOT written' if a.without_search else 'written in the same transactions'}; "
              f"signatures, log and near-duplicate index {'NOT written' if a.without_trust else 'written'}")
        print(f"importer:  {a.n / mi:,.0f} releases/s (median of {a.rounds}: {mi:.2f} s)")
        print(f"baseline:  {a.n / mb:,.0f} releases/s (bare "
              f"{'psycopg COPY' if a.postgres else 'sqlite3 executemany'}, {mb:.2f} s)")
        print(f"ratio importer/baseline: {mb / mi:.2f}")
        if not a.without_search:
            mf = statistics.median(fts)
            what = ("and their search rows with the tsvector of title, body and meta made by the "
                    "server" if a.postgres else "and an FTS5 index of title and body")
            print(f"baseline + {index_name}: {a.n / mf:,.0f} releases/s (the same rows {what}, "
                  f"one transaction, {mf:.2f} s)")
            print(f"ratio importer/(baseline + {index_name}): {mf / mi:.2f}")
        if a.rss:
            if a.postgres:
                fresh()
            mb_rss = import_rss_mb(archive, tmp / "rss", a.postgres)
            print(f"peak RSS of `pressroom import` alone: {mb_rss:.0f} MB (flat: compare two --n)")
        if a.postgres:
            print(f"two million releases would take ~{2_000_000 / (a.n / mi) / 60:.1f} min "
                  f"(the baseline ~{2_000_000 / (a.n / mb) / 60:.1f} min)")
        else:
            print(f"a million releases would take ~{1_000_000 / (a.n / mi) / 60:.1f} min")
    finally:
        if a.postgres:
            from django.db import connections

            connections.close_all()
            pg_make(pg_template_url(a.postgres), drop_only=True)
            pg_make(a.postgres, drop_only=True)
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == "__main__":
    main()
