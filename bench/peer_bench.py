"""Pressroom beside its peer, Datasette, on the same archive: same machine, same run, same wrk.

    .venv/bin/python bench/peer_bench.py [--releases 100000] [--seconds 10] [--rounds 3]
                                         [--connections 16] [--workers 1] [--threads 4]

The archive is load_bench's (bench/servers.py `prepare`: var/bench-<releases>, built once by
`pressroom import` of bench/synth.py's JSONL, then reused). Datasette serves a copy of
Pressroom's own SQLite database, immutable (`-i`): Pressroom's search tables left out (its
contentless FTS5 index is of no use to Datasette), an FTS5 index of its own over the versions'
title and body text in their place (external content, `?_search=` through metadata), vacuumed.
The copy is made once and reused while the archive is the same (`<data>/peer/`).

Datasette is not a Pressroom dependency: the first run installs it (pinned, with the same
SQLite 3.51 wheel Pressroom uses, so both read the file with the same library) into its own
venv, var/bench/peer-venv, and says so. If that install is impossible (no network), the bench
says so and exits with status 3.

Both servers run at once, with the same number of processes: Datasette is one asyncio process
(uvicorn) running its SQL on `num_sql_threads` threads; Pressroom is `pressroom serve`
(gunicorn gthread) with --workers processes (default 1, the same) of --threads threads, and
Datasette gets --threads SQL threads; both show 20 rows a page. Datasette's suggested facets
are off (--suggest-facets: on, its default, which adds 0.5-1 s to every search page here):
the peer at its fastest, not at its slowest. Each page pair is measured in turns, --rounds times
(the order inside a pair alternating), with wrk -t2 -c<connections>; the figures are medians.
Server CPU per request is read from /proc/<pid>/stat of each server's processes (the gunicorn
master, its workers, and the workers it reaped) before and after each wrk run.

Pairs: a trivial page; a release page (the newest 1,000; anywhere in the archive) against
Datasette's row page of the same version; a release as JSON (Pressroom's .json and its API
detail) against the row's .json; a search for a rare and a mid-frequency word (chosen from the
archive by document frequency), and searches spread over 2,000 different rare words (more
than a worker keeps: mostly made afresh), against the table's ?_search=; a listing page halfway through
the archive (each server's own next-page link: Pressroom's "Older" cursor, Datasette's _next)
against the release table sorted by posted time; and the database each needs on disk.
"""

import argparse
import html
import json
import os
import re
import shutil
import signal
import sqlite3 as stdlib_sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from servers import (  # noqa: E402
    LUA_COMMON,
    bench_env,
    prepare,
    start_pressroom,
    wait_serving,
    wrk_script,
)

from pressroom.testing import free_port  # noqa: E402

try:  # Pressroom's SQLite (3.51): its search index is contentless FTS5, too new for older ones
    from pysqlite3 import dbapi2 as sqlite3
except ImportError:  # pragma: no cover (not Linux x86-64)
    sqlite3 = stdlib_sqlite3

DATASETTE = "datasette==0.65.5"
SAME_SQLITE = "pysqlite3-binary==0.5.4.post2"  # Pressroom's pin (pyproject.toml)
NO_PEER = 3  # exit status when Datasette cannot be installed here
PEER_RECIPE = 1  # bump when the copy is made differently, so old copies are rebuilt
HOT = 1000

LUA_PATHS = LUA_COMMON + r"""
init = function(args)
  paths = load_ids(args[1])
  as_bot = args[2] == "bot"
  math.randomseed(tid * 7919 + os.time())
end
request = function()
  return wrk.format("GET", paths[math.random(1, #paths)], {["User-Agent"] = ua()})
end
"""


def ensure_datasette(venv: Path) -> Path:
    """Datasette in its own venv (made and filled on first use); its `datasette` command."""
    exe, done = venv / "bin" / "datasette", venv / "installed.ok"
    if exe.exists() and done.exists():
        return exe
    print(f"Datasette is not a Pressroom dependency: installing {DATASETTE} and {SAME_SQLITE} "
          f"(Pressroom's SQLite) into {venv} (this once)...", flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True,
                       capture_output=True, text=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                        "--timeout", "20", "--retries", "1", DATASETTE, SAME_SQLITE],
                       check=True, capture_output=True, text=True, timeout=900)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        shutil.rmtree(venv, ignore_errors=True)
        said = [x for x in (getattr(e, "stderr", "") or str(e)).strip().splitlines()
                if not x.startswith("WARNING")]
        tail = "\n".join(said[-3:])
        print(f"Datasette could not be installed here (no network to the package index?): "
              f"nothing to compare with.\n{tail}")
        sys.exit(NO_PEER)
    done.write_text(f"{DATASETTE} {SAME_SQLITE}\n")
    return exe


