import argparse
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from pressroom.ingest.importer import BATCH_SIZE, Importer, input_bytes


class Command(BaseCommand):
    help = ("Import releases: PIB text files, translation bundles (<release_id>/<Language>.txt), "
            "scraper .json and Pressroom .jsonl, from files or folders (recursively).")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--reject-report", type=Path, metavar="FILE",
                            help="write rejected records with their reasons to FILE (CSV)")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--quiet", action="store_true", help="print only the counts")
        parser.add_argument("--bulk", action=argparse.BooleanOptionalAction, default=None,
                            help="build derived indexes once at the end (default: from "
                                 "256 MB of input)")

    def handle(self, *args, paths, reject_report, batch_size, quiet, bulk, **options):
        show = not quiet and sys.stderr.isatty()
        # Bytes read of bytes to read: rate and time left whether the input is one 50 GB
        # JSONL file or two million bundle folders.
        bar = tqdm(total=input_bytes(paths) if show else None, disable=not show, unit="B",
                   unit_scale=True, unit_divisor=1024, file=sys.stderr, smoothing=0.05)
        importer = Importer(batch_size=batch_size, progress=bar.update, bulk=bulk)
        try:
            report = importer.run(paths)
        finally:
            bar.close()
        for reject in report.rejects:
            self.stderr.write(f"rejected: {reject}")
        if report.notices and not quiet:
            for message, n in Counter(n.message for n in report.notices).items():
                self.stderr.write(f"{n} × {message}")
        if reject_report:
            report.write_rejects(reject_report)
        self.stdout.write(report.summary())
        if report.rejects:
            sys.exit(1)
