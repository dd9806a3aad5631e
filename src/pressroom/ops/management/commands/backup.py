import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pressroom.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the whole database to PATH while the site serves: a SQLite file (online "
            "backup API) or a pg_dump custom-format archive.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        start = time.monotonic()
        try:
            kind = backup(path)
        except (BackupError, OSError) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"backed up {kind} database to {path} "
                          f"({path.stat().st_size:,} bytes, {time.monotonic() - start:.1f} s)")
