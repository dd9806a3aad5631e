"""The whole platform at one size: import, index sizes, search, pages under load, memory.

    .venv/bin/python bench/scale.py --n 100000          # the quick run (reuses a built archive)
    .venv/bin/python bench/scale.py --n 2000000         # the headline figures
    .venv/bin/python bench/scale.py --n 100000 --postgres postgres://postgres@127.0.0.1/db

One command for issue 12's figures. It composes the other benches rather than repeating them:
1. builds (once) var/bench/scale-<N>/ by `pressroom import --bulk` of bench/synth.py's archive,
   timed end to end (imported and searchable), with the import's peak RSS; the bare baselines
   in the same run: the same rows by `executemany` into the same tables, and the same rows plus
   an FTS5 index of title and body in one transaction (bench/import_bench.py's, streamed, on
   the first --baseline-n releases); and the record alone against bare `executemany`
   (import_bench --without-search --without-trust, at --record-n);
2. sizes on disk by part (record, search, signatures and log, near-duplicate index), per million;
3. search: bench/search_bench.py on this archive (every class, p50/p95, beside bare FTS5);
4. pages under load through `pressroom serve` with wrk (-c --connections): the trivial view,
   release pages hot (newest 1,000) and spread evenly over the archive, as a share of the
   trivial view's req/s, the .json, listings with every filter, a day, a deep keyset page,
   sitemaps, a feed, the API list, a deep API cursor and detail: req/s, p50, p95;
   then the workers' RSS;
5. `pressroom backup` and `pressroom restore` of the archive, timed;
6. with --postgres: import_bench.py against that server (COPY), at --pg-n.
Figures go to stdout and to var/bench/scale-<N>/results.json.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = ROOT / ".venv" / "bin"
PY = sys.executable
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "src"))

import synth  # noqa: E402
from servers import LUA_COMMON, collect_static_once, wait_serving, wrk_script  # noqa: E402

from pressroom.testing import free_port  # noqa: E402

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

# Parts of the database, by table-name prefix (SQLite's dbstat names tables and indexes).
PARTS = [("search index", ("search_",)), ("near-duplicate index", ("trust_shingle", "trust_shing_")),
         ("signatures and log", ("trust_",)), ("record", ("releases_",)),
         ("visitor counts", ("counters_",))]

SIZES_SCRIPT = r"""
import json, sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(json.dumps(dict(con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))))
"""


def say(text=""):
    print(text, flush=True)


def env_for(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PRESSROOM_DATA=str(data), PRESSROOM_DEBUG="", PYTHONPATH=str(ROOT / "src"))
    return env


def release_count(db: Path) -> int:
    if not db.exists():
        return 0
    out = subprocess.run([PY, "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1])"
                          ".execute('SELECT count(*) FROM releases_release').fetchone()[0])", str(db)],
                         capture_output=True, text=True)
    return int(out.stdout.strip() or 0) if out.returncode == 0 else 0


def sql(db: Path, query: str, *params) -> list:
    """Rows of a read-only query, through the project's own SQLite (FTS5 contentless tables)."""
    code = ("import json, sys, pressroom, sqlite3\ncon = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro',"
            " uri=True)\nprint(json.dumps(con.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()))")
    out = subprocess.run([PY, "-c", code, str(db), query, json.dumps(params)], capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    return json.loads(out.stdout)


# --- 1. The archive ---------------------------------------------------------------------------

def build(data: Path, archive: Path, n: int) -> dict:
    for p in data.glob("pressroom.sqlite3*"):
        p.unlink()
    env = env_for(data)
    subprocess.run([BIN / "pressroom", "migrate", "--noinput", "-v", "0"], env=env, check=True)
    collect_static_once(env)
    # Peak RSS measured inside the importing process (and its reading process).
    code = ("import resource, sys\nfrom pressroom.cli import main\ntry:\n    main(sys.argv[1:])\n"
            "finally:\n    r = resource.getrusage\n    print('RSS', max(r(resource.RUSAGE_SELF)."
            "ru_maxrss, r(resource.RUSAGE_CHILDREN).ru_maxrss), flush=True)\n")
    say(f"importing {n:,} releases: pressroom import --bulk {archive} ...")
    input_bytes = archive.stat().st_size  # before: the input may be gone by the end (10 GB at 2M)
    t = time.perf_counter()
    out = subprocess.run([PY, "-c", code, "import", "--bulk", "--quiet", str(archive)], env=env,
                         check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - t
    summary = out.rsplit("RSS ", 1)[0].strip()
    rss_mb = int(out.rsplit("RSS ", 1)[1]) / 1024
    # The planner statistics the import command refreshes are part of "searchable".
    result = {"n": n, "seconds": seconds, "rate": n / seconds, "rss_mb": rss_mb,
              "summary": summary, "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
              "input_bytes": input_bytes}
    (data / "import.json").write_text(json.dumps(result, indent=1))
    return result


def first_rows(archive: Path, limit: int):
    """import_bench.baseline_rows of the archive's first `limit` releases (held in memory:
    --baseline-n keeps that bounded at any --n)."""
    import import_bench

    sample = archive.parent / f"{archive.stem}-first{limit}.jsonl"
    if not sample.exists():
        with archive.open(encoding="utf-8") as src, sample.open("w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= limit:
                    break
                dst.write(line)
    return import_bench.baseline_rows(sample), sample


def baselines(archive: Path, n: int) -> dict:
    """The bare floors, on a freshly migrated database each: record rows by executemany, and
    the same rows with FTS5 in one transaction."""
    import import_bench

    tmp = Path(tempfile.mkdtemp(prefix="pressroom-scale-base-"))
    try:
        subprocess.run([BIN / "pressroom", "migrate", "--noinput", "-v", "0"], env=env_for(tmp),
                       check=True)
        template = tmp / "template.sqlite3"
        shutil.copyfile(tmp / "pressroom.sqlite3", template)
        rows, _ = first_rows(archive, n)
        out = {}
        for name, fn in (("executemany", import_bench.run_baseline),
                         ("executemany + FTS5", import_bench.run_fts_baseline)):
            db = tmp / f"{name.replace(' ', '')}.sqlite3"
            shutil.copyfile(template, db)
            seconds = fn(db, rows)
            out[name] = {"n": n, "seconds": seconds, "rate": n / seconds}
            db.unlink()
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def record_alone(n: int) -> dict:
    """import_bench's own comparison of the record alone with bare executemany."""
    out = subprocess.run([PY, str(BENCH / "import_bench.py"), "--n", str(n), "--rounds", "1",
                          "--without-search", "--without-trust"], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    ratio = re.search(r"ratio importer/baseline: ([\d.]+)", out)
    rate = re.search(r"importer:\s+([\d,]+) releases/s", out)
    return {"n": n, "ratio": float(ratio.group(1)), "rate": int(rate.group(1).replace(",", ""))}


# --- 2. Sizes ---------------------------------------------------------------------------------

def sizes(db: Path) -> dict:
    subprocess.run([PY, "-c", "import sys, pressroom, sqlite3; sqlite3.connect(sys.argv[1])"
                    ".execute('PRAGMA wal_checkpoint(TRUNCATE)')", str(db)],
                   env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, check=True)
    # The system's sqlite3 has dbstat; it reads pages only, so FTS5's newer options are no bar.
    by_name = json.loads(subprocess.run(["python3", "-S", "-c", SIZES_SCRIPT, str(db)],
                                        capture_output=True, text=True, check=True).stdout)
    parts = {label: 0 for label, _ in PARTS} | {"other": 0}
    for name, size in by_name.items():
        label = next((lb for lb, prefixes in PARTS if name.startswith(prefixes)), "other")
        parts[label] += size
    parts["file"] = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return parts


# --- 4. Pages under load ----------------------------------------------------------------------

def cursor_for(posted_at: str, release_id: int) -> str:
    when = datetime.fromisoformat(posted_at.replace(" ", "T"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    raw = f"{when.isoformat()}|{release_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def page_targets(db: Path, n: int, work: Path) -> list[tuple[str, list[str]]]:
    """(label, paths a wrk run picks from at random)."""
    rows = sql(db, "SELECT release_id, posted_at FROM releases_release ORDER BY posted_at DESC, "
                   "release_id DESC")
    ids = [r[0] for r in rows]
    hot = ids[:1000]
    step = max(1, len(ids) // 20000)
    spread = ids[::step]
    # 2,000 listing pages spread over the archive: more than a worker keeps (pagecache's record
    # pages hold 500), so nearly every one is a first render.
    first_renders = [cursor_for(p, r) for r, p in rows[::max(1, len(rows) // 2000)]]
    ministries = [r[0] for r in sql(db, "SELECT slug FROM releases_ministry ORDER BY id LIMIT 20")]
    bureaus = [r[0] for r in sql(db, "SELECT slug FROM releases_bureau ORDER BY id LIMIT 10")]
    days = [r[0] for r in sql(db, "SELECT DISTINCT date(posted_at, '+330 minutes') FROM "
                                  "releases_release ORDER BY 1 DESC LIMIT 400")]
    deep = sql(db, "SELECT posted_at, release_id FROM releases_release ORDER BY posted_at DESC, "
                   "release_id DESC LIMIT 50 OFFSET ?", n // 2)
    deep_cursors = [cursor_for(p, r) for p, r in deep]
    months = [r[0] for r in sql(db, "SELECT DISTINCT strftime('%Y-%m', posted_at, '+330 minutes') "
                                    "FROM releases_release ORDER BY 1 DESC LIMIT 24")]
    return [
        ("trivial view (/robots.txt)", ["/robots.txt"]),
        ("release page, newest 1,000", [f"/release/{i}/" for i in hot]),
        ("release page, spread evenly", [f"/release/{i}/" for i in spread]),
        ("release .json, spread evenly", [f"/release/{i}.json" for i in spread]),
        ("listing /releases/", ["/releases/", "/"]),
        ("listing by ministry", [f"/releases/?ministry={m}" for m in ministries]),
        ("listing by bureau", [f"/releases/?bureau={b}" for b in bureaus]),
        ("listing by language (hi)", ["/releases/?lang=hi"]),
        ("day page", [f"/releases/?date={d}" for d in days]),
        ("deep listing page (keyset)", [f"/releases/?before={c}" for c in deep_cursors]),
        ("listing pages, 2,000 spread (first renders)",
         [f"/releases/?before={c}" for c in first_renders]),
        ("deep listing, ministry + language", [f"/releases/?ministry={m}&lang=hi&before={c}"
                                               for m in ministries[:5] for c in deep_cursors[:10]]),
        ("sitemap (index, month)", ["/sitemap.xml"] + [f"/sitemaps/releases-{m}.xml" for m in months]),
        ("feed /feeds/latest.atom", ["/feeds/latest.atom"]),
        ("API list", ["/api/v1/releases?limit=20"]),
        ("API deep cursor", [f"/api/v1/releases?limit=20&cursor={c}" for c in deep_cursors]),
        ("API detail, spread evenly", [f"/api/v1/releases/{i}" for i in spread]),
    ]


def process_tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def under_load(data: Path, n: int, duration: int, connections: int, warmup: int) -> dict:
    db = data / "pressroom.sqlite3"
    env = env_for(data)
    work = Path(tempfile.mkdtemp(prefix="pressroom-scale-load-"))
    script = work / "paths.lua"
    script.write_text(LUA_PATHS)
    targets = page_targets(db, n, work)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = work / "server.log"
    with log.open("w") as log_file:
        server = subprocess.Popen([BIN / "pressroom", "serve", "--bind", f"127.0.0.1:{port}",
                                   "--no-collectstatic"], env=env, cwd=ROOT, stdout=log_file,
                                  stderr=subprocess.STDOUT)
    results = {}
    try:
        wait_serving(base, server)
        for label, paths in targets:  # every worker a little warm; urllib is a bot: nothing counts
            for p in paths[:3]:
                for _ in range(4):
                    try:
                        urllib.request.urlopen(base + p, timeout=60).read()
                    except OSError as e:
                        sys.exit(f"{label}: {base + p} failed before the load: {e}")
        if warmup:
            # A server that has been up a while has its newest pages in every worker's cache:
            # as a bot (not counted), the hot set for --warmup seconds.
            hot = work / "hot.txt"
            hot.write_text("\n".join(dict(targets)["release page, newest 1,000"]) + "\n")
            wrk_script(base, "/", script, [str(hot), "bot"], warmup, connections)
        say(f"\npages under load: wrk -t2 -c{connections} -d{duration}s each, `pressroom serve` "
            f"(server log {log})")
        say(f"  {'':36} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for label, paths in targets:
            listed = work / f"{len(results)}.txt"
            listed.write_text("\n".join(paths) + "\n")
            r = wrk_script(base, "/", script, [str(listed)], duration, connections)
            results[label] = r
            say(f"  {label:36} {r['rps']:9.1f} {r['p50_us'] / 1000:8.1f} {r['p95_us'] / 1000:8.1f} "
                f"{r['p99_us'] / 1000:8.1f} {r['errors']:7}")
        workers = [p for p in process_tree(server.pid) if p != server.pid]
        rss = {p: rss_mb(p) for p in workers}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    trivial = results["trivial view (/robots.txt)"]["rps"]
    shares = {label: results[label]["rps"] / trivial for label in
              ("release page, newest 1,000", "release page, spread evenly",
               "release .json, spread evenly")}
    for label, share in shares.items():
        say(f"  {label} / trivial view: {share:.0%}")
    say(f"  RSS of the server's processes after the load: largest {max(rss.values(), default=0):.0f} "
        f"MB, all {sum(rss.values()):.0f} MB ({len(rss)} processes)")
    shutil.rmtree(work, ignore_errors=True)
    return {"targets": results, "shares": shares, "rss_mb": rss}


# --- 5. Backup and restore ---------------------------------------------------------------------

def backup_restore(data: Path) -> dict:
    """`pressroom backup` of the archive, then `pressroom restore` of it into a copy of the
    data folder (the archive itself is left as it was)."""
    env = env_for(data)
    target = data.parent / f"{data.name}-backup.sqlite3"
    target.unlink(missing_ok=True)
    t = time.perf_counter()
    subprocess.run([BIN / "pressroom", "backup", str(target)], env=env, check=True,
                   capture_output=True)
    backup_s = time.perf_counter() - t
    copy = Path(tempfile.mkdtemp(prefix="pressroom-scale-restore-", dir=data.parent))
    try:
        for name in ("secret_key", "keys"):
            if (data / name).is_dir():
                shutil.copytree(data / name, copy / name)
            elif (data / name).exists():
                shutil.copy2(data / name, copy / name)
        t = time.perf_counter()
        subprocess.run([BIN / "pressroom", "restore", "--noinput", str(target)], env=env_for(copy),
                       check=True, capture_output=True)
        restore_s = time.perf_counter() - t
        restored = release_count(copy / "pressroom.sqlite3")
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    size = target.stat().st_size
    target.unlink()
    say(f"\nbackup: {backup_s:.1f} s ({size / 2**30:.2f} GiB); restore: {restore_s:.1f} s "
        f"({restored:,} releases back)")
    return {"backup_s": backup_s, "restore_s": restore_s, "bytes": size, "restored": restored}


# --- Putting it together ----------------------------------------------------------------------

def run_and_show(cmd: list, **kw) -> str:
    say("$ " + " ".join(str(c) for c in cmd))
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, **kw)
    say(out.stdout.rstrip())
    if out.returncode:
        say(out.stderr.rstrip()[-2000:])
        raise SystemExit(f"{cmd[1]} failed ({out.returncode})")
    return out.stdout


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000, help="releases (default 100,000)")
    p.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    p.add_argument("--rebuild", action="store_true", help="import the archive again")
    p.add_argument("--baseline-n", type=int, default=100_000,
                   help="releases for the bare baselines (default: up to 100,000)")
    p.add_argument("--record-n", type=int, default=20_000,
                   help="releases for the record-alone comparison (default 20,000)")
    p.add_argument("--duration", type=int, default=10, help="seconds of wrk per page target")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--warmup", type=int, default=20,
                   help="seconds of bot traffic on the newest 1,000 release pages first")
    p.add_argument("--per-class", type=int, default=30, help="search queries per class")
    p.add_argument("--skip", action="append", default=[],
                   choices=["baselines", "record", "sizes", "search", "load", "backup"],
                   help="leave a part out")
    p.add_argument("--postgres", default="", help="also: import_bench against this server")
    p.add_argument("--pg-n", type=int, default=20_000)
    a = p.parse_args(argv)

    a.work.mkdir(parents=True, exist_ok=True)
    data = (a.work / f"scale-{a.n}").resolve()
    data.mkdir(parents=True, exist_ok=True)
    db = data / "pressroom.sqlite3"
    archive = a.work / f"synth-{a.n}.jsonl"
    results: dict = {"n": a.n}
    def ensure_archive():  # only what needs it writes it: a reused build does not (10 GB at 2M)
        if not archive.exists():
            t = time.perf_counter()
            synth.write_jsonl(a.n, archive)
            say(f"generated {archive} in {time.perf_counter() - t:.0f} s")

    have = release_count(db)
    if a.rebuild or have != a.n or not (data / "import.json").exists():
        ensure_archive()
        imp = build(data, archive, a.n)
        say(f"imported now: {imp['summary']}")
    else:
        imp = json.loads((data / "import.json").read_text())
        say(f"reusing {data}: {have:,} releases, imported {imp['built_at']}")
        t = time.perf_counter()  # an archive built before a schema change gets it now
        subprocess.run([BIN / "pressroom", "migrate", "--noinput", "-v", "0"], env=env_for(data),
                       check=True)
        say(f"migrated in {time.perf_counter() - t:.1f} s")
    results["import"] = imp
    say(f"\nimport, end to end (imported and searchable, signed, near-duplicate index built): "
        f"{imp['seconds'] / 60:.1f} min, {imp['rate']:,.0f} releases/s, peak RSS {imp['rss_mb']:.0f} MB "
        f"-> {2_000_000 / imp['rate'] / 60:.0f} min for 2,000,000")

    if "baselines" not in a.skip:
        nb = min(a.n, a.baseline_n)
        if not (archive.parent / f"{archive.stem}-first{nb}.jsonl").exists():
            ensure_archive()
        base = baselines(archive, nb)
        results["baselines"] = base
        for name, b in base.items():
            say(f"bare {name} ({nb:,} releases, same run): {b['rate']:,.0f} releases/s; "
                f"import / it: {imp['rate'] / b['rate']:.2f}")
    if "record" not in a.skip:
        rec = record_alone(min(a.n, a.record_n))
        results["record_alone"] = rec
        say(f"record alone (import_bench --without-search --without-trust, {rec['n']:,}): "
            f"{rec['rate']:,} releases/s, {rec['ratio']:.2f} x bare executemany")

    if "sizes" not in a.skip:
        sz = sizes(db)
        results["sizes"] = sz
        per_m = 1e6 / a.n
        say(f"\nsizes on disk ({a.n:,} releases): file {sz['file'] / 2**30:.2f} GiB "
            f"= {sz['file'] / 2**30 * per_m:.2f} GiB per million")
        for label in [lb for lb, _ in PARTS] + ["other"]:
            say(f"  {label:24} {sz[label] / 2**30:7.2f} GiB  {sz[label] / 2**30 * per_m:6.2f} GiB/M")

    if "search" not in a.skip:
        out = run_and_show([PY, str(BENCH / "search_bench.py"), "--n", str(a.n), "--data", str(data),
                            "--per-class", str(a.per_class)])
        results["search"] = out
    if "load" not in a.skip:
        results["load"] = under_load(data, a.n, a.duration, a.connections, a.warmup)
    if "backup" not in a.skip:
        results["backup"] = backup_restore(data)
    if a.postgres:
        out = run_and_show([PY, str(BENCH / "import_bench.py"), "--n", str(a.pg_n), "--rounds", "1",
                            "--postgres", a.postgres])
        results["postgres_import"] = out
    # A partial run (--skip) keeps what an earlier run measured of the parts it left out.
    out = data / "results.json"
    earlier = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps(earlier | results, indent=1, default=str))
    say(f"\nfigures: {data / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
