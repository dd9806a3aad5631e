"""pressroom verify FILE [--sig SIG] [--keys KEYS]: check a downloaded release offline, or
against this server's own log and keys when no .sig/keys are given."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pressroom.trust import keys, log, queries
from pressroom.trust.offline import check_file, key_set


class Command(BaseCommand):
    help = "Check a release's .json or .txt file against its signature, the log and the public keys."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--sig", type=Path, help="its .sig (default FILE.sig; else from this database)")
        parser.add_argument("--keys", type=Path, help="pressroom-keys.json (default: this database's keys)")

    def handle(self, *args, file: Path, sig=None, keys=None, **options):
        try:
            data = file.read_bytes()
        except OSError as e:
            raise CommandError(f"{file}: {e.strerror}") from None
        sig = sig or file.with_name(file.name + ".sig")
        if sig.exists():
            bundle = json.loads(sig.read_text(encoding="utf-8"))
        else:
            bundle = self._bundle_from_database(data, file)
        jwks = json.loads(keys.read_text(encoding="utf-8")) if keys else _jwks()
        ok, bad = check_file(data, file.name, bundle, key_set(jwks))
        for line in ok:
            self.stdout.write(f"OK    {line}")
        for line in bad:
            self.stdout.write(f"FAIL  {line}")
        if bad or not ok:
            raise CommandError("NOT VERIFIED: do not trust this file as a Pressroom release.")
        self.stdout.write("GENUINE: the file is what Pressroom signed and logged.")

    def _bundle_from_database(self, data: bytes, file: Path) -> dict:
        """No .sig beside the file: the newest log entries of the release it names."""
        import re

        text = data.decode("utf-8", errors="replace")
        if file.name.endswith(".json"):
            try:
                doc = json.loads(text)
                release_id, langs = doc["release_id"], [v["language"] for v in doc["versions"]]
            except (ValueError, KeyError, TypeError):
                raise CommandError(f"{file} is not a Pressroom release JSON file") from None
        else:
            m = re.search(r"\(Release ID:\s*(\d+)\)", text)
            if not m:
                raise CommandError(f"{file}: no '(Release ID: N)' line, and no .sig beside it")
            release_id, langs = int(m[1]), [None]
        entries = []
        for lang in langs:
            v = queries.version_of(release_id, lang)
            e = queries.latest_entry(v.pk) if v else None
            if e is None:
                raise CommandError(f"release {release_id} ({lang or 'original'}) is not in the log")
            entries.append(e)
        return log.bundle(entries)


def _jwks():
    return keys.jwks()
