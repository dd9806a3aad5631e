from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pressroom.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Replace the database's contents with a backup made by `pressroom backup` "
            "(same kind of database). Stop writers (newsroom, imports) first.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, path, interactive, **options):
        if not path.is_file():
            raise CommandError(f"no backup at {path}")
        if interactive:
            answer = input("This replaces everything in the database with the backup. "
                           "Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled")
        try:
            kind = restore(path)
        except (BackupError, OSError) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"restored {kind} database from {path}")
