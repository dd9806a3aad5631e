"""Reading the record for the site's own pages (what no other reader needs); the queries
readers share are in releases.queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.core.cache import cache
from django.db import connections
from django.db.models import Count

from pressroom.dbrouter import read_alias
from pressroom.releases.models import Language, LanguageVersion, Release
from pressroom.releases.pibtext import IST
from pressroom.releases.queries import MAX_ID


def version_rows(release_id: int) -> list[dict]:
    """What decides a release page, in one query: each version's id, language, update time
    and count, with the release's status and update time. Plain SQL: this runs on every
    view of every release page, and the ORM's query building would be most of its cost."""
    if not 0 <= release_id <= MAX_ID:
        return []
    with connections[read_alias(LanguageVersion)].cursor() as c:  # a replica, where there is one
        c.execute(VERSION_ROWS_SQL, [release_id])
        rows = c.fetchall()
    return [{"id": vid, "language_id": lang, "is_original": bool(orig), "updated_at": _utc(vu),
             "visitor_count": count, "release__status": status, "release__updated_at": _utc(ru)}
            for vid, lang, orig, vu, count, status, ru in rows]


VERSION_ROWS_SQL = (
    f"SELECT v.id, v.language_id, v.is_original, v.updated_at, v.visitor_count, r.status, r.updated_at "
    f"FROM {LanguageVersion._meta.db_table} v JOIN {Release._meta.db_table} r "
    f"ON r.release_id = v.release_id WHERE v.release_id = %s ORDER BY v.language_id")


def _utc(value):
    """Aware datetimes from PostgreSQL; SQLite gives naive ones (or text), in UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


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
    """Ministries or bureaus with `.n`, their number of releases, most first (cached)."""
    key = f"website:counted:{model._meta.label}"
    found = cache.get(key)
    if found is None:
        found = list(model.objects.annotate(n=Count("releases")).order_by("-n", "name"))
        cache.set(key, found, COUNTS_CACHE)
    return found


def languages_in_use() -> list:
    """Languages some release is published in (cached)."""
    found = cache.get("website:languages-in-use")
    if found is None:
        used = set(LanguageVersion.objects.order_by().values_list("language_id", flat=True).distinct())
        found = [lang for lang in Language.objects.all() if lang.code in used]
        cache.set("website:languages-in-use", found, COUNTS_CACHE)
    return found
