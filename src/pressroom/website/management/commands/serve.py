import multiprocessing

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def _flush_counts(server, worker):
    from pressroom.counters.buffer import flush

    flush()


class Command(BaseCommand):
    help = "Serve Pressroom with gunicorn (production WSGI server), static files by WhiteNoise."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=0,
                            help="worker processes (default: 2 x CPU cores + 1)")
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, bind, workers, threads, **options):
        from gunicorn.app.base import BaseApplication

        from pressroom.wsgi import application

        call_command("collectstatic", interactive=False, verbosity=0)
        workers = workers or multiprocessing.cpu_count() * 2 + 1
        options = {
            "bind": bind, "workers": workers, "threads": threads,
            "worker_class": "gthread", "accesslog": "-", "timeout": 60,
            "graceful_timeout": 20,
            # Pending visitor counts are written before a worker goes (counters/buffer.py).
            "worker_exit": _flush_counts,
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
        Server().run()
