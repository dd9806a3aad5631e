"""The scale-out path for real: a PostgreSQL primary and a streaming replica under load.

    .venv/bin/python bench/replica_bench.py [--releases 20000] [--seconds 10] [--rounds 3]

Makes a new primary and a replica of it (src/pressroom/ops/pgcluster.py: initdb, then
``pg_basebackup -R``, on free ports, in a folder of its own), imports --releases synthetic
releases (bench/synth.py) into the primary with ``pressroom import``, waits until the replica
has replayed them, then runs two ``pressroom serve`` (gunicorn, the same --workers and
--threads) at once and loads them in turns with wrk (-c --connections, --seconds each,
--rounds rounds, medians):

  (a) primary only: DATABASE_URL only;
  (b) primary + replica: DATABASE_REPLICA_URLS set too (src/pressroom/dbrouter.py).

on release pages spread over the whole archive and on /releases/ listings (plain and by
ministry): req/s, p50, p95, and where the reads went: each cluster's pg_stat_database
xact_commit and tup_fetched for the pressroom database, read before and after each run
(after the idle backends have reported their statistics), as the replica's share.

Then two drills on (b), each while wrk loads release pages for 4 x --drill-seconds:
  (c) the replica is stopped (immediate) after --drill-seconds and started again at twice
      that: non-2xx/3xx answers and req/s before, during and after (the rest of the run);
  (d) the same with the primary: reads go on from the replica; what fails is shown (the
      health check, the visitor-count flushes, which keep the counts and write them when
      the primary is back).
At the end the servers stop gracefully and the visitor counts recorded are compared with the
release pages answered.

On one machine both clusters share its CPUs: (b) shows where the reads go and what the
routing costs, not added capacity. The capacity comes from the replica being another machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "src"))

import scale  # noqa: E402
import synth  # noqa: E402
from servers import collect_static_once, wait_serving, wrk_script  # noqa: E402

from pressroom.ops import pgcluster  # noqa: E402
from pressroom.testing import free_port  # noqa: E402

DB = "pressroom"
# PostgreSQL 15+ reports an idle backend's pending statistics within PGSTAT_IDLE_INTERVAL
# (10 s): a run's figures are read that long after it ends.
STATS_SETTLE = 11.0  # --settle

# scale.py's script (random path from a list, p50/p95/p99), plus answers counted per
# wall-clock second (and those >= 400, as wrk's summary.errors.status counts them), written
# to a JSON file named when the script is made.
LUA_TIMELINE = scale.LUA_PATHS + r"""
local first_setup = setup
threads = {}
function setup(thread)
  first_setup(thread)
  table.insert(threads, thread)
end
secs, bad = {}, {}
function response(status, headers, body)
  local s = os.time()
  secs[s] = (secs[s] or 0) + 1
  if status > 399 then bad[s] = (bad[s] or 0) + 1 end
