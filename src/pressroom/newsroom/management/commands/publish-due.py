"""`pressroom publish-due`: publish every scheduled release whose time has come.

One pass by default (for cron or a systemd timer); `--loop N` repeats every N seconds (what
`pressroom serve` runs beside the web server). Overdue releases — due while no worker ran —
are published on the next pass and flagged on the dashboard as published late.
With `--parent-pid` (serve passes its own) the loop ends when that process does, even by
`kill -9`: two publishers after a restart would race for every due release.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from pressroom import lifeline
from pressroom.newsroom.workflow import publish_due


class Command(BaseCommand):
    help = "Publish scheduled releases that are due, overdue ones included."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0, metavar="SECONDS",
                            help="repeat every SECONDS until stopped (default: one pass)")
        parser.add_argument("--parent-pid", type=int, default=0, metavar="PID",
                            help="stop when process PID (the parent) ends")

    def handle(self, *args, loop, parent_pid, **options):
        self.stopping = False
        if loop:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        if parent_pid:
            lifeline.die_with_parent(parent_pid)  # SIGTERM: the loop ends after its pass
        if loop:  # ready: a SIGTERM from now on ends the loop cleanly
            self.stdout.write(f"publish-due: publishing due releases every {loop:g} s")
            self.stdout.flush()
        while True:
            try:
                self.run_once()
            except Exception as e:  # noqa: BLE001 - a loop must outlive a database hiccup
                if not loop:
                    raise
                self.stderr.write(f"publish-due: {e.__class__.__name__}: {e}")
            if not loop or self.stopping:
                return
            close_old_connections()
            deadline = time.monotonic() + loop
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(min(0.2, loop))
                if parent_pid and not lifeline.parent_alive(parent_pid):
                    self.stopping = True  # no PDEATHSIG here (not Linux): the watch
            if self.stopping:
                return

    def run_once(self):
        run = publish_due()
        for draft in run.published:
            late = timezone.now() - draft.scheduled_for
            self.stdout.write(
                f"published {draft.release_id}: {draft.title[:60]}"
                + (f" (late by {int(late.total_seconds())} s)" if draft.published_late else ""))
        for draft_id, reason in run.failed:
            self.stderr.write(f"could not publish draft {draft_id}: {reason}")
        return run

    def _stop(self, signum, frame):
        self.stopping = True
