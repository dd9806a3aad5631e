"""What the trust pages read: a version's newest log entry, and whether the record still
says what was signed."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from django.db import connections

from pressroom.dbrouter import read_alias
from pressroom.releases.models import LanguageVersion, Release

from .models import LogEntry
from .offline import record_hash
from .signing import record_of


def latest_entry(version_id: int) -> LogEntry | None:
    """The version's newest log entry. Written as SQL (the ORM still loads the row): on every
    first render of a release page, building the query was most of its cost (300 µs → 60)."""
    return next(iter(LogEntry.objects.raw(_latest_entry_sql(), [version_id])), None)


@dataclass(frozen=True)
class SignedEntry:
    """What a release page shows of a version's newest log entry (the block under the text):
    its index, statement and signed record, as LogEntry names them."""

    index: int
    statement: dict
    record: str


def latest_signed(version_id: int) -> SignedEntry | None:
    """latest_entry's index, statement and record, read by a plain cursor: on a release
    page's first render, building the LogEntry through the ORM cost three times the query."""
    with connections[read_alias(LogEntry)].cursor() as c:
        c.execute(_latest_signed_sql(), [version_id])
        row = c.fetchone()
    if row is None:
        return None
    index, statement, record = row
    return SignedEntry(index=index, record=record, statement=(
        statement if isinstance(statement, dict) else json.loads(statement)))


@functools.cache
def _latest_signed_sql() -> str:
    from django.db import connection

    q = connection.ops.quote_name
    return (f"SELECT {q('index')}, {q('statement')}, {q('record')} FROM {LogEntry._meta.db_table} "
            f"WHERE {q('version_id')} = %s ORDER BY {q('index')} DESC LIMIT 1")


@functools.cache
def _latest_entry_sql() -> str:
    from django.db import connection

    q = connection.ops.quote_name  # "index" is a keyword; both backends quote with "
    columns = ", ".join(q(f.column) for f in LogEntry._meta.concrete_fields)
    return (f"SELECT {columns} FROM {LogEntry._meta.db_table} WHERE {q('version_id')} = %s "
            f"ORDER BY {q('index')} DESC LIMIT 1")


def version_of(release_id: int, lang: str | None) -> LanguageVersion | None:
    qs = LanguageVersion.objects.filter(release_id=release_id).select_related(
        "release__ministry", "release__bureau")
    return qs.filter(is_original=True).first() if lang is None else qs.filter(language_id=lang).first()


def matches_record(version: LanguageVersion, entry: LogEntry | SignedEntry) -> bool:
    """Does the version as stored now hash to what its newest statement signed? False when
    the database was changed behind the record's writer."""
    previous = None
    if entry is not None:
        previous = json.loads(entry.record).get("previous")
    return entry is not None and record_hash(record_of(version, previous)) == \
        entry.statement.get("record_sha256")


def removed(release_id: int) -> bool:
    return Release.objects.filter(release_id=release_id, status=Release.Status.REMOVED).exists()
