"""Load benchmark: the production server under wrk, and visitor counts checked afterwards.

    .venv/bin/python bench/load_bench.py [--releases 100000] [--duration 15] [--redis]

Builds (once, then reuses) a data folder with a synthetic archive of --releases releases
(bench/synth.py, loaded by `pressroom import`), starts `pressroom serve` — gunicorn,
as `make serve` runs it — on a free loopback port, and drives it with wrk (32 connections,
2 threads, --duration seconds each) on: a trivial view (/robots.txt, the baseline), release
pages (--hot-share, 80%, of views on the newest 1,000 releases, the rest anywhere; every request
a different reader with a browser User-Agent, so each should count), listings, a feed and the
API. Before measuring, --warmup seconds of the same release-page traffic sent as a bot (not
counted) warm the workers' page caches, as a server that has been up a while has them.
It prints requests/s, p50 and p99 latency and errors for each, and release pages'
requests/s as a share of the trivial view's. Then it stops the server gracefully (which
flushes the counters) and compares the views recorded with the release pages served (the
server's access log) and with those wrk saw completed.
"""

import argparse
import json
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from servers import (  # noqa: E402
    LUA_COMMON,
    bench_env,
    newest_ids,
    prepare,
    start_pressroom,
    wait_serving,
)
from servers import wrk_script as wrk  # noqa: E402

from pressroom.testing import free_port  # noqa: E402

LUA_FIXED = LUA_COMMON + r"""
request = function()
  return wrk.format("GET", wrk.path, {["User-Agent"] = ua()})
end
"""

LUA_RELEASES = LUA_COMMON + r"""
init = function(args)
  ids = load_ids(args[1])
  hot_share = tonumber(args[2])
  as_bot = args[3] == "bot"
  math.randomseed(tid * 7919 + os.time())
end
request = function()
  local i
  if math.random() < hot_share then i = math.random(1, math.min(1000, #ids)) else i = math.random(1, #ids) end
  return wrk.format("GET", "/release/" .. ids[i] .. "/", {["User-Agent"] = ua()})
end
"""

LUA_LISTINGS = LUA_COMMON + r"""
init = function(args) math.randomseed(tid * 104729 + os.time()) end
request = function()
  local r = math.random()
  local path
  if r < 0.2 then path = "/" elseif r < 0.7 then path = "/releases/?page=" .. math.random(1, 50)
  else
    local m = (r < 0.85 and "defence" or "railways")
    path = "/releases/?ministry=ministry-of-" .. m .. "&page=" .. math.random(1, 5)
  end
  return wrk.format("GET", path, {["User-Agent"] = ua()})
end
"""

LUA_API = LUA_COMMON + r"""
init = function(args)
  ids = load_ids(args[1])
  math.randomseed(tid * 15485863 + os.time())
end
request = function()
  local path
  if math.random() < 0.5 then path = "/api/v1/releases?limit=20"
  else path = "/api/v1/releases/" .. ids[math.random(1, #ids)] end
  return wrk.format("GET", path, {["User-Agent"] = ua(), ["Accept"] = "application/json"})
end
"""


def counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as c:
        total = c.execute("SELECT coalesce(sum(visitor_count), 0) "
                          "FROM releases_languageversion").fetchone()[0]
        daily = c.execute("SELECT coalesce(sum(views), 0) FROM counters_dailyviews").fetchone()[0]
    return total, daily


