"""Request-path benchmark: what Pressroom's middleware, views and templates cost per request,
against a bare Django view under the same gunicorn.

    .venv/bin/python bench/request_bench.py [--releases 20000] [--seconds 4] [--rounds 5]

Builds (once, then reuses) a data folder with a synthetic archive (bench/synth.py, loaded as
load_bench does), then starts two servers side by side with the same gunicorn settings
(`serve.worker_config`: workers, threads, keep-alive, recycling): `pressroom serve` (its
publishing and alerts children off: only the request path is measured), and a bare Django app
(bench/bare_django.py: no middleware, one view). wrk (-t2, --connections, --seconds each)
loads, in turns, round after round (so load from elsewhere on this shared machine falls on
every target alike):

- bare Django view          the floor: Django and gunicorn alone;
- /robots.txt               a trivial Pressroom view: the middleware stack's cost;
- release page (hot)        one release page, from the workers' page cache;
- release .json (hot)       /release/<id>.json of the same release;
- API detail (hot)          /api/v1/releases/<id> of the same release;
- release pages (first)     random releases of the whole archive: mostly rendered afresh
                            (each worker caches 2,000 pages).

Every request is a reader (a browser User-Agent, the same one). For each target: the median
requests/s, p50 and p95 latency, and server CPU ms/request (utime + stime of the workers,
from /proc, before and after each run, reaped workers included) over the rounds; then the
ratios robots/bare, json/html and api/html, and how many workers gunicorn recycled.
"""

import argparse
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]  # this checkout's code

import servers as bench_servers  # noqa: E402

from pressroom.testing import free_port  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")

LUA = r"""
ua = "BROWSER_UA"
ids = nil
init = function(args)
  if args[1] then
    ids = {}
    for line in io.lines(args[1]) do ids[#ids + 1] = line end
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end
request = function()
  local path = wrk.path
  if ids then path = "/release/" .. ids[math.random(1, #ids)] .. "/" end
  return wrk.format("GET", path, {["User-Agent"] = ua})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p95_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
""".replace("BROWSER_UA", bench_servers.BROWSER)


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                found.append(int(entry))
    return found


def stat_fields(pid: int) -> list[str]:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2:].split()  # fields from the 3rd (state) on


def worker_cpu(master: int) -> tuple[float, set[int]]:
    """CPU seconds used so far by the master's workers: the live ones' utime + stime, and the
    reaped ones' (the master's cutime + cstime); and the live workers' pids."""
    fields = stat_fields(master)
    ticks = int(fields[13]) + int(fields[14])  # cutime, cstime
    pids = set()
    for pid in children(master):
        try:
            f = stat_fields(pid)
        except OSError:  # it ended meanwhile: its time is in cutime by the next reading
            continue
        ticks += int(f[11]) + int(f[12])  # utime, stime
        pids.add(pid)
    return ticks / TICK, pids


