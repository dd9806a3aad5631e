"""Which production server for `pressroom serve`: gunicorn (gthread), granian (WSGI), uvicorn (ASGI).

Each server runs the same app on the same data with the same process count; wrk loads a
release page and a listing page; the figures are medians of --runs runs, with ratios
against gunicorn measured in the same run. Usage (data made by `make sample` or any import):

    PRESSROOM_DATA=var .venv/bin/python bench/servers.py [--workers 2] [--seconds 8] [--runs 3]

granian and uvicorn are not dependencies: `pip install granian uvicorn` into .venv to compare.
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402

from pressroom.testing import free_port  # noqa: E402,F401 (cache_proxy takes it from here)

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


def commands(port: int, workers: int, threads: int) -> dict[str, list[str]]:
    bind = f"127.0.0.1:{port}"
    return {
        "gunicorn": [str(BIN / "gunicorn"), "-k", "gthread", "-w", str(workers), "--threads",
                     str(threads), "-b", bind, "--access-logfile", "/dev/null",
                     "pressroom.wsgi:application"],
        "granian": [str(BIN / "granian"), "--interface", "wsgi", "--workers", str(workers),
                    "--blocking-threads", str(threads), "--host", "127.0.0.1", "--port", str(port),
                    "--no-access-log", "pressroom.wsgi:application"],
        "uvicorn": [str(BIN / "uvicorn"), "--workers", str(workers), "--host", "127.0.0.1",
                    "--port", str(port), "--no-access-log", "--log-level", "warning",
                    "pressroom.asgi:application"],
    }


def collect_static_once(env: dict) -> None:
    """collectstatic unless the data folder has the collected files already: a benchmark's
    server then starts in seconds (collecting and compressing takes a minute or more here)."""
    data = Path(env.get("PRESSROOM_DATA", "var")).resolve()
    if not (data / "static" / "staticfiles.json").exists():
        subprocess.run([str(BIN / "pressroom"), "collectstatic", "--noinput", "-v0"], env=env,
                       check=True)


# Shared by the server benches (load_bench, peer_bench): the archive, the server, wrk with a
# Lua script that prints one JSON line.

def bench_env(data: Path) -> dict:
    """The environment of a bench's `pressroom` commands: its own data folder, SQLite, counters
    in process (unless the bench sets REDIS_URL), production settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PRESSROOM_DATA=str(data), PRESSROOM_DEBUG="")
    return env


def prepare(data: Path, count: int, env: dict):
    """Make (or reuse) the data folder's synthetic archive of `count` releases (bench/synth.py,
    loaded by `pressroom import`), migrated and with collected static files."""
    db = data / "pressroom.sqlite3"
    subprocess.run([BIN / "pressroom", "migrate", "--noinput", "-v", "0"], env=env, check=True,
                   cwd=ROOT)
    collect_static_once(env)
    have = sqlite3.connect(db).execute("SELECT count(*) FROM releases_release").fetchone()[0]
    if have == count:
        print(f"reusing {data} ({have} releases)")
        return
    jsonl = data / f"synth-{count}.jsonl"
    if not jsonl.exists():
        synth.write_jsonl(count, jsonl)
    t = time.monotonic()
    subprocess.run([BIN / "pressroom", "import", "--quiet", str(jsonl)], env=env, check=True,
                   cwd=ROOT)
    print(f"imported {count} releases in {time.monotonic() - t:.0f} s")


def newest_ids(db: Path, path: Path):
    """Every release ID shown to readers, newest first, one a line in `path`; their number."""
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT release_id FROM releases_release WHERE status != 'removed' "
                         "ORDER BY posted_at DESC, release_id DESC").fetchall()
    path.write_text("".join(f"{r[0]}\n" for r in rows))
    return len(rows)


def start_pressroom(env: dict, port: int, log_file, *options: str) -> subprocess.Popen:
    """`pressroom serve` (gunicorn, as `make serve` runs it) on 127.0.0.1:`port`."""
    return subprocess.Popen([BIN / "pressroom", "serve", "--bind", f"127.0.0.1:{port}",
                             "--no-collectstatic", *options], env=env, cwd=ROOT,
                            stdout=log_file, stderr=subprocess.STDOUT)


def wait_serving(base: str, proc, timeout=300, path="/healthz"):
    """Until `base` + `path` answers 200; an error if `proc` exits first."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("the server exited while starting; see its log")
        try:
            with urllib.request.urlopen(base + path, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not come up")


BROWSER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0 Safari/537.36")

# Every script ends by printing one JSON line wrk's summary; `ua()` makes each request a new reader.
LUA_COMMON = r"""
local counter = 0
tid = 0  -- global: setup() numbers the threads in the main state, thread:set() gives each its own
function setup(thread)
  tid = tid + 1
  thread:set("tid", tid)
end
as_bot = false
function ua()
  counter = counter + 1
  if as_bot then return "pressroom-bench-warmup bot" end
  return "BROWSER_UA reader/" .. tid .. "." .. counter
end
function load_ids(path)
  local ids = {}
  for line in io.lines(path) do ids[#ids + 1] = line end
  return ids
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
""".replace("BROWSER_UA", BROWSER)


def wrk_script(base: str, path: str, script: Path, args: list[str], duration: int,
               connections: int) -> dict:
    """wrk -t2 with a script built on LUA_COMMON: its summary, plus rps and errors."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script),
           base + path, "--", *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    result = json.loads(line[6:])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    return result


def wait_up(url: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def wrk(url: str, seconds: int, connections: int) -> tuple[float, float]:
    """Requests per second and the 99th percentile latency (ms)."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    return rps, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--paths", default="/release/1548606/,/releases/")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pressroom.settings"}
    collect_static_once(env)
    # All servers up at once, measured in turns (round-robin), so that the load of anything
    # else on the machine drifts over all of them alike rather than over one.
    servers, procs = {}, []
    names = ["gunicorn", "gunicorn-1thread", "granian", "uvicorn"]
    try:
        for name in names:
            port = free_port()
            cmd = commands(port, args.workers, 1 if name.endswith("1thread") else args.threads)[
                name.removesuffix("-1thread")]
            if not Path(cmd[0]).exists():
                print(f"{name}: not installed, skipped")
                continue
            procs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
            servers[name] = f"http://127.0.0.1:{port}"
        for base in servers.values():
            wait_up(base + "/healthz")
        paths = args.paths.split(",")
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for base in servers.values():
            for path in paths:
                wrk(base + path, 2, args.connections)  # warm up
        for _ in range(args.runs):
            for path in paths:
                for name, base in servers.items():
                    results.setdefault((name, path), []).append(
                        wrk(base + path, args.seconds, args.connections))
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
    print(f"{args.workers} workers x {args.threads} threads (gunicorn-1thread: x 1), "
          f"wrk -t2 -c{args.connections} -d{args.seconds}s, median of {args.runs} runs taken in turns")
    for path in paths:
        base_rps = statistics.median(r for r, _ in results.get(("gunicorn", path), [(0, 0)])) or None
        for name in servers:
            rps = statistics.median(r for r, _ in results[name, path])
            p99 = statistics.median(p for _, p in results[name, path])
            ratio = f"{rps / base_rps:.2f}x gunicorn" if base_rps else ""
            print(f"{path:20} {name:17} {rps:7.0f} req/s  p99 {p99:7.1f} ms  {ratio}")


if __name__ == "__main__":
    main()