end
local first_done = done
function done(summary, latency, requests)
  first_done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("secs")) do all[k] = all[k] or {0, 0}; all[k][1] = all[k][1] + v end
    for k, v in pairs(t:get("bad")) do all[k] = all[k] or {0, 0}; all[k][2] = all[k][2] + v end
  end
  local parts = {}
  for k, v in pairs(all) do parts[#parts + 1] = string.format('"%d": [%d, %d]', k, v[1], v[2]) end
  local f = io.open("TIMELINE_OUT", "w")
  f:write("{" .. table.concat(parts, ", ") .. "}\n")
  f:close()
end
"""


def say(text=""):
    print(text, flush=True)


def stats(cluster: pgcluster.Cluster) -> tuple[int, int] | None:
    """(xact_commit, tup_fetched) of the pressroom database, or None when it is down."""
    try:
        out = cluster.psql(f"SELECT xact_commit, tup_fetched FROM pg_stat_database "
                           f"WHERE datname = '{DB}'")
    except pgcluster.ClusterError:
        return None
    a, b = out.split("|")
    return int(a), int(b)


def snapshot(pair) -> dict:
    return {"primary": stats(pair.primary), "replica": stats(pair.replica)}


def delta(before: dict, after: dict, name: str) -> tuple[int, int] | None:
    if before.get(name) is None or after.get(name) is None:
        return None
    return tuple(a - b for a, b in zip(after[name], before[name], strict=True))


def replica_share(before: dict, after: dict) -> tuple[float | None, float | None, dict]:
    """The replica's share of committed transactions and of tuples fetched, and the deltas."""
    d = {name: delta(before, after, name) for name in ("primary", "replica")}
    if d["primary"] is None or d["replica"] is None:
        return None, None, d
    xact = d["primary"][0] + d["replica"][0]
    fetched = d["primary"][1] + d["replica"][1]
    return (d["replica"][0] / xact if xact else None,
            d["replica"][1] / fetched if fetched else None, d)


def pct(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:5.0%}"


def start_server(env: dict, port: int, log: Path, workers: int, threads: int):
    cmd = [BIN / "pressroom", "serve", "--bind", f"127.0.0.1:{port}", "--no-collectstatic",
           "--threads", str(threads), "--publish-every", "0", "--alerts-every", "0"]
    if workers:
        cmd += ["--workers", str(workers)]
    with log.open("w") as out:
        return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def stop_server(proc) -> None:
    proc.send_signal(signal.SIGTERM)  # graceful: each worker flushes its visitor counts
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def statuses(base: str, paths: list[str]) -> dict[str, int | str]:
    """Each path's status, fetched as a bot (nothing counted)."""
    out = {}
    for p in paths:
        try:
            with urllib.request.urlopen(base + p, timeout=30) as r:
                out[p] = r.status
        except urllib.error.HTTPError as e:
            out[p] = e.code
        except OSError as e:
            out[p] = type(e).__name__
    return out


PROBES = ["/healthz", "/", "/releases/", "/api/v1/releases?limit=5", "/search/?q=government",
          "/sitemap.xml"]


def drill(pair, which: str, base: str, listed: Path, work: Path, phase: int,
          connections: int, settle: float) -> dict:
    """wrk on release pages for 4 x phase seconds; `which` cluster stopped (immediate) at
    `phase` and started again at 2 x phase (a start after an immediate stop recovers first:
    the rest of the run, at least `phase` seconds when it is quick, is "after")."""
    cluster = getattr(pair, which)
    timeline = work / f"timeline-{which}.json"
    script = work / f"timeline-{which}.lua"
    script.write_text(LUA_TIMELINE.replace("TIMELINE_OUT", str(timeline)))
    marks: dict = {"snap": {}}

    def act():
        time.sleep(phase)
        marks["snap"]["start"] = snapshot(pair)
        marks["stop"] = time.time()
        cluster.stop("immediate")
        marks["stopped"] = time.time()
        time.sleep(min(2.0, phase / 3))
        marks["probes"] = statuses(base, PROBES)
        time.sleep(max(0.0, marks["stop"] + phase - time.time()))
        marks["snap"]["down_end"] = snapshot(pair)
        marks["start"] = time.time()
        cluster.start()
        marks["started"] = time.time()
        for _ in range(20):  # a standby may refuse connections for a moment after its start
            marks["snap"]["up"] = snapshot(pair)  # after an immediate stop, statistics restart at 0
            if None not in marks["snap"]["up"].values():
                break
            time.sleep(0.5)

    mover = threading.Thread(target=act)
    marks["snap"]["run"] = snapshot(pair)
    run_start = time.time()
    mover.start()
    r = wrk_script(base, "/", script, [str(listed)], 4 * phase, connections)
    mover.join()
    time.sleep(settle)
    marks["snap"]["end"] = snapshot(pair)
    seconds = {int(k): v for k, v in json.loads(timeline.read_text()).items()}
    first, last = min(seconds), max(seconds)  # partial seconds at both ends are left out
    # The seconds in which the cluster stopped and in which its start finished count as "during".
    phases = {"before": (first + 1, int(marks["stop"]) - 1),
              "during": (int(marks["stop"]), int(marks["started"])),
              "after": (int(marks["started"]) + 1, last - 1)}
    out = {"wrk": r, "phases": {}, "probes": marks.get("probes", {}), "run_start": run_start,
           "restart_s": marks["started"] - marks["start"], "timeline": seconds}
    for name, (lo, hi) in phases.items():
        span = [seconds.get(s, [0, 0]) for s in range(lo, hi + 1)]
        out["phases"][name] = {
            "seconds": len(span),
            "rps": sum(a for a, _ in span) / len(span) if span else 0.0,
            "errors": sum(b for _, b in span)}
    # Where the reads went, by phase (a cluster stopped "immediate" restarts its statistics).
    snap = marks["snap"]
    out["where"] = {
        "before": replica_share(snap["run"], snap["start"]),
        "during": {k: delta(snap["start"], snap["down_end"], k) for k in ("primary", "replica")},
        "after": replica_share(snap["up"], snap["end"]),
    }
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--releases", type=int, default=20_000)
    ap.add_argument("--seconds", type=int, default=10, help="seconds per wrk run")
    ap.add_argument("--rounds", type=int, default=3, help="rounds (each loads every setup in turn)")
    ap.add_argument("--drill-seconds", type=int, default=10,
                    help="a failure drill's wrk runs 4 x this: the cluster stops after 1 x, starts at 2 x")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=0,
                    help="gunicorn workers of each server (0: pressroom serve's default, 2 x CPUs + 1)")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--warmup", type=int, default=5, help="seconds of each load on each server first")
    ap.add_argument("--settle", type=float, default=STATS_SETTLE,
                    help="seconds to wait after a run before reading pg_stat_database")
    ap.add_argument("--data", type=Path, default=None,
                    help="data folder (static files, the synthetic JSONL; default var/replica-bench)")
    ap.add_argument("--root", type=Path, default=None,
                    help="folder of the two clusters (default /tmp/pressroom-replicabench-<pid>, removed)")
    args = ap.parse_args(argv)

    if pgcluster.pg_bindir() is None:
        say("PostgreSQL server binaries (initdb, pg_basebackup) are not installed: nothing measured")
        return 2
    if not shutil.which("wrk"):
        say("wrk is not installed (apt-get install wrk): nothing measured")
        return 2
    data = (args.data or ROOT / "var" / "replica-bench").resolve()
    data.mkdir(parents=True, exist_ok=True)
    root = args.root or Path(f"/tmp/pressroom-replicabench-{os.getpid()}")
    work = Path(tempfile.mkdtemp(prefix="pressroom-replicabench-"))

    t = time.monotonic()
    pair = pgcluster.make_pair(root)
    say(f"primary on port {pair.primary.port}, streaming replica on {pair.replica.port} "
        f"(made in {time.monotonic() - t:.0f} s, {root})")
    servers = {}
    try:
        pair.primary.psql(f"CREATE DATABASE {DB} TEMPLATE template0 ENCODING 'UTF8'")
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URLS")}
        env.update(PRESSROOM_DATA=str(data), PRESSROOM_DEBUG="", PYTHONPATH=str(ROOT / "src"),
                   DATABASE_URL=pair.primary.url(DB))
        subprocess.run([BIN / "pressroom", "migrate", "--noinput", "-v", "0"], env=env, check=True)
        collect_static_once(env)
        jsonl = data / f"synth-{args.releases}.jsonl"
        if not jsonl.exists():
            synth.write_jsonl(args.releases, jsonl)
        t = time.monotonic()
        subprocess.run([BIN / "pressroom", "import", "--quiet", str(jsonl)], env=env, check=True)
        imported = time.monotonic() - t
        t = time.monotonic()
        pair.wait_replayed(timeout=600)
        say(f"imported {args.releases} releases into the primary in {imported:.0f} s; "
            f"the replica had replayed them {time.monotonic() - t:.1f} s later")

        counted_sql = "SELECT coalesce(sum(visitor_count), 0) FROM releases_languageversion"
        counted_before = int(pair.primary.psql(counted_sql, DB))
        ids = pair.primary.psql("SELECT release_id FROM releases_release "
                                "WHERE status <> 'removed' ORDER BY release_id", DB).split()
        ministries = pair.primary.psql("SELECT slug FROM releases_ministry ORDER BY id LIMIT 20", DB).split()
        loads = {"release pages": [f"/release/{i}/" for i in ids],
                 "/releases/ listings": ["/releases/"] + [f"/releases/?ministry={m}" for m in ministries]}
        lists = {}
        for n, (label, paths) in enumerate(loads.items()):
            lists[label] = work / f"paths-{n}.txt"
            lists[label].write_text("\n".join(paths) + "\n")
        script = work / "paths.lua"
        script.write_text(scale.LUA_PATHS)

        setups = {"(a) primary only": dict(env),
                  "(b) primary + replica": {**env, "DATABASE_REPLICA_URLS": pair.replica.url(DB)}}
        bases = {}
        for label, senv in setups.items():
            port = free_port()
            bases[label] = f"http://127.0.0.1:{port}"
            servers[label] = (start_server(senv, port, work / f"server-{len(servers)}.log",
                                           args.workers, args.threads),
                              work / f"server-{len(servers)}.log")
        for label, (proc, _) in servers.items():
            wait_serving(bases[label], proc)
        say(f"two `pressroom serve` up ({args.workers or 'default'} workers x {args.threads} threads "
            f"each); wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds in turns")
        answered = 0  # release pages answered 2xx/3xx to a browser: what should be counted
        for base in bases.values():
            statuses(base, ["/", "/releases/", loads["release pages"][0]])
            for load, listed in lists.items():
                if args.warmup:
                    r = wrk_script(base, "/", script, [str(listed)], args.warmup, args.connections)
                    answered += (r["requests"] - r["status"]) if load == "release pages" else 0

        results: dict[tuple[str, str], list[dict]] = {}
        for rnd in range(args.rounds):
            for load, listed in lists.items():
                for label, base in bases.items():
                    time.sleep(args.settle if not results else 0)
                    before = snapshot(pair)
                    r = wrk_script(base, "/", script, [str(listed)], args.seconds, args.connections)
                    time.sleep(args.settle)
                    r["share"] = replica_share(before, snapshot(pair))
                    results.setdefault((label, load), []).append(r)
                    answered += (r["requests"] - r["status"]) if load == "release pages" else 0
                    say(f"  round {rnd + 1} {label:22} {load:20} {r['rps']:7.1f} req/s  "
                        f"p95 {r['p95_us'] / 1000:7.1f} ms  replica share of xacts "
                        f"{pct(r['share'][0])}  errors {r['errors']}")

        say("\nsetup                   load                   req/s  p50 ms  p95 ms  errors  "
            "replica share: xacts  tuples   vs (a)")
        summary = {}
        for load in lists:
            base_rps = None
            for label in bases:
                runs = results[label, load]
                rps = statistics.median(r["rps"] for r in runs)
                base_rps = base_rps or rps
                row = {"rps": rps,
                       "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
                       "p95_ms": statistics.median(r["p95_us"] for r in runs) / 1000,
                       "errors": sum(r["errors"] for r in runs),
                       "replica_xacts": statistics.median(r["share"][0] or 0 for r in runs),
                       "replica_tuples": statistics.median(r["share"][1] or 0 for r in runs)}
                summary[f"{label} | {load}"] = row
                say(f"{label:23} {load:20} {rps:7.1f} {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} "
                    f"{row['errors']:7}  {row['replica_xacts']:20.0%} {row['replica_tuples']:7.0%} "
                    f"{rps / base_rps:8.2f}x")
        say("Both clusters and both servers share this machine's 2 CPUs: (b) shows where the reads "
            "go and what the routing costs, not added capacity (that comes from the replica being "
            "another machine).")

        drills = {}
        base = bases["(b) primary + replica"]
        for which, label in (("replica", "(c) replica stopped mid-run"),
                             ("primary", "(d) primary stopped mid-run")):
            say(f"\n{label}: wrk -c{args.connections} on release pages for {4 * args.drill_seconds} s; "
                f"the {which} stopped (immediate) at {args.drill_seconds} s, started at "
                f"{2 * args.drill_seconds} s")
            d = drill(pair, which, base, lists["release pages"], work, args.drill_seconds,
                      args.connections, args.settle)
            drills[label] = d
            answered += d["wrk"]["requests"] - d["wrk"]["status"]
            ph = d["phases"]
            for name in ("before", "during", "after"):
                say(f"  {name:7} {ph[name]['rps']:7.1f} req/s   non-2xx/3xx {ph[name]['errors']:5}"
                    f"   ({ph[name]['seconds']} whole seconds)")
            say(f"  whole run: {d['wrk']['requests']} answers, errors: status {d['wrk']['status']}, "
                f"connect {d['wrk']['connect']}, read {d['wrk']['read']}, timeout {d['wrk']['timeout']}; "
                f"p95 {d['wrk']['p95_us'] / 1000:.1f} ms, p99 {d['wrk']['p99_us'] / 1000:.1f} ms; "
                f"{which} restarted in {d['restart_s']:.1f} s")
            w = d["where"]
            during = w["during"]
            say(f"  reads: before, replica share of xacts {pct(w['before'][0])}; during, "
                f"xacts on the primary {during['primary'][0] if during['primary'] else 'down'}, "
                f"on the replica {during['replica'][0] if during['replica'] else 'down'}; "
                f"after, replica share {pct(w['after'][0])}")
            say(f"  other pages while the {which} was down (as a bot): "
                + ", ".join(f"{p} {s}" for p, s in d["probes"].items()))
            pair.wait_replayed(timeout=300)
        flush_failures = servers["(b) primary + replica"][1].read_text(errors="replace").count(
            "visitor count flush failed")
    finally:
        for proc, _ in servers.values():
            stop_server(proc)
        if servers and pair.primary.running():
            recorded = int(pair.primary.psql(counted_sql, DB)) - counted_before
        else:
            recorded = None
        pair.remove()
    say(f"\nvisitor counts: {flush_failures} flushes failed while the primary was down (the "
        f"counts were kept and written later); recorded {recorded} views, release pages "
        f"answered to browsers {answered} (recorded may exceed answered by the requests in "
        f"flight when each wrk run ended)")
    out = data / "results.json"
    out.write_text(json.dumps({"summary": summary, "drills": {
        k: {"phases": v["phases"], "wrk": v["wrk"], "probes": v["probes"],
            "restart_s": v["restart_s"]} for k, v in drills.items()},
        "recorded": recorded, "answered": answered, "flush_failures": flush_failures}, indent=1))
    say(f"figures in {out}; logs in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
