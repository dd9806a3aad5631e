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
from .offline import canonical_json, nfc, record_form, sha256_hex

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


NEW_STATUS = "published"  # what the store gives a release an import creates


def prepared_records(parsed, prepared) -> list[tuple]:
    """``releases.store`` PREPARERS entry: each version's record as a new version's first
    revision, made in an import's reading process (canonical JSON is a third of signing).
    With it go the names and status it assumed: the writer uses it only where they hold."""
    ministry, bureau = nfc(parsed.ministry), nfc(parsed.bureau)
    out = []
    for p in prepared:
        f = p.fields
        record_json = canonical_json(record_of_row({
            "release_id": parsed.release_id, "language": p.language, "pib_id": f["pib_id"],
            "ministry": ministry, "bureau": bureau, "posted_at": parsed.posted_at,
            "title": f["title"], "subtitles": f["subtitles"], "body_text": f["body_text"],
            "sign_off": f["sign_off"], "status": NEW_STATUS}))
        out.append((ministry, bureau, NEW_STATUS, record_json.decode("utf-8"),
                    sha256_hex(record_json)))
    return out


def _row_record(row: dict) -> tuple[str, str]:
    """(canonical JSON, its SHA-256) of a new version's record: the reading process's where
    it assumed what the writer wrote."""
    made = (row.get("derived") or {}).get("trust_record")
    if made is not None and made[:3] == (row["ministry"], row["bureau"], row["status"]):
        return made[3], made[4]
    record_json = canonical_json(record_of_row(row))
    return record_json.decode("utf-8"), sha256_hex(record_json)


def _records(version_ids, new: bool, rows: list[dict] | None):
    """(version id, release id, language, revision, status, record JSON, its SHA-256) of
    each version."""
    if new and rows is not None:
        for row in sorted(rows, key=lambda r: r["version_id"]):
            yield (row["version_id"], row["release_id"], row["language"], 1, row["status"],
                   *_row_record(row))
        return
    for i in range(0, len(version_ids), CHUNK):
        chunk = version_ids[i:i + CHUNK]
        previous = {} if new else latest_records(chunk)
        versions = (LanguageVersion.objects.filter(pk__in=chunk)
                    .select_related("release__ministry", "release__bureau").order_by("pk"))
        for v in versions:
            record_json = canonical_json(record_of(v, previous.get(v.pk)))
            yield (v.pk, v.release_id, v.language_id, v.revision, v.release.status,
                   record_json.decode("utf-8"), sha256_hex(record_json))


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
    for vid, release_id, language, revision, status, record, record_sha256 in _records(
            version_ids, new, rows):
        statement = {
            "type": STATEMENT_TYPE, "attests": attests, "event": reason,
            "release_id": release_id, "language": language, "revision": revision,
            "status": status, "record_sha256": record_sha256,
            "kid": kid, "signed_at": signed_at,
        }
        items.append(dict(
            release_id=release_id, language=language, version_id=vid,
            revision=revision, event=reason, statement=statement,
            signature=keys.sign(private, canonical_json(statement)),
            record=record))
    return log.append(items)
