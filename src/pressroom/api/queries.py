"""Reading the record for the API: filters, cursors, shapes. Plain functions."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThan
from django.db.models.lookups import LessThan

from pressroom.releases.dates import FIRST_DAY, LAST_DAY, archive_date
from pressroom.releases.models import Release
from pressroom.releases.pibtext import IST
from pressroom.releases.queries import ListingFilter

MAX_ID = 2**63 - 1  # larger numbers cannot name anything in the database


class BadRequest(ValueError):
    """A parameter the API cannot use; the message says why, for a 400."""


def encode_cursor(release: Release) -> str:
    raw = f"{release.posted_at.isoformat()}|{release.release_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (posted_at, release_id) a cursor names. Anything else is a BadRequest: a time
    outside the archive's years (0001-01-01+05:30 overflows on the way to UTC, 9999-12-31
    in the database's arithmetic) cannot be a cursor this API gave out."""
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
        raise BadRequest("cursor is not one this API gave out; start again without it") from e


class RowLessThan(TupleLessThan):
    """`(a, b) < (x, y)` as written, on every backend. Django expands it on SQLite to
    `a < x OR (a = x AND b < y)`, which reads every older row; the row value is one seek
    on an index over (a, b) (SQLite since 3.15, PostgreSQL always)."""

    def as_sql(self, compiler, connection):
        return LessThan.as_sql(self, compiler, connection)


def before(qs, posted: datetime, release_id: int):
    """Releases after the cursor in the newest-first order: `release_keyset` index."""
    return qs.filter(RowLessThan(Tuple(F("posted_at"), F("release_id")), (posted, release_id)))


def parse_day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return archive_date(value)
    except ValueError:
        raise BadRequest(f"{name} must be a date, YYYY-MM-DD") from None


def releases(params: dict, cursor: str | None, limit: int):
    """(releases after the cursor, one page, filtered as /releases/ is), and the next cursor."""
    f = ListingFilter.from_query(params)
    if f.errors:
        raise BadRequest(" ".join(f.errors))
    qs = f.releases()
    start, end = parse_day(params.get("from"), "from"), parse_day(params.get("to"), "to")
    if start:
        qs = qs.filter(posted_at__gte=datetime.combine(start, time.min, tzinfo=IST))
    if end:
        qs = qs.filter(posted_at__lt=datetime.combine(end, time.min, tzinfo=IST) + timedelta(days=1))
    if cursor:
        posted, release_id = decode_cursor(cursor)
        qs = before(qs, posted, release_id)
    page = list(qs[: limit + 1])
    more = len(page) > limit
    return f, page[:limit], encode_cursor(page[limit - 1]) if more else None


def export_ids(start: date | None, end: date | None) -> list[int]:
    """Release IDs posted in [start, end] (IST days), published or withdrawn, in ID order."""
    qs = Release.objects.exclude(status=Release.Status.REMOVED)
    if start:
        qs = qs.filter(posted_at__gte=datetime.combine(start, time.min, tzinfo=IST))
    if end:
        qs = qs.filter(posted_at__lt=datetime.combine(end, time.min, tzinfo=IST) + timedelta(days=1))
    return list(qs.order_by("release_id").values_list("release_id", flat=True))
