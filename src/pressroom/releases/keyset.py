"""Keyset pages of releases, newest first: each page one index seek, however deep.

A cursor names the last release of a page by (posted_at, release_id), the order of every
listing; the next page is `(posted_at, release_id) < cursor`, answered by the
`release_keyset` index (releases 0007) in one seek where an OFFSET reads every row before it.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.lookups import GreaterThan, LessThan

from .dates import FIRST_DAY, LAST_DAY
from .models import Release

MAX_ID = 2**63 - 1  # larger numbers cannot name anything in the database


class BadCursor(ValueError):
    """Not a cursor this site gave out."""


def encode(release: Release) -> str:
    raw = f"{release.posted_at.isoformat()}|{release.release_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, int]:
    """The (posted_at, release_id) a cursor names. A time outside the archive's years
    (0001-01-01+05:30 overflows on the way to UTC, 9999-12-31 in the database's arithmetic)
    cannot be one this site gave out."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, number = raw.split("|")
        posted, release_id = datetime.fromisoformat(when), int(number)
        if posted.tzinfo is None or not 0 <= release_id <= MAX_ID:
            raise ValueError
        posted = posted.astimezone(UTC)
        if not FIRST_DAY <= posted.date() <= LAST_DAY:
            raise ValueError
        return posted, release_id
    except (ValueError, OverflowError) as e:
        raise BadCursor("not a cursor this site gave out") from e


class RowLessThan(TupleLessThan):
    """`(a, b) < (x, y)` as written, on every backend. Django expands it on SQLite to
    `a < x OR (a = x AND b < y)`, which reads every older row; the row value is one seek
    on an index over (a, b) (SQLite since 3.15, PostgreSQL always)."""

    def as_sql(self, compiler, connection):
        return LessThan.as_sql(self, compiler, connection)


class RowGreaterThan(TupleGreaterThan):
    def as_sql(self, compiler, connection):
        return GreaterThan.as_sql(self, compiler, connection)


def _key():
    return Tuple(F("posted_at"), F("release_id"))


def older(qs, posted: datetime, release_id: int):
    """The releases after the cursor in newest-first order."""
    return qs.filter(RowLessThan(_key(), (posted, release_id)))


def newer(qs, posted: datetime, release_id: int):
    return qs.filter(RowGreaterThan(_key(), (posted, release_id)))
