"""Daily visitor counts as open data: per release, and as CSV rows for any period."""

from collections.abc import Iterator
from datetime import date

from .models import DailyViews

CSV_HEADER = ["day", "release_id", "language", "views"]


def release_days(release_id: int) -> list[dict]:
    """[{day, language, views}] for one release, oldest first."""
    return [{"day": d, "language": lang, "views": n} for d, lang, n in
            DailyViews.objects.filter(version__release_id=release_id)
            .order_by("day", "version__language__position")
            .values_list("day", "version__language_id", "views")]


def csv_rows(start: date | None = None, end: date | None = None,
             release_id: int | None = None, chunk: int = 5000) -> Iterator[list]:
    """Rows of CSV_HEADER in (day, release, language) order, fetched in chunks."""
    qs = DailyViews.objects.all()
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    if release_id is not None:
        qs = qs.filter(version__release_id=release_id)
    rows = qs.order_by("day", "version__release_id", "version__language_id").values_list(
        "day", "version__release_id", "version__language_id", "views")
    yield from rows.iterator(chunk_size=chunk)
