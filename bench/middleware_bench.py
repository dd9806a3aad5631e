"""Where a trivial request's time goes in Pressroom's Django: each middleware's share, in-process.

    .venv/bin/python bench/middleware_bench.py [--requests 4000] [--rounds 7] [--path /robots.txt]

bench/request_bench.py measures /robots.txt against a bare Django view under gunicorn (the
aim: the middleware at most a quarter of a trivial request); this one says which middleware
the difference is made of, without a server or network. It calls Django's WSGI handler
directly with a reader's request (a browser's User-Agent, Accept-Language, no cookies):

- full             settings.MIDDLEWARE as `pressroom serve` runs it (the request log on,
                   its lines kept in memory, as under the server);
- without <group>  the same less one group (sessions and sign-in go together: Django's
                   authentication needs the session);
- no middleware    the URL resolving, the view and Django's request signals alone;
- bare Django      bench/bare_django.py's app (one view, no apps, no middleware), in a process
                   of its own: the floor.

Each figure is the median over --rounds rounds of --requests requests, the variants taken in
turns inside each round (load from elsewhere on the machine falls on all alike). A group's
cost is the full stack's median less the median without it.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36"

# Middleware by what it is for; a group is left out as a whole.
GROUPS = {
    "request log": ["RequestLogMiddleware"],
    "security headers": ["SecurityMiddleware", "SecurityHeadersMiddleware", "XFrameOptionsMiddleware"],
    "static files (WhiteNoise)": ["WhiteNoiseMiddleware"],
    "open data headers": ["PublicReadMiddleware"],
    "sessions and sign-in": ["ReaderSessionMiddleware", "AuthenticationMiddleware",
                             "LazyMessageMiddleware", "AxesMiddleware"],
    "interface language": ["LocaleMiddleware"],
    "common (host, slash)": ["CommonMiddleware"],
    "ETag and 304": ["ConditionalGetMiddleware"],
    "CSRF": ["CsrfViewMiddleware"],
    "replica routing": ["PinPrimaryMiddleware", "ReplicaFallbackMiddleware"],
}


def environ(path: str) -> dict:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "HTTP_USER_AGENT": UA,
            "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_ACCEPT": "text/html",
            "HTTP_ACCEPT_ENCODING": "gzip", "HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def per_request_us(app, path: str, n: int) -> float:
    status = []

    def start_response(s, headers, exc_info=None):
        status.append(s)

    start = time.perf_counter()
    for _ in range(n):
        body = app(environ(path), start_response)
        b"".join(body)
        body.close()
    us = (time.perf_counter() - start) / n * 1e6
    if not status[-1].startswith("200"):
        raise SystemExit(f"{path} answered {status[-1]}")
    return us


def bare_floor(args) -> None:
    """In a process of its own: bench/bare_django.py's app, called as the others are."""
    import django
    from django.conf import settings

    settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], ROOT_URLCONF="bare_django", MIDDLEWARE=[],
                       INSTALLED_APPS=[], SECRET_KEY="bench-only-not-secret", USE_TZ=True)
    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    app = WSGIHandler()
    per_request_us(app, "/robots.txt", 300)
    print(json.dumps([per_request_us(app, "/robots.txt", args.requests) for _ in range(args.rounds)]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="requests per variant and round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--path", default="/robots.txt", help="a page any reader may fetch")
    parser.add_argument("--bare-floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_floor:
        return bare_floor(args)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    os.environ.setdefault("PRESSROOM_DATA", str(ROOT / "var"))
    os.environ["PRESSROOM_REQUEST_LOG"] = "1"
    os.environ["PRESSROOM_REQUEST_LOG_FLUSH_SECONDS"] = "3600"  # kept, as under the server
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    from pressroom.website.middleware import request_log

    request_log.every = 3600.0
    request_log.BUFFER_BYTES = 1 << 40  # never written: the lines stay in memory
    full = list(settings.MIDDLEWARE)
    groups = {name: [m for m in full if m.rsplit(".", 1)[1] in classes]
              for name, classes in GROUPS.items()}
    groups = {name: found for name, found in groups.items() if found}
    listed = {m for found in groups.values() for m in found}
    if set(full) - listed:
        raise SystemExit(f"middleware in no group: {sorted(set(full) - listed)}")

    def handler(middleware):
        settings.MIDDLEWARE = middleware
        return WSGIHandler()

    variants = {"full": handler(full)}
    variants |= {f"without {name}": handler([m for m in full if m not in found])
                 for name, found in groups.items()}
    variants["no middleware"] = handler([])
    settings.MIDDLEWARE = full
    for app in variants.values():
        per_request_us(app, args.path, 300)  # warm: templates, URL caches, the first connection
    times = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, app in variants.items():
            times[name].append(per_request_us(app, args.path, args.requests))
            request_log.pending.clear()
            request_log.bytes = 0
    bare = json.loads(subprocess.run(
        [sys.executable, __file__, "--bare-floor", "--requests", str(args.requests),
         "--rounds", str(args.rounds)], capture_output=True, text=True, check=True,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}).stdout)
    median = {name: statistics.median(t) for name, t in times.items()}
    floor = statistics.median(bare)
    total = median["full"]
    print(f"{args.path}, in-process, medians of {args.rounds} rounds of {args.requests:,} requests")
    print(f"{'':34}{'us/request':>11}")
    print(f"{'full stack':34}{total:11.1f}")
    print(f"{'no middleware':34}{median['no middleware']:11.1f}")
    print(f"{'bare Django (bench/bare_django.py)':34}{floor:11.1f}")
    print(f"\n{'middleware group':34}{'us':>8}{'share of full':>15}")
    for name in groups:
        cost = total - median[f"without {name}"]
        print(f"{name:34}{cost:8.1f}{cost / total:14.0%}")
    stack = total - median["no middleware"]
    print(f"\nthe middleware together: {stack:.1f} us, {stack / total:.0%} of the request "
          f"(ratio full / bare Django: {total / floor:.2f})")
    print(f"beyond bare Django without middleware (URLs, the view, the apps' signals): "
          f"{median['no middleware'] - floor:.1f} us")
    return 0


if __name__ == "__main__":
    sys.exit(main())
