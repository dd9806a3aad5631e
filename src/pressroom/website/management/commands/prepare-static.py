"""`pressroom prepare-static`: collect and compress static files if their sources changed."""

from django.conf import settings
from django.core.management.base import BaseCommand

from pressroom.website import staticstamp


class Command(BaseCommand):
    help = ("Collect and compress static files into STATIC_ROOT, only when their sources "
            "changed since the last time (`make setup` runs it; `pressroom serve` then starts "
            "at once).")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="collect even if unchanged")

    def handle(self, *args, force, verbosity, **options):
        if staticstamp.collect(force=force, verbosity=max(0, verbosity - 1)):
            self.stdout.write(f"Static files collected and compressed in {settings.STATIC_ROOT}")
        elif verbosity:
            self.stdout.write("Static files are up to date.")