def worker_rss_mb(pids) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def wrk(url: str, script: Path, seconds: int, connections: int, *args: str) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s",
           str(script), url, "--", *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result = json.loads(next(x for x in out.splitlines() if x.startswith("BENCH "))[6:])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def hot_release(db: Path) -> int:
    """The newest release with a translation (two versions: a typical page), else the newest."""
    with sqlite3.connect(db) as c:
        row = c.execute(
            "SELECT r.release_id FROM releases_release r JOIN releases_languageversion v "
            "ON v.release_id = r.release_id WHERE r.status = 'published' GROUP BY r.release_id "
            "HAVING count(*) > 1 ORDER BY r.posted_at DESC, r.release_id DESC LIMIT 1").fetchone()
        if row is None:
            row = c.execute("SELECT release_id FROM releases_release ORDER BY posted_at DESC, "
                            "release_id DESC LIMIT 1").fetchone()
    return row[0]


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=4, help="seconds per target and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=0,
                        help="gunicorn workers of both servers (default: serve's, 2 x CPUs + 1)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder (default var/bench-<releases>, shared with load_bench)")
    args = parser.parse_args(argv)

    from pressroom.website.management.commands.serve import default_workers
    workers = args.workers or default_workers()
    data = (args.data or ROOT / "var" / f"bench-{args.releases}").resolve()
    data.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    # This checkout's code, whatever the virtualenv was installed from.
    env.update(PRESSROOM_DATA=str(data), PRESSROOM_DEBUG="",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    bench_servers.prepare(data, args.releases, env)
    db = data / "pressroom.sqlite3"
    work = Path(tempfile.mkdtemp(prefix="pressroom-request-bench-"))
    ids = work / "ids.txt"
    n_ids = bench_servers.newest_ids(db, ids)
    script = work / "bench.lua"
    script.write_text(LUA)
    rid = hot_release(db)

    ports = {"pressroom": free_port(), "bare": free_port()}
    log = work / "server.log"
    with log.open("w") as log_file:
        servers = {
            "pressroom": subprocess.Popen(
                [BIN / "pressroom", "serve", "--bind", f"127.0.0.1:{ports['pressroom']}",
                 "--workers", str(workers), "--threads", str(args.threads), "--no-collectstatic",
                 "--publish-every", "0", "--alerts-every", "0"],
                env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT),
            "bare": subprocess.Popen(
                [sys.executable, ROOT / "bench" / "bare_django.py", "--bind",
                 f"127.0.0.1:{ports['bare']}", "--workers", str(workers), "--threads",
                 str(args.threads)], env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT),
        }
    base = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    targets = [  # label, server, path, wrk script arguments
        ("bare Django view", "bare", "/robots.txt", []),
        ("/robots.txt", "pressroom", "/robots.txt", []),
        ("release page (hot)", "pressroom", f"/release/{rid}/", []),
        ("release .json (hot)", "pressroom", f"/release/{rid}.json", []),
        ("API detail (hot)", "pressroom", f"/api/v1/releases/{rid}", []),
        ("release pages (first)", "pressroom", "/", [str(ids)]),
    ]
    results: dict[str, list[dict]] = {label: [] for label, *_ in targets}
    try:
        for name, proc in servers.items():
            bench_servers.wait_serving(base[name], proc)
            deadline = time.monotonic() + 120  # every worker booted: a late one is no recycle
            while len(children(proc.pid)) < workers and time.monotonic() < deadline:
                time.sleep(0.2)
        _, pids_at_start = worker_cpu(servers["pressroom"].pid)
        rss_start = worker_rss_mb(pids_at_start)
        print(f"{n_ids} releases; hot release {rid}; {workers} workers x {args.threads} threads "
              f"each server; wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds "
              "in turns", flush=True)
        for _label, name, path, extra in targets:  # warm up: imports, templates, page caches
            wrk(base[name] + path, script, 1, args.connections, *extra)
        seen = set(pids_at_start)
        served = 0
        for _ in range(args.rounds):
            for label, name, path, extra in targets:
                master = servers[name].pid
                cpu_before, _ = worker_cpu(master)
                r = wrk(base[name] + path, script, args.seconds, args.connections, *extra)
                cpu_after, pids = worker_cpu(master)
                r["cpu_ms"] = (cpu_after - cpu_before) * 1000 / max(r["requests"], 1)
                results[label].append(r)
                if name == "pressroom":
                    seen |= pids
                    served += r["requests"]
        _, pids_at_end = worker_cpu(servers["pressroom"].pid)
        rss_end = worker_rss_mb(pids_at_end)
    finally:
        for proc in servers.values():
            stop(proc)

    med = {label: {k: statistics.median(r[k] for r in rs)
                   for k in ("rps", "p50_us", "p95_us", "cpu_ms", "errors")}
           for label, rs in results.items()}
    print(f"\n{'target':24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms/req':>11}  errors"
          f"   (medians of {args.rounds} rounds)")
    for label, m in med.items():
        print(f"{label:24} {m['rps']:8.0f} {m['p50_us'] / 1000:8.2f} {m['p95_us'] / 1000:8.2f} "
              f"{m['cpu_ms']:11.2f}  {sum(r['errors'] for r in results[label])}")
    bare, robots = med["bare Django view"], med["/robots.txt"]
    html = med["release page (hot)"]
    print()
    print(f"ratio robots/bare: {robots['rps'] / bare['rps']:.2f} req/s (aim >= 0.75), "
          f"middleware {1 - bare['cpu_ms'] / robots['cpu_ms']:.0%} of /robots.txt's CPU")
    print(f"ratio json/html:   {med['release .json (hot)']['rps'] / html['rps']:.2f} req/s (aim >= 1)")
    print(f"ratio api/html:    {med['API detail (hot)']['rps'] / html['rps']:.2f} req/s (aim >= 1)")
    print(f"ratio first/hot release page: {med['release pages (first)']['rps'] / html['rps']:.2f} "
          "req/s")
    print(f"workers recycled: {len(seen) - len(pids_at_start)} over {served} Pressroom requests; "
          f"workers' memory {rss_start:.0f} MB at start, {rss_end:.0f} MB at the end")
    errors = sum(r["errors"] for rs in results.values() for r in rs)
    print(f"total errors: {errors}; server log: {log}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
