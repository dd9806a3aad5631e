"""The floor for bench/request_bench.py: a bare Django app (no middleware, no apps, one view
answering what /robots.txt answers) under the gunicorn settings of `pressroom serve`
(`serve.worker_config`), so the difference to Pressroom's /robots.txt is the cost of its
middleware and URL resolving, not of the server.

    .venv/bin/python bench/bare_django.py --bind 127.0.0.1:8001 --workers 5 --threads 4
"""

import argparse
import sys

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

ROBOTS = ("User-agent: *\nDisallow: /newsroom/\nDisallow: /admin/\nDisallow: /search/\nAllow: /\n\n"
          "Sitemap: http://127.0.0.1/sitemap.xml\n")


def robots(request):
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")


urlpatterns = [path("robots.txt", robots), path("healthz", robots)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, MIDDLEWARE=[],
                       INSTALLED_APPS=[], SECRET_KEY="bench-only-not-secret", USE_TZ=True)
    django.setup()
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    from pressroom import lifeline
    from pressroom.website.management.commands.serve import worker_config

    application = get_wsgi_application()
    config = {**worker_config(args.workers, args.threads), "bind": args.bind,
              "control_socket_disable": True,
              # Workers end with the master, as `pressroom serve`'s do.
              "post_fork": lambda server, worker: lifeline.die_with_parent(server.pid)}

    class Server(BaseApplication):
        def load_config(self):
            for key, value in config.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()


if __name__ == "__main__":
    sys.exit(main())
