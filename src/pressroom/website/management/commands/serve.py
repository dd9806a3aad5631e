"""`pressroom serve`: the production server.

gunicorn with threaded workers (gthread) runs the WSGI app; WhiteNoise serves the collected,
hashed and pre-compressed (gzip, brotli) static files from the same processes. Chosen over
granian and uvicorn by bench/servers.py (figures in docs/deploy.md): on this app the server
is not the bottleneck, Django's view and template time is, so the mature, pure-Python, widely
deployed server wins on operations (graceful reloads, max-requests, known behaviour behind
proxies).
"""

import gc
import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pressroom import lifeline
from pressroom.website import staticstamp

# A Unix socket's path must fit in sun_path (108 bytes on Linux, 104 on the BSDs).
SOCKET_PATH_MAX = 100


def cpu_count() -> int:
    """CPUs this process may use (a container's or taskset's limit, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """gunicorn's advice, 2 x cores + 1: a worker waiting on the database leaves a core busy."""
    return 2 * cpu_count() + 1


SERVE_LOG_FLUSH_SECONDS = 1.0


def _worker_exit(server, worker):
    """What a worker holds goes out before it does: visitor counts, request log lines."""
    from pressroom.counters.buffer import flush
    from pressroom.website.middleware import request_log

    try:
        flush()
    finally:
        request_log.flush()


def _worker_dies_with_master(server, worker):
    """In each new worker: the kernel ends it if the master is killed (gunicorn's own
    parent check is the fallback, in the worker's loop)."""
    lifeline.die_with_parent(server.pid)


def control_socket() -> dict:
    """gunicorn's control socket (`gunicornc`) in $PRESSROOM_DATA, this instance's own: its
    default, ~/.gunicorn/gunicorn.ctl, is one path for every instance of the user. Off when
    the data folder's path is too long for a socket."""
    path = os.path.join(settings.PRESSROOM["DATA_DIR"], "gunicorn.ctl")
    if len(os.fsencode(path)) > SOCKET_PATH_MAX:
        return {"control_socket_disable": True}
    return {"control_socket": path, "control_socket_mode": 0o600}


def worker_config(workers: int, threads: int) -> dict:
    """The gunicorn settings that decide how fast `pressroom serve` answers (workers, threads,
    keep-alive, recycling). bench/request_bench.py runs its bare Django app under these too."""
    return {
        "workers": workers, "threads": threads, "worker_class": "gthread",
        # Request lines come from RequestLogMiddleware as JSON; gunicorn's own would double them.
        "accesslog": None, "errorlog": "-", "loglevel": "info",
        "timeout": 60, "graceful_timeout": 20, "keepalive": 5,
        # Recycle a worker now and then so a slow leak never grows unbounded, but rarely: a new
        # worker starts with empty page caches (5,000 recycled workers 63 times in one bench
        # round). Their memory is bounded (pagecache.MAX_ENTRIES, MAX_BYTES) and stays flat under load
        # (bench/request_bench.py prints it).
        "max_requests": 200_000, "max_requests_jitter": 20_000,
        "pre_fork": _freeze_heap,
    }


def _freeze_heap(server, worker):
    """In the master, just before a worker is forked: what is loaded so far (Django, the app,
    its URLs and templates) is moved out of the garbage collector's reach (gc.freeze), so a
    worker's collections walk only what its requests made (about 5% of a trivial request),
    and the pages of memory it shares with the master stay shared."""
    gc.freeze()


