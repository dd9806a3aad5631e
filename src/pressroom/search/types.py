"""The search interface's types and constants, shared by engine.py and the backends.

The engine chooses and imports a backend; backends import only this (and the pure planning
and query modules), so the search app has no import circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from pressroom.releases.models import Bureau, Language, LanguageVersion, Ministry
from pressroom.releases.pibtext import IST

from . import queryparse

# Matches read per search, newest first. Beyond it totals are estimates, facets count the
# newest CAP matches and relevance ranks among them: the price of answering in milliseconds
# on a common word in a million releases.
CAP = 1000
PER_PAGE = 20
# A search still running after this many seconds is stopped and the reader told why:
# one reader's 24 common words must not hold a worker (or SQLite) for minutes.
TIME_LIMIT = 2.0
SORTS = ("relevance", "newest")
# Keys put rows newest first in *ascending* order, the order FTS5 reads a match list in:
# key = (KEY_EPOCH_END - posted_at in epoch minutes) * KEY_SCALE + version id.
# FTS5 stores each match list's keys as varint differences, so the scale is as small as it
# can be: PIB's times are to the minute, and 2**24 versions is eight times today's archive
# (search 0005; seconds and 10**9 made the index a fifth larger).
KEY_SCALE = 2**24
KEY_EPOCH_END = 2**32 // 60  # in minutes: the year 2106


def entry_key(posted_at: datetime, version_id: int) -> int:
    if not 0 < version_id < KEY_SCALE:
        raise ValueError(f"version id {version_id} out of range for the search key")
    return (KEY_EPOCH_END - int(posted_at.timestamp()) // 60) * KEY_SCALE + version_id


def _day_start(d: date) -> int:
    return int(datetime.combine(d, time.min, tzinfo=IST).timestamp())


class SearchTooSlow(Exception):
    """A backend stopped a search at TIME_LIMIT."""


@dataclass
class Filters:
    ministry: Ministry | None = None
    bureau: Bureau | None = None
    language: Language | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def key_range(self) -> tuple[int | None, int | None]:
        """Inclusive key bounds for the dates (IST days, both ends included)."""
        lo = hi = None
        if self.date_to:  # posted before the next day starts
            lo = (KEY_EPOCH_END - _day_start(self.date_to + timedelta(days=1)) // 60 + 1) * KEY_SCALE
        if self.date_from:  # posted at or after the first day starts
            hi = (KEY_EPOCH_END - _day_start(self.date_from) // 60 + 1) * KEY_SCALE - 1
        return lo, hi

    @property
    def any(self) -> bool:
        return any((self.ministry, self.bureau, self.language, self.date_from, self.date_to))


class Row(NamedTuple):
    """A matching version as a backend reports it (a tuple: a thousand are made per search)."""

    key: int
    version_id: int
    release_id: int
    ministry_id: int
    year: int
    language: str
    score: float  # higher is more relevant


@dataclass
class Matches:
    rows: list[Row]  # newest first (ascending key), at most CAP
    complete: bool  # False when more than CAP rows match
    estimate: int  # the number of matches (exact when complete)
    plan: str = "text"


@dataclass
class Hit:
    version: LanguageVersion
    title_html: str
    snippet_html: str
    by_id: bool = False


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    lang: str = ""


@dataclass
class Results:
    query: queryparse.Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    total_exact: bool = True
    page: int = 1
    per_page: int = PER_PAGE
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    plan: str = ""
    cap: int = CAP

    @property
    def pages(self) -> int:
        reachable = self.total if self.total_exact else min(self.total, CAP)
        return max(1, -(-reachable // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def filter_sql(filters: Filters, key_column: str, entry_columns: bool = True) -> tuple[str, list]:
    """" AND ..." conditions for the filters, for both backends: ministry, bureau and language
    on the joined entry row ``e`` (unless the backend matched them otherwise), dates as a
    range of ``key_column`` (newest-first keys, so the index can seek to it)."""
    where, params = [], []
    if entry_columns:
        for column, value in (("e.ministry_id", filters.ministry and filters.ministry.pk),
                              ("e.bureau_id", filters.bureau and filters.bureau.pk),
                              ("e.language", filters.language and filters.language.code)):
            if value:
                where.append(f"{column} = %s")
                params.append(value)
    lo, hi = filters.key_range
    if lo is not None:
        where.append(f"{key_column} >= %s")
        params.append(lo)
    if hi is not None:
        where.append(f"{key_column} <= %s")
        params.append(hi)
    return "".join(" AND " + w for w in where), params


def filter_tags(ministry_id=None, bureau_id=None, language=None) -> str:
    """Tokens naming a version's ministry, bureau and language, for the FTS5 ``tags`` column."""
    return " ".join(t for t in (ministry_id and f"m{ministry_id}", bureau_id and f"b{bureau_id}",
                                language and f"l{language}") if t)
