"""Reading the record for the API: filters, cursors, shapes. Plain functions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from pressroom.releases import keyset
from pressroom.releases.dates import archive_date
from pressroom.releases.models import Release
from pressroom.releases.pibtext import IST
from pressroom.releases.queries import ListingFilter

MAX_ID = 2**63 - 1  # larger numbers cannot name anything in the database


class BadRequest(ValueError):
    """A parameter the API cannot use; the message says why, for a 400."""


def encode_cursor(release: Release) -> str:
    return keyset.encode(release)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        return keyset.decode(cursor)
    except keyset.BadCursor as e:
        raise BadRequest("cursor is not one this API gave out; start again without it") from e


def before(qs, posted: datetime, release_id: int):
    """Releases after the cursor in the newest-first order: `release_keyset` index."""
    return keyset.older(qs, posted, release_id)


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
