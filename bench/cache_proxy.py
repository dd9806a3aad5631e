"""A caching proxy in front of `pressroom serve`: req/s through nginx's cache against straight
to the app, with the cache rules of docs/deploy.md (PRESSROOM_PAGE_MAX_AGE on).

    PRESSROOM_DATA=var .venv/bin/python bench/cache_proxy.py [--seconds 6] [--runs 3]

Needs nginx (Debian: apt-get install nginx-light) and wrk. Medians of runs taken in turns.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import BIN, collect_static_once, free_port, wait_up, wrk  # noqa: E402

NGINX_CONF = """
daemon off; worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  proxy_cache_path {tmp}/cache keys_zone=pressroom:10m;
  upstream app {{ server 127.0.0.1:{app_port}; keepalive 32; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_cache pressroom; proxy_cache_bypass $cookie_sessionid; proxy_no_cache $cookie_sessionid;
      proxy_cache_use_stale updating; proxy_cache_background_update on; proxy_cache_lock on;
      add_header X-Cache $upstream_cache_status;
    }}
  }}
}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=6)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--paths", default="/release/1548606/,/releases/")
    args = ap.parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not (Path(nginx).exists() and shutil.which("wrk")):
        sys.exit("needs nginx and wrk (apt-get install nginx-light wrk)")
    env = {**os.environ, "PRESSROOM_PAGE_MAX_AGE": "60", "PRESSROOM_REQUEST_LOG": "0"}
    app_port, port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # nginx's workers run as an unprivileged user
        (Path(tmp) / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, app_port=app_port,
                                                                port=port))
        collect_static_once(env)
        app = subprocess.Popen([str(BIN / "pressroom"), "serve", "--bind", f"127.0.0.1:{app_port}",
                                "--workers", str(os.cpu_count() or 2), "--no-collectstatic",
                                "--publish-every", "0"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proxy = subprocess.Popen([nginx, "-c", f"{tmp}/nginx.conf", "-p", tmp],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            direct, cached = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{port}"
            wait_up(direct + "/healthz")
            wait_up(cached + "/healthz")
            paths = args.paths.split(",")
            for path in paths:
                urllib.request.urlopen(cached + path).read()
                status = urllib.request.urlopen(cached + path).headers["X-Cache"]
                print(f"{path}: second fetch through the proxy: X-Cache {status}")
            results = {}
            for _ in range(args.runs):
                for path in paths:
                    for name, base in (("app", direct), ("proxy cache", cached)):
                        results.setdefault((name, path), []).append(
                            wrk(base + path, args.seconds, args.connections))
        finally:
            proxy.terminate()
            app.terminate()
            proxy.wait(timeout=30)
            app.wait(timeout=30)
    print(f"wrk -t2 -c{args.connections} -d{args.seconds}s, median of {args.runs} in turns")
    for path in paths:
        base = statistics.median(r for r, _ in results["app", path])
        for name in ("app", "proxy cache"):
            rps = statistics.median(r for r, _ in results[name, path])
            p99 = statistics.median(p for _, p in results[name, path])
            print(f"{path:20} {name:12} {rps:8.0f} req/s  p99 {p99:7.1f} ms  {rps / base:6.1f}x app")


if __name__ == "__main__":
    main()
