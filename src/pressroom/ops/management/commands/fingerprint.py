import json

from django.core.management.base import BaseCommand

from pressroom.ops.fingerprint import fingerprint


class Command(BaseCommand):
    help = ("Print the archive's row counts and the sha256 of its JSONL export, as JSON: "
            "compare two databases after a move or a restore.")

    def add_arguments(self, parser):
        parser.add_argument("--without-counters", action="store_true",
                            help="leave visitor counters (which change as readers read) out")

    def handle(self, *args, without_counters, **options):
        self.stdout.write(json.dumps(fingerprint(include_live=not without_counters), indent=2))
