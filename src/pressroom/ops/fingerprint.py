"""What an archive holds, as counts and a checksum: compare two databases after a move,
a backup after a restore."""

import hashlib

from django.apps import apps

from pressroom.releases.queries import releases_with_versions
from pressroom.releases.representations import jsonl_lines

# Fields that change while the site serves (readers counting): left out of the checksum.
LIVE_FIELDS = ("visitor_count",)


def counts() -> dict[str, int]:
    """Rows in each table of the public record."""
    return {model._meta.label: model.objects.count()
            for model in apps.get_app_config("releases").get_models()}


def checksum(include_live: bool = True) -> str:
    """sha256 of the JSONL export, in Release ID order."""
    digest = hashlib.sha256()
    for release in releases_with_versions():
        for line in jsonl_lines(release):
            line = line.rstrip("\n")
            if not include_live:
                line = _without_live(line)
            digest.update(line.encode())
            digest.update(b"\n")
    return digest.hexdigest()


def total_visitors() -> int:
    from django.db.models import Sum

    from pressroom.releases.models import LanguageVersion
    return LanguageVersion.objects.aggregate(n=Sum("visitor_count"))["n"] or 0


def _without_live(line: str) -> str:
    import json
    record = json.loads(line)
    for field in LIVE_FIELDS:
        record.pop(field, None)
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def fingerprint(include_live: bool = True) -> dict:
    return {"counts": counts(), "checksum": checksum(include_live)}