def archive_key(db: Path) -> dict:
    with stdlib_sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        return {"recipe": PEER_RECIPE, "releases": c.execute(
            "SELECT count(*), max(release_id) FROM releases_release").fetchone(),
            "versions": c.execute("SELECT count(*), max(id) FROM releases_languageversion"
                                  ).fetchone()}


def file_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def pick_word(vocab: list[tuple[str, int]], target: float) -> tuple[str, int]:
    return min(vocab, key=lambda t: (abs(t[1] - target), t[0]))


SPREAD_WORDS = 2000  # more than a worker keeps search pages for (1,000): mostly first renders


def rare_words(copy: Path, docs: int, n: int = SPREAD_WORDS) -> list[str]:
    """Up to ``n`` different rare words of the archive (in 0.01% to 0.1% of the versions),
    for searches spread so that each is mostly made afresh, as many readers' searches are."""
    with sqlite3.connect(copy) as c:
        c.execute("CREATE VIRTUAL TABLE temp.spread_vocab USING fts5vocab(main, peer_fts, row)")
        rows = c.execute("SELECT term FROM temp.spread_vocab WHERE length(term) >= 4 AND term "
                         "NOT GLOB '*[^a-z]*' AND doc BETWEEN ? AND ? ORDER BY term",
                         (max(2, docs // 10_000), max(3, docs // 1000))).fetchall()
    words = [t for (t,) in rows]
    return words[:: max(1, len(words) // n)][:n]


def build_peer_copy(db: Path, folder: Path) -> dict:
    """Datasette's copy of the archive (`folder`/archive.db) and what is known of it (sizes,
    search words), made once per archive."""
    copy, about = folder / "archive.db", folder / "archive.json"
    key = archive_key(db)
    if copy.exists() and about.exists():
        info = json.loads(about.read_text())
        if info["key"] == json.loads(json.dumps(key)):
            print(f"reusing Datasette's copy {copy}")
            return info
    folder.mkdir(parents=True, exist_ok=True)
    t = time.monotonic()
    partial = folder / "archive.db.partial"
    partial.unlink(missing_ok=True)
    src, dst = sqlite3.connect(db), sqlite3.connect(partial)
    src.backup(dst)
    src.close()
    dst.execute("PRAGMA journal_mode=DELETE")
    dst.execute("PRAGMA foreign_keys=OFF")
    rows = dst.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                       "AND name LIKE 'search%'").fetchall()
    virtual = [n for n, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL")]
    # Virtual tables first (dropping FTS5 drops its shadow tables), then the rest.
    for name in virtual + [n for n, _ in rows if n not in virtual]:
        if dst.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone():
            dst.execute(f'DROP TABLE "{name}"')
    dst.commit()
    dst.execute("VACUUM")
    record_bytes = partial.stat().st_size
    dst.execute("CREATE VIRTUAL TABLE peer_fts USING fts5(title, body_text, "
                "content='releases_languageversion', content_rowid='id')")
    dst.execute("INSERT INTO peer_fts(peer_fts) VALUES ('rebuild')")
    dst.execute("INSERT INTO peer_fts(peer_fts) VALUES ('optimize')")
    dst.commit()
    dst.execute("VACUUM")
    dst.execute("CREATE VIRTUAL TABLE temp.peer_vocab USING fts5vocab(main, peer_fts, row)")
    docs = dst.execute("SELECT count(*) FROM releases_languageversion").fetchone()[0]
    # Latin words only, which both engines tokenise alike; synth's made-up words are these.
    vocab = dst.execute("SELECT term, doc FROM temp.peer_vocab WHERE length(term) >= 4 "
                        "AND term NOT GLOB '*[^a-z]*'").fetchall()
    dst.close()
    rare = pick_word(vocab, max(3, docs * 0.0002))
    mid = pick_word(vocab, docs * 0.02)
    partial.rename(copy)
    info = {"key": key, "record_bytes": record_bytes, "copy_bytes": copy.stat().st_size,
            "docs": docs, "rare": rare, "mid": mid}
    about.write_text(json.dumps(info))
    print(f"made Datasette's copy {copy} in {time.monotonic() - t:.0f} s")
    return info


def pressroom_in_use(db: Path) -> tuple[int, int]:
    """(bytes on disk, bytes of pages in use) of Pressroom's database, WAL checkpointed first."""
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages, free, size = (c.execute(f"PRAGMA {p}").fetchone()[0]
                             for p in ("page_count", "freelist_count", "page_size"))
    return file_bytes(db), (pages - free) * size


def releases_newest_first(db: Path) -> list[tuple[int, int, str]]:
    """(release ID, its original version's row id, posted_at as stored), newest first."""
    with stdlib_sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        return c.execute(
            "SELECT r.release_id, v.id, r.posted_at FROM releases_release r "
            "JOIN releases_languageversion v ON v.release_id = r.release_id AND v.is_original "
            "WHERE r.status != 'removed' ORDER BY r.posted_at DESC, r.release_id DESC").fetchall()


def pressroom_cursor(env: dict, index: int) -> str:
    """Pressroom's own cursor for the release at `index` (newest first): keyset.encode."""
    os.environ.update(PRESSROOM_DATA=env["PRESSROOM_DATA"], PRESSROOM_DEBUG="")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from pressroom.releases import keyset
    from pressroom.releases.models import Release
    from pressroom.releases.queries import NEWEST_FIRST

    return keyset.encode(Release.objects.exclude(status="removed").order_by(*NEWEST_FIRST)[index])


def fetch(url: str, accept_json=False):
    with urllib.request.urlopen(url, timeout=60) as r:
        body = r.read().decode("utf-8", "replace")
        return json.loads(body) if accept_json else body


def proc_ticks(pid: int) -> tuple[int, int, int]:
    """(parent pid, own utime+stime, reaped children's cutime+cstime) of a live process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def tree_cpu_seconds(root: int) -> float:
    """CPU time of `root` and every process under it, including the children it reaped
    (gunicorn recycles workers: max_requests)."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stats[int(entry)] = proc_ticks(int(entry))
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
    kids: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in stats.items():
        kids.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            _, own, reaped = stats[pid]
            total += own + reaped
            todo.extend(kids.get(pid, []))
    return total / os.sysconf("SC_CLK_TCK")


def measure(base, pid, paths_file, seconds, connections, script, bot=False) -> dict:
    before = tree_cpu_seconds(pid)
    r = wrk_script(base, "/", script, [str(paths_file), "bot" if bot else "reader"], seconds,
                   connections)
    r["cpu_ms"] = (tree_cpu_seconds(pid) - before) * 1000 / max(r["requests"], 1)
    return r


def write_paths(work: Path, name: str, paths: list[str]) -> Path:
    p = work / f"{name}.txt"
    p.write_text("".join(x + "\n" for x in paths))
    return p


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=3, help="seconds of each target, once, first")
    parser.add_argument("--workers", type=int, default=1,
                        help="Pressroom's gunicorn workers (Datasette is one process)")
    parser.add_argument("--threads", type=int, default=4,
                        help="Pressroom's threads per worker and Datasette's num_sql_threads")
    parser.add_argument("--depth", type=float, default=0.5,
                        help="where the deep listing page is, as a share of the archive")
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder (default var/bench-<releases>, load_bench's, kept)")
    parser.add_argument("--peer-venv", type=Path, default=ROOT / "var" / "bench" / "peer-venv")
    parser.add_argument("--suggest-facets", action="store_true",
                        help="leave Datasette's suggested facets on (its default: 0.5-1 s more "
                             "per search page at 100,000 releases); off, the peer at its fastest")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    datasette = ensure_datasette(args.peer_venv.resolve())
    data = (args.data or ROOT / "var" / f"bench-{args.releases}").resolve()
    data.mkdir(parents=True, exist_ok=True)
    env = bench_env(data)
    prepare(data, args.releases, env)
    db = data / "pressroom.sqlite3"
    disk, in_use = pressroom_in_use(db)
    peer = build_peer_copy(db, data / "peer")
    rows = releases_newest_first(db)
    n = len(rows)
    deep = min(n - 1, int(n * args.depth))
    cursor = pressroom_cursor(env, deep)
    (rare, rare_df), (mid, mid_df) = peer["rare"], peer["mid"]
    spread_words = rare_words(data / "peer" / "archive.db", peer["docs"]) or [rare]

    work = Path(tempfile.mkdtemp(prefix="pressroom-peer-"))
    script = work / "paths.lua"
    script.write_text(LUA_PATHS)
    metadata = work / "metadata.json"
    metadata.write_text(json.dumps({"databases": {"archive": {"tables": {
        "releases_languageversion": {"fts_table": "peer_fts", "fts_pk": "id"}}}}}))

    p_port, d_port = free_port(), free_port()
    P, D = f"http://127.0.0.1:{p_port}", f"http://127.0.0.1:{d_port}"
    p_log, d_log = work / "pressroom.log", work / "datasette.log"
    procs = []
    try:
        with p_log.open("w") as f:
            procs.append(start_pressroom(env, p_port, f, "--workers", str(args.workers),
                                         "--threads", str(args.threads), "--publish-every", "0",
                                         "--alerts-every", "0"))
        with d_log.open("w") as f:
            procs.append(subprocess.Popen(
                [str(datasette), "serve", "-i", str(data / "peer" / "archive.db"),
                 "--host", "127.0.0.1", "--port", str(d_port), "--metadata", str(metadata),
                 "--setting", "num_sql_threads", str(args.threads),
                 "--setting", "default_page_size", "20",
                 "--setting", "suggest_facets", "on" if args.suggest_facets else "off"],
                stdout=f, stderr=subprocess.STDOUT, cwd=work))
        wait_serving(P, procs[0])
        wait_serving(D, procs[1], path="/-/versions.json")
        versions = fetch(D + "/-/versions.json", accept_json=True)

        # Each server's own next-page link from a page halfway through the archive.
        older = re.search(r'rel="next" href="([^"]+)"', fetch(f"{P}/releases/?before={cursor}"))
        p_deep = "/releases/" + html.unescape(older.group(1))
        _, _, posted = rows[deep]
        token = urllib.parse.quote(f"{posted},{rows[deep][0]}")
        d_page = fetch(f"{D}/archive/releases_release.json?_sort_desc=posted_at&_next={token}",
                       accept_json=True)
        d_deep = ("/archive/releases_release?_sort_desc=posted_at&_next="
                  + urllib.parse.quote(d_page["next"]))

        hot, spread = rows[:HOT], rows
        search = "/archive/releases_languageversion?_search="
        targets = {  # name: (server, [paths])
            "P trivial": (P, ["/robots.txt"]),
            "D trivial": (D, ["/-/versions.json"]),
            "P page hot": (P, [f"/release/{r}/" for r, _, _ in hot]),
            "D page hot": (D, [f"/archive/releases_languageversion/{v}" for _, v, _ in hot]),
            "P page all": (P, [f"/release/{r}/" for r, _, _ in spread]),
            "D page all": (D, [f"/archive/releases_languageversion/{v}" for _, v, _ in spread]),
            "P json": (P, [f"/release/{r}.json" for r, _, _ in spread]),
            "P api": (P, [f"/api/v1/releases/{r}" for r, _, _ in spread]),
            "D json": (D, [f"/archive/releases_languageversion/{v}.json" for _, v, _ in spread]),
            "P rare": (P, [f"/search/?q={rare}"]),
            "D rare": (D, [search + rare]),
            "P mid": (P, [f"/search/?q={mid}"]),
            "D mid": (D, [search + mid]),
            "P words": (P, [f"/search/?q={w}" for w in spread_words]),
            "D words": (D, [search + w for w in spread_words]),
            "P deep": (P, [p_deep]),
            "D deep": (D, [d_deep]),
        }
        pairs = [
            ("trivial: robots.txt | /-/versions.json", "P trivial", "D trivial"),
            (f"release page, newest {min(HOT, n):,} | row page", "P page hot", "D page hot"),
            (f"release page, all {n:,} | row page", "P page all", "D page all"),
            ("release .json | row .json", "P json", "D json"),
            ("API /api/v1/releases/<id> | row .json", "P api", "D json"),
            (f"search rare '{rare}' ({rare_df} docs) | _search", "P rare", "D rare"),
            (f"search mid '{mid}' ({mid_df} docs) | _search", "P mid", "D mid"),
            (f"search, {len(spread_words):,} different rare words | _search", "P words", "D words"),
            (f"listing at {deep:,} deep | table _next", "P deep", "D deep"),
        ]
        files = {}
        for name, (base, paths) in targets.items():
            files[name] = write_paths(work, name.replace(" ", "-"), paths)
            fetch(base + paths[0])  # answers 200 (urllib raises otherwise); a bot: not counted
        pids = {P: procs[0].pid, D: procs[1].pid}
        print(f"Pressroom: pressroom serve, {args.workers} gunicorn worker(s) x {args.threads} "
              f"threads; Datasette {versions['datasette']['version']}: one process (uvicorn, "
              f"asyncio), num_sql_threads {args.threads}, -i, 20 rows a page, suggested facets "
              f"{'on' if args.suggest_facets else 'off'}; SQLite {versions['sqlite']['version']} "
              f"in both; wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds, "
              f"medians")
        if args.warmup:
            for name, (base, _) in targets.items():
                measure(base, pids[base], files[name], args.warmup, args.connections, script,
                        bot=True)
        results: dict[str, list[dict]] = {}
        measured = list(dict.fromkeys(name for _, p, d in pairs for name in (p, d)))
        for k in range(args.rounds):
            for _, p, d in pairs:
                for name in ((p, d) if k % 2 == 0 else (d, p)):
                    if len(results.get(name, [])) > k:
                        continue  # D json serves two pairs: once a round
                    base = targets[name][0]
                    results.setdefault(name, []).append(
                        measure(base, pids[base], files[name], args.seconds, args.connections,
                                script))
            print(f"  round {k + 1}/{args.rounds} done", flush=True)
    finally:
        for proc in procs:
            stop(proc)
    assert set(results) == set(measured)
    (work / "results.json").write_text(json.dumps(results, indent=1))

    def ratio(a, b):
        return f"{a / b:.2f}" if b else "n/a"

    def med(name, key):
        return statistics.median(r[key] for r in results[name])

    print()
    head = (f"{'pair (Pressroom | Datasette)':52} {'req/s P':>8} {'D':>7} {'P/D':>6}  "
            f"{'p50 ms P':>8} {'D':>6}  {'p95 ms P':>8} {'D':>6}  {'CPU ms/req P':>12} {'D':>6} "
            f"{'P/D':>5}  errors")
    print(head)
    print("-" * len(head))
    for label, p, d in pairs:
        rp, rd = med(p, "rps"), med(d, "rps")
        cp, cd = med(p, "cpu_ms"), med(d, "cpu_ms")
        errors = sum(r["errors"] for name in (p, d) for r in results[name])
        print(f"{label[:52]:52} {rp:8.0f} {rd:7.0f} {ratio(rp, rd):>6}  "
              f"{med(p, 'p50_us') / 1000:8.1f} {med(d, 'p50_us') / 1000:6.1f}  "
              f"{med(p, 'p95_us') / 1000:8.1f} {med(d, 'p95_us') / 1000:6.1f}  "
              f"{cp:12.2f} {cd:6.2f} {ratio(cp, cd):>5}  {errors}")
    d_bytes = peer["copy_bytes"]
    search_bytes = in_use - peer["record_bytes"]
    print(f"{'database on disk (in use) | copy without search_*':52} "
          f"Pressroom {mb(disk)} ({mb(in_use)} in use: record {mb(peer['record_bytes'])} + "
          f"search index {mb(search_bytes)}), Datasette {mb(d_bytes)} (record + its FTS5 "
          f"{mb(d_bytes - peer['record_bytes'])}); P/D {in_use / d_bytes:.2f} in use")
    print("\nreq/s P/D > 1 and CPU P/D < 1: Pressroom ahead. Logs and wrk scripts: " + str(work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