def served_release_pages(log: Path) -> tuple[int, int]:
    """Release pages the server answered 200 to a (bench) browser, from its JSON request log
    (website.middleware.RequestLogMiddleware): (views, distinct reader-and-page pairs — what
    should count)."""
    n, pairs = 0, set()
    with log.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if '"path": "/release/' not in line or "reader/" not in line:
                continue
            try:
                entry = json.loads(line[line.index("{"):])
            except ValueError:
                continue
            if entry.get("status") == 200 and entry.get("method") == "GET":
                n += 1
                pairs.add((entry["agent"], entry["path"]))
    return n, len(pairs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per target")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=20,
                        help="seconds of release-page traffic (as a bot: not counted) before measuring")
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder (default var/bench-<releases>, kept for the next run)")
    parser.add_argument("--hot-share", type=float, default=0.8,
                        help="share of release-page views on the newest 1,000 releases (the rest: anywhere)")
    parser.add_argument("--stop-midway", action="store_true",
                        help="only release pages, and stop the server (SIGTERM) halfway through")
    parser.add_argument("--redis", default="", help="REDIS_URL for the counters (default: in process)")
    args = parser.parse_args(argv)

    data = (args.data or ROOT / "var" / f"bench-{args.releases}").resolve()
    data.mkdir(parents=True, exist_ok=True)
    env = bench_env(data)
    if args.redis:
        env["REDIS_URL"] = args.redis
    prepare(data, args.releases, env)
    db = data / "pressroom.sqlite3"

    work = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
    ids = work / "ids.txt"
    print(f"{newest_ids(db, ids)} release IDs; wrk -t2 -c{args.connections} -d{args.duration}s each")
    scripts = {}
    for name, text in (("fixed", LUA_FIXED), ("releases", LUA_RELEASES), ("listings", LUA_LISTINGS),
                       ("api", LUA_API)):
        scripts[name] = work / f"{name}.lua"
        scripts[name].write_text(text)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = work / "server.log"
    with log.open("w") as log_file:
        server = start_pressroom(env, port, log_file)
    try:
        wait_serving(base, server)
        for path in ("/robots.txt", "/", "/releases/?page=2", "/feeds/latest.atom", "/api/v1/releases"):
            for _ in range(10):  # warm every worker a little; urllib is a bot, so nothing counts
                urllib.request.urlopen(base + path, timeout=30).read()
        if args.warmup:
            # Each worker fills its page cache as a long-running server's would have; a bot's
            # views, so they do not count.
            wrk(base, "/", scripts["releases"], [str(ids), str(args.hot_share), "bot"], args.warmup,
                args.connections)
        before = counts(db)
        targets = [
            ("trivial view (/robots.txt)", "/robots.txt", "fixed", []),
            ("release pages", "/", "releases", [str(ids), str(args.hot_share)]),
            ("listings (/, /releases/)", "/", "listings", []),
            ("feed (/feeds/latest.atom)", "/feeds/latest.atom", "fixed", []),
            ("API (list + detail)", "/", "api", [str(ids)]),
        ]
        if args.stop_midway:
            # The check "counts survive a stop mid-load": SIGTERM the server halfway through the
            # release pages; gunicorn finishes in-flight requests and each worker flushes.
            targets = targets[1:2]
            threading.Timer(args.duration / 2, server.send_signal, [signal.SIGTERM]).start()
        results = {}
        for label, path, script, extra in targets:
            results[label] = wrk(base, path, scripts[script], extra, args.duration, args.connections)
            r = results[label]
            print(f"  {label:30} {r['rps']:8.1f} req/s   p50 {r['p50_us'] / 1000:7.1f} ms   "
                  f"p99 {r['p99_us'] / 1000:7.1f} ms   errors {r['errors']}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)  # graceful: workers finish, then flush their counts
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    after = counts(db)

    pages = results["release pages"]
    trivial = results.get("trivial view (/robots.txt)", pages)["rps"]
    served, distinct = served_release_pages(log)
    recorded, recorded_daily = after[0] - before[0], after[1] - before[1]
    print()
    counting = "Redis" if args.redis else "in-process buffer"
    if args.stop_midway:
        print(f"server stopped (SIGTERM) halfway through the release pages; counting: {counting}")
    else:
        print(f"release pages / trivial view: {pages['rps'] / trivial:.0%} of its requests per second "
              f"(aim >= 50%), counting on ({counting})")
    print(f"views: served {served} (server log; {distinct} distinct reader+page), completed "
          f"{pages['requests']} (wrk), recorded {recorded} (visitor counters), "
          f"{recorded_daily} (daily counts)")
    exact = recorded == served == recorded_daily == distinct
    print("counts exact" if exact else "COUNTS DIFFER")
    print(f"total errors: {sum(r['errors'] for r in results.values())}"
          f"{' (connections refused after the stop)' if args.stop_midway else ''}; server log: {log}")
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
