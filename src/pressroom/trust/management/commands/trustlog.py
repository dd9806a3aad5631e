"""pressroom trustlog audit | reindex | sign-missing"""

from django.core.management.base import BaseCommand, CommandError

from pressroom.releases.models import LanguageVersion
from pressroom.trust import log, neardup, signing
from pressroom.trust.models import LogEntry


class Command(BaseCommand):
    help = "Audit the transparency log, rebuild the near-duplicate index, or sign versions never signed."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["audit", "reindex", "sign-missing"])

    def handle(self, *args, action, **options):
        if action == "audit":
            problems = log.audit()
            for p in problems:
                self.stdout.write(f"FAIL  {p}")
            if problems:
                raise CommandError(f"{len(problems)} problem(s) in the log")
            self.stdout.write(f"OK    {log.size()} entries, every hash and tile as stored")
        elif action == "reindex":
            self.stdout.write(f"indexed {neardup.rebuild()} versions")
        else:
            from django.db import transaction

            signed = set(LogEntry.objects.values_list("version_id", flat=True).distinct())
            missing = [pk for pk in LanguageVersion.objects.values_list("pk", flat=True) if pk not in signed]
            with transaction.atomic():
                signing.sign_versions(missing, reason="import")
            self.stdout.write(f"signed {len(missing)} versions that had no statement")
