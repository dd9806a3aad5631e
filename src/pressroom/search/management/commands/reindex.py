"""pressroom reindex: rebuild the search index from the record."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from pressroom.releases.models import LanguageVersion
from pressroom.search import engine

BATCH = 2000


class Command(BaseCommand):
    help = "Rebuild the search index from the record (all versions of releases not removed)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")
        parser.add_argument("--stats", action="store_true",
                            help="only refresh the planner's statistics (which words are common)")

    def handle(self, *args, quiet=False, stats=False, **options):
        started = time.monotonic()
        if stats:
            engine.analyze()
            self.stdout.write(f"statistics refreshed in {time.monotonic() - started:.1f}s")
            return
        ids = list(LanguageVersion.objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            engine.clear()
        done = 0
        for i in range(0, len(ids), BATCH):
            with transaction.atomic():
                engine.index(ids[i:i + BATCH], fresh=True)
            done += len(ids[i:i + BATCH])
            if not quiet:
                self.stderr.write(f"\rindexed {done}/{len(ids)}", ending="")
        engine.optimize()
        if not quiet:
            self.stderr.write("")
        self.stdout.write(f"reindexed {done} versions in {time.monotonic() - started:.1f}s")
