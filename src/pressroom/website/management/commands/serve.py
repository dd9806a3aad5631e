import multiprocessing
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Pressroom with gunicorn (production WSGI server), static files by WhiteNoise."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=0,
                            help="worker processes (default: 2 x CPU cores + 1)")
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--publish-every", type=float, default=15, metavar="SECONDS",
                            help="run the scheduled-publishing loop beside the server "
                                 "every SECONDS (0: do not; run `pressroom publish-due` yourself)")

    def handle(self, *args, bind, workers, threads, publish_every, **options):
        from gunicorn.app.base import BaseApplication

        from pressroom.wsgi import application

        call_command("collectstatic", interactive=False, verbosity=0)
        workers = workers or multiprocessing.cpu_count() * 2 + 1
        options = {
            "bind": bind, "workers": workers, "threads": threads,
            "worker_class": "gthread", "accesslog": "-", "timeout": 60,
            "graceful_timeout": 20,
            "access_log_format": '{"remote":"%(h)s","request":"%(r)s","status":%(s)s,'
                                 '"bytes":%(B)s,"ms":%(M)s,"agent":"%(a)s"}',
        }

        class Server(BaseApplication):
            def load_config(self):
                for key, value in options.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(f"Pressroom on http://{bind}/ ({workers} workers, data in "
                          f"{settings.DATA_DIR})")
        # Scheduled and embargoed releases go out on time with a plain `make serve`:
        # the newsroom's publishing loop runs as a child process for the server's lifetime.
        publisher = None
        if publish_every > 0:
            publisher = subprocess.Popen([sys.executable, "-m", "pressroom.cli", "publish-due",
                                          "--loop", str(publish_every)])
            self.stdout.write(f"Publishing scheduled releases every {publish_every:g} s "
                              f"(pid {publisher.pid})")
        try:
            Server().run()
        finally:
            if publisher is not None:
                publisher.terminate()
                try:
                    publisher.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    publisher.kill()
