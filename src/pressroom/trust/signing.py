"""Signed statements for versions the record just wrote, in the writing transaction.

A statement says what Pressroom attests about one revision of one language version:
"issued" (published, corrected, translated, withdrawn or removed here) or "archived on
<date>" (imported), with the SHA-256 of the record's canonical form (offline.record_form),
signed with Ed25519, and entered as a leaf of the transparency log.
"""

from __future__ import annotations

from pressroom.releases.models import LanguageVersion
from pressroom.releases.pibtext import IST
from pressroom.releases.store import IMPORT

from . import keys, log
from .models import LogEntry
from .offline import canonical_json, record_form, sha256_hex

STATEMENT_TYPE = "https://pressroom.example/statement/v1"
CHUNK = 500


def record_of(version: LanguageVersion, previous: str | None) -> dict:
    release = version.release
    return record_form(
        release_id=release.release_id, language=version.language_id, revision=version.revision,
        pib_id=version.pib_id, ministry=release.ministry.name, bureau=release.bureau.name,
        posted_at=release.posted_at.astimezone(IST).isoformat(), title=version.title,
        subtitles=version.subtitles.split("\n"), body_text=version.body_text,
        sign_off=version.sign_off, status=release.status, previous=previous)


def latest_records(version_ids) -> dict[int, str]:
    """The record hash of each version's newest log entry."""
    out: dict[int, str] = {}
    for vid, statement in (LogEntry.objects.filter(version_id__in=version_ids)
                           .order_by("version_id", "-index").values_list("version_id", "statement")):
        out.setdefault(vid, statement["record_sha256"])
    return out


def record_of_row(row: dict) -> dict:
    """The record of a version an import just created, from the fields it was written with
    (versions_changed's ``rows``): its first revision, with nothing before it."""
    return record_form(
        release_id=row["release_id"], language=row["language"], revision=1,
        pib_id=row["pib_id"], ministry=row["ministry"], bureau=row["bureau"],
        posted_at=row["posted_at"].astimezone(IST).isoformat(), title=row["title"],
        subtitles=row["subtitles"].split("\n"), body_text=row["body_text"],
        sign_off=row["sign_off"], status=row["status"], previous=None)


def _records(version_ids, new: bool, rows: list[dict] | None):
    """(version id, release id, language, revision, status, record) of each version."""
    if new and rows is not None:
        for row in sorted(rows, key=lambda r: r["version_id"]):
            yield (row["version_id"], row["release_id"], row["language"], 1, row["status"],
                   record_of_row(row))
        return
    for i in range(0, len(version_ids), CHUNK):
        chunk = version_ids[i:i + CHUNK]
        previous = {} if new else latest_records(chunk)
        versions = (LanguageVersion.objects.filter(pk__in=chunk)
                    .select_related("release__ministry", "release__bureau").order_by("pk"))
        for v in versions:
            yield (v.pk, v.release_id, v.language_id, v.revision, v.release.status,
                   record_of(v, previous.get(v.pk)))


def sign_versions(version_ids, *, reason: str, new: bool = False,
                  rows: list[dict] | None = None) -> list[int]:
    """Sign the current state of these versions and append the statements to the log.
    An import's new versions come with their ``rows``: nothing is read back for them."""
    version_ids = list(version_ids)
    if not version_ids:
        return []
    kid, private = keys.signer()
    now = keys.utc_now()
    signed_at = keys.iso(now)
    attests = f"archived on {now.date().isoformat()}" if reason == IMPORT else "issued"
    items = []
    for vid, release_id, language, revision, status, record in _records(version_ids, new, rows):
        record_json = canonical_json(record)
        statement = {
            "type": STATEMENT_TYPE, "attests": attests, "event": reason,
            "release_id": release_id, "language": language, "revision": revision,
            "status": status, "record_sha256": sha256_hex(record_json),
            "kid": kid, "signed_at": signed_at,
        }
        items.append(dict(
            release_id=release_id, language=language, version_id=vid,
            revision=revision, event=reason, statement=statement,
            signature=keys.sign(private, canonical_json(statement)),
            record=record_json.decode("utf-8")))
    return log.append(items)
