from django.core.management.base import BaseCommand

from pressroom import lifeline
from pressroom.alerts import worker
from pressroom.alerts.sending import Sender


class Command(BaseCommand):
    help = "Send alerts: fan out the outbox, e-mail what is due, call webhooks and WebSub subscribers."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0, metavar="SECONDS",
                            help="keep running, a pass every SECONDS (default: one pass and exit)")
        parser.add_argument("--parent-pid", type=int, default=0, metavar="PID",
                            help="stop when process PID (the parent, `pressroom serve`) ends")

    def handle(self, *args, loop, parent_pid=0, **options):
        if parent_pid:
            lifeline.die_with_parent(parent_pid)  # SIGTERM: the loop ends after its pass
        if loop > 0:
            worker.loop(loop)
            return
        sender = Sender()
        try:
            counts = worker.run_once(sender)
        finally:
            sender.close_all()
        self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
