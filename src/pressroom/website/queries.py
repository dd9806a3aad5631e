"""Reading the record for the site's own pages (what no other reader needs); the queries
readers share are in releases.queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache, caches
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from pressroom.releases import keyset
from pressroom.releases.models import Language, LanguageVersion, Release
from pressroom.releases.pibtext import IST

# Listings count at most this many matches: past it the page says "more than 1,000"
# (an exact COUNT(*) over two million releases costs more than the page itself).
COUNT_CAP = 1000
# Old ?page=N links are served by OFFSET up to here; past it the Older links go on.
MAX_PAGE = 50


@dataclass
class KeysetPage:
    """One page of a listing: its releases, cursors to the pages beside it, the count."""

    object_list: list
    newer: str | None = None  # ?after= of the newer page
    older: str | None = None  # ?before= of the older page
    count: int = 0  # exact when not more_than
    more_than: bool = False
    cap: int = COUNT_CAP


def listing_page(qs, params, per_page: int, kept_count_as: str | None = None) -> tuple[KeysetPage, str]:
    """A page of `qs` (newest first) by `before`/`after` cursor, or an old `page` number;
    (page, error text or ""). `kept_count_as`: where the shared cache keeps the count, the same
    for every page of one listing (see `count_key`)."""
    error = ""
    before, after = params.get("before", ""), params.get("after", "")
    rows, has_newer, has_older = [], False, False
    try:
        if after:
            rows = list(keyset.newer(qs, *keyset.decode(after))
                        .order_by("posted_at", "release_id")[:per_page + 1])
            has_newer, has_older = len(rows) > per_page, True
            rows = rows[:per_page][::-1]
        elif before:
            rows = list(keyset.older(qs, *keyset.decode(before))[:per_page + 1])
            has_newer, has_older = True, len(rows) > per_page
            rows = rows[:per_page]
    except keyset.BadCursor:
        error = _("That page link is broken: start again from the newest releases.")
        rows, has_newer, has_older = [], False, False
    if not (before or after):
        raw = params.get("page", "1").strip()
        number = max(1, int(raw)) if raw.isdigit() and len(raw) < 19 else 1  # ?page=0 too
        if number > MAX_PAGE:
            error = _("Page numbers go up to %(n)s here: from there, follow “Older”.") % {"n": MAX_PAGE}
            number = 1
        offset = (number - 1) * per_page
        rows = list(qs[offset:offset + per_page + 1])
        has_newer, has_older = offset > 0, len(rows) > per_page
        rows = rows[:per_page]
    count = caches["shared"].get(kept_count_as) if kept_count_as else None
    if count is None:
        count = qs.order_by()[:COUNT_CAP + 1].count()  # bounded: reads at most 1,001 index entries
        if kept_count_as:
            caches["shared"].set(kept_count_as, count, COUNTS_CACHE)
    page = KeysetPage(rows, count=min(count, COUNT_CAP), more_than=count > COUNT_CAP,
                      newer=keyset.encode(rows[0]) if rows and has_newer else None,
                      older=keyset.encode(rows[-1]) if rows and has_older else None)
    return page, error


def count_key(filters: dict, state: tuple | None = None) -> str:
    """The shared cache's key for the count of a listing: its filters and the state of the
    record. Every page of a filtered listing shows the same count, and at 2M a filter that
    probes each release (a language) reads thousands of rows to count 1,001: counted once per
    state of the record for all the workers, not on each page's first render in each."""
    from django.utils.http import urlencode

    from pressroom.dbrouter import read_alias
    from pressroom.releases.queries import record_state

    state = state or record_state()  # `state`: the record_state() the caller just read
    which = f"{read_alias(Release)}:{urlencode(sorted(filters.items()))}:{':'.join(state)}"
    return f"website:listing-count:{hashlib.sha256(which.encode()).hexdigest()}"


def days_of(releases):
    """[(date in IST, [releases])], newest day first, for pages grouped by day."""
    groups: dict[date, list] = {}
    for r in releases:
        groups.setdefault(r.posted_at.astimezone(IST).date(), []).append(r)
    return list(groups.items())



def search_versions(q: str, limit: int = 50):
    """The newest language versions matching `q`, through the search index (the same query
    language as /search/), for the search feeds."""
    from pressroom.search import engine

    results = engine.query(q.replace("\x00", " "), sort="newest", per_page=limit)
    return [hit.version for hit in results.hits]


COUNTS_CACHE = 60  # seconds; counting every release on each home page view costs ~0.2 s at 100,000


def counted(model) -> list:
    """Ministries or bureaus with `.n`, their number of releases, most first (cached).
    Counted on the releases' own (ministry, posted_at) and (bureau, posted_at) indexes, read
    alone: 74 ms at 2,000,000 releases, where joining each owner to its releases took 2 s.
    Kept in the shared cache, so the workers count once a minute between them, not each."""
    key = f"website:counted:{model._meta.label}"
    found = caches["shared"].get(key)
    if found is None:
        column = model._meta.model_name  # "ministry" or "bureau", the Release field
        counts = dict(Release.objects.order_by().values_list(column).annotate(n=Count("*")))
        found = list(model.objects.all())
        for owner in found:
            owner.n = counts.get(owner.pk, 0)
        found.sort(key=lambda o: (-o.n, o.name))
        caches["shared"].set(key, found, COUNTS_CACHE)
    return found


def languages_in_use() -> list:
    """Languages some release is published in (cached): one index seek per language (EXISTS);
    the DISTINCT it replaces read every version's index entry, 2.5 million at 2M releases."""
    found = cache.get("website:languages-in-use")
    if found is None:
        found = list(Language.objects.filter(
            Exists(LanguageVersion.objects.filter(language=OuterRef("pk")))))
        cache.set("website:languages-in-use", found, COUNTS_CACHE)
    return found
