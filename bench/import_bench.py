"""Import speed: `pressroom import` of N synthetic releases against a bare sqlite3 baseline.

The baseline is the floor any importer stands on: the same release and version rows,
already in memory, written with `executemany` into the same tables (same schema, same
indexes, made by the same migrations) in one transaction. The importer does everything
else too: reads and parses the JSONL, checks each release, sanitises the HTML, looks up
what exists, and writes each release whole. Both run in this process, alternately, on
fresh databases; the figures are medians over --rounds.

    .venv/bin/python bench/import_bench.py --n 100000 --rounds 3
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


def django_setup(data_dir: Path):
    os.environ["PRESSROOM_DATA"] = str(data_dir)
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


def run_importer(archive: Path) -> tuple[float, dict]:
    from pressroom.ingest.importer import Importer

    t = time.perf_counter()
    report = Importer().run([archive])
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


def import_rss_mb(archive: Path, data_dir: Path) -> float:
    """Peak resident memory of `pressroom import` run on its own (this process holds the
    baseline's rows, which would hide the importer's own figure), in MB: the larger of the
    writing process and its reading process."""
    import subprocess

    env = {**os.environ, "PRESSROOM_DATA": str(data_dir)}
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
    p.add_argument("--work", type=Path, default=Path("var/bench"),
                   help="where the synthetic archive is kept and reused")
    a = p.parse_args()

    archive = a.work / f"synth-{a.n}.jsonl"
    if not archive.exists():
        t = time.perf_counter()
        write_jsonl(a.n, archive)
        print(f"generated {archive} in {time.perf_counter() - t:.1f} s")
    tmp = Path(tempfile.mkdtemp(prefix="pressroom-import-bench-"))
    try:
        django_setup(tmp)
        from django.conf import settings
        from django.core.management import call_command

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
        db = Path(settings.DATABASES["default"]["NAME"])
        template = tmp / "template.sqlite3"
        from django.db import connections

        connections.close_all()
        shutil.copyfile(db, template)
        rows = baseline_rows(archive)
        versions = len(rows[3])
        imp, base, fts = [], [], []
        for i in range(a.rounds):
            fresh_database(template, db)
            seconds, counts = run_importer(archive)
            assert counts.get("added") == a.n and not counts.get("rejected"), counts
            imp.append(seconds)
            fresh_database(template, db)
            base.append(run_baseline(db, rows))
            fresh_database(template, db)
            fts.append(run_fts_baseline(db, rows))
            print(f"round {i + 1}: importer {seconds:.2f} s, baseline {base[-1]:.2f} s, "
                  f"baseline + FTS5 {fts[-1]:.2f} s")
        mi, mb, mf = statistics.median(imp), statistics.median(base), statistics.median(fts)
        print(f"releases: {a.n:,} ({versions:,} language versions, ~500 words each); search "
              f"index {'NOT written' if a.without_search else 'written in the same transactions'}; "
              f"signatures, log and near-duplicate index {'NOT written' if a.without_trust else 'written'}")
        print(f"importer:  {a.n / mi:,.0f} releases/s (median of {a.rounds}: {mi:.2f} s)")
        print(f"baseline:  {a.n / mb:,.0f} releases/s (bare sqlite3 executemany, {mb:.2f} s)")
        print(f"ratio importer/baseline: {mb / mi:.2f}")
        if not a.without_search:
            print(f"baseline + FTS5: {a.n / mf:,.0f} releases/s (the same rows and an FTS5 "
                  f"index of title and body, one transaction, {mf:.2f} s)")
            print(f"ratio importer/(baseline + FTS5): {mf / mi:.2f}")
        if a.rss:
            print(f"peak RSS of `pressroom import` alone: {import_rss_mb(archive, tmp / 'rss'):.0f} "
                  "MB (flat: compare two --n)")
        print(f"a million releases would take ~{1_000_000 / (a.n / mi) / 60:.1f} min")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
