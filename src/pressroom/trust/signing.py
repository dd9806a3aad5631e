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
from .offline import canonical_json, record_form, record_hash

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


def sign_versions(version_ids, *, reason: str, new: bool = False) -> list[int]:
    """Sign the current state of these versions and append the statements to the log."""
    version_ids = list(version_ids)
    if not version_ids:
        return []
    kid, private = keys.signer()
    now = keys.utc_now()
    attests = f"archived on {now.date().isoformat()}" if reason == IMPORT else "issued"
    items = []
    for i in range(0, len(version_ids), CHUNK):
        chunk = version_ids[i:i + CHUNK]
        previous = {} if new else latest_records(chunk)
        versions = (LanguageVersion.objects.filter(pk__in=chunk)
                    .select_related("release__ministry", "release__bureau").order_by("pk"))
        for v in versions:
            record = record_of(v, previous.get(v.pk))
            record_json = canonical_json(record)
            statement = {
                "type": STATEMENT_TYPE, "attests": attests, "event": reason,
                "release_id": v.release_id, "language": v.language_id, "revision": v.revision,
                "status": v.release.status, "record_sha256": record_hash(record),
                "kid": kid, "signed_at": keys.iso(now),
            }
            items.append(dict(
                release_id=v.release_id, language=v.language_id, version_id=v.pk,
                revision=v.revision, event=reason, statement=statement,
                signature=keys.sign(private, canonical_json(statement)),
                record=record_json.decode("utf-8")))
    return log.append(items)