class Command(BaseCommand):
    help = "Serve Pressroom with gunicorn (production WSGI server), static files by WhiteNoise."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=settings.PRESSROOM["BIND"])
        parser.add_argument("--workers", type=int, default=settings.PRESSROOM["WORKERS"],
                            help="worker processes (default: 2 x CPU cores + 1)")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="static files were collected already (read-only image)")

        parser.add_argument("--publish-every", type=float, default=15, metavar="SECONDS",
                            help="run the scheduled-publishing loop beside the server "
                                 "every SECONDS (0: do not; run `pressroom publish-due` yourself)")
        parser.add_argument("--alerts-every", type=float,
                            default=settings.PRESSROOM["ALERTS_EVERY_SECONDS"], metavar="SECONDS",
                            help="run the alerts worker beside the server, a pass every SECONDS "
                                 "(0: do not; run `pressroom alerts-worker --loop N` yourself)")

    def handle(self, *args, bind, workers, threads, no_collectstatic, publish_every, alerts_every,
               **options):
        from gunicorn.app.base import BaseApplication

        if settings.DEBUG:
            raise CommandError("PRESSROOM_DEBUG is on: `pressroom serve` is for production. "
                               "Use `pressroom runserver` to debug.")
        # `make setup` collected them (pressroom prepare-static); again only if they changed.
        if not no_collectstatic and not staticstamp.is_current():
            self.stdout.write("Collecting and compressing static files (their sources changed; "
                              "`pressroom prepare-static` does this ahead)...")
            self.stdout.flush()
            staticstamp.collect()
        # The request log's lines are written together, a second at most after the first
        # (RequestLog), unless PRESSROOM_REQUEST_LOG_FLUSH_SECONDS says otherwise. Set before
        # the app (its middleware) is made.
        if settings.PRESSROOM["REQUEST_LOG_FLUSH_SECONDS"] is None:
            settings.PRESSROOM["REQUEST_LOG_FLUSH_SECONDS"] = SERVE_LOG_FLUSH_SECONDS
        # Only now: WhiteNoise lists the collected files when the app (its middleware) is made.
        from pressroom.wsgi import application

        workers = workers or default_workers()
        config = {
            **worker_config(workers, threads), "bind": bind,
            "forwarded_allow_ips": settings.PRESSROOM["FORWARDED_ALLOW_IPS"],
            "proc_name": "pressroom",
            # Pending visitor counts and log lines are written before a worker goes.
            "worker_exit": _worker_exit,
            "post_fork": _worker_dies_with_master,
            **control_socket(),
        }

        class Server(BaseApplication):
            def load_config(self):
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(f"Pressroom on http://{bind}/ ({workers} workers x {threads} threads, "
                          f"data in {settings.PRESSROOM['DATA_DIR']})")
        # Scheduled and embargoed releases go out on time with a plain `make serve`:
        # the newsroom's publishing loop runs as a child process for the server's lifetime.
        publisher = None
        if publish_every > 0:
            # It dies with this process, `kill -9` included (--parent-pid): a restart must
            # not leave two publishers.
            publisher = subprocess.Popen([sys.executable, "-m", "pressroom.cli", "publish-due",
                                          "--loop", str(publish_every),
                                          "--parent-pid", str(os.getpid())])
            self.stdout.write(f"Publishing scheduled releases every {publish_every:g} s "
                              f"(pid {publisher.pid})")
        alerts = self._start_alerts(alerts_every)
        self.stdout.flush()
        try:
            Server().run()
        finally:
            for child in reversed(alerts):
                child.terminate()
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
            if publisher is not None:
                publisher.terminate()
                try:
                    publisher.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    publisher.kill()

    def _start_alerts(self, every: float) -> list:
        """The alerts worker as a child, like the publisher; with no SMTP server configured
        (PRESSROOM_EMAIL_HOST), a local mail catcher too, so a demo's e-mails arrive
        somewhere visible ($PRESSROOM_DATA/mail/, /alerts/outbox-demo/)."""
        if every <= 0:
            return []
        import socket

        children, env = [], dict(os.environ)
        smtp = settings.EMAIL_BACKEND.endswith("smtp.EmailBackend")
        if smtp and settings.PRESSROOM["MAIL_CATCHER"]:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            children.append(subprocess.Popen([sys.executable, "-m", "pressroom.cli", "mailcatcher",
                                              "--port", str(port), "--parent-pid", str(os.getpid())]))
            # Confirmations sent by the first requests must find it listening.
            _wait_for_port(port, children[-1])
            # The web workers are forked from this process: they send confirmations there too.
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
            env.update(PRESSROOM_EMAIL_HOST="127.0.0.1", PRESSROOM_EMAIL_PORT=str(port))
            os.environ.update(PRESSROOM_EMAIL_HOST="127.0.0.1", PRESSROOM_EMAIL_PORT=str(port))
            self.stdout.write(f"No PRESSROOM_EMAIL_HOST: e-mail goes to a local mail catcher "
                              f"(127.0.0.1:{port}); read it at /alerts/outbox-demo/ or in "
                              f"{settings.PRESSROOM['DATA_DIR'] / 'mail'}")
        children.append(subprocess.Popen([sys.executable, "-m", "pressroom.cli", "alerts-worker",
                                          "--loop", str(every), "--parent-pid", str(os.getpid())],
                                         env=env))
        self.stdout.write(f"Sending alerts every {every:g} s (pid {children[-1].pid})")
        return children


def _wait_for_port(port: int, proc, within: float = 120) -> None:
    """Until something listens on 127.0.0.1:port (or the process that should has ended)."""
    import socket
    import time

    deadline = time.monotonic() + within
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
