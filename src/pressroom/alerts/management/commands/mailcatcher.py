"""`pressroom mailcatcher`: a local SMTP server that keeps every message (the demo's inbox).

`pressroom serve` starts it when no SMTP server is configured; the caught messages are
files in $PRESSROOM_DATA/mail/ and a page at /alerts/outbox-demo/ (from this machine).
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from pressroom import lifeline
from pressroom.alerts.mailcatcher import Catcher, MailServer


class Command(BaseCommand):
    help = "Run a local SMTP server that keeps what it receives (demo and development only)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=1025)
        parser.add_argument("--parent-pid", type=int, default=0, metavar="PID",
                            help="stop when process PID (the parent, `pressroom serve`) ends")

    def handle(self, *args, host, port, parent_pid=0, **options):
        if parent_pid:
            lifeline.die_with_parent(parent_pid)
        folder = settings.PRESSROOM["DATA_DIR"] / "mail"
        folder.mkdir(exist_ok=True)
        server = MailServer(Catcher(folder, keep=False), host, port).start()
        self.stdout.write(f"Mail catcher on smtp://{host}:{server.port}, messages in {folder} "
                          "and at /alerts/outbox-demo/")
        self.stdout.flush()
        done = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: done.set())
        signal.signal(signal.SIGINT, lambda *_: done.set())
        done.wait()
        server.stop()
