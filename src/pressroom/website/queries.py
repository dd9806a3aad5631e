"""Reading the record for pages: listing filters and lookups. Views stay thin."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from pressroom.dbrouter import read_alias
from pressroom.releases.dates import archive_date
from pressroom.releases.models import Bureau, Language, LanguageVersion, Ministry, Release
from pressroom.releases.pibtext import IST


@dataclass
class ListingFilter:
    """What /releases/ was asked for, read leniently: bad values become errors, not 500s."""

    day: date | None = None
    ministry: Ministry | None = None
    bureau: Bureau | None = None
    language: Language | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> ListingFilter:
        f = cls()
        raw_date = params.get("date", "").strip()
        if raw_date:
            try:
                f.day = archive_date(raw_date)
            except ValueError:
                f.errors.append(_("“%(value)s” is not a date: use YYYY-MM-DD, for example "
                                  "2020-04-04.") % {"value": raw_date[:40]})
        unknown = {"ministry": _("There is no ministry “%(value)s”."),
                   "bureau": _("There is no bureau “%(value)s”."),
                   "lang": _("There is no language “%(value)s”.")}
        for key, model, attr in (("ministry", Ministry, "slug"), ("bureau", Bureau, "slug"),
                                 ("lang", Language, "code")):
            # NUL never names anything, and PostgreSQL refuses it in a query.
            value = params.get(key, "").replace("\x00", "").strip()[:200]
            if value:
                obj = model.objects.filter(**{attr: value}).first()
                if obj is None:
                    f.errors.append(unknown[key] % {"value": value[:60]})
                setattr(f, key if key != "lang" else "language", obj)
        return f

    def releases(self):
        qs = Release.objects.exclude(status=Release.Status.REMOVED)
        if self.day:
            start = datetime.combine(self.day, time.min, tzinfo=IST)
            qs = qs.filter(posted_at__gte=start, posted_at__lt=start + timedelta(days=1))
        if self.ministry:
            qs = qs.filter(ministry=self.ministry)
        if self.bureau:
            qs = qs.filter(bureau=self.bureau)
        if self.language:
            qs = qs.filter(versions__language=self.language)
        return qs.order_by("-posted_at", "-release_id")

    def as_query(self) -> dict:
        q = {}
        if self.day:
            q["date"] = self.day.isoformat()
        if self.ministry:
            q["ministry"] = self.ministry.slug
        if self.bureau:
            q["bureau"] = self.bureau.slug
        if self.language:
            q["lang"] = self.language.code
        return q


def with_display_versions(releases, language: Language | None = None):
    """Attach `.shown` (the version to show in a listing) and `.languages` to each release."""
    releases = list(releases.select_related("ministry", "bureau").prefetch_related(
        Prefetch("versions", queryset=LanguageVersion.objects.select_related("language").only(
            "id", "release_id", "language_id", "is_original", "title", "subtitles",
            "language__code", "language__native_name", "language__direction",
            "language__position", "language__name"))
    ))
    for r in releases:
        versions = list(r.versions.all())
        chosen = [v for v in versions if language and v.language_id == language.code]
        originals = [v for v in versions if v.is_original]
        r.shown = (chosen or originals or versions or [None])[0]
        r.languages = sorted((v.language for v in versions), key=lambda lang: lang.position)
    return releases


MAX_ID = 2**63 - 1  # larger numbers name nothing (and overflow the database's integers)


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


def find_release_or_version(number: int):
    """A PIB ID names a release or, for translations PIB numbered apart, one version."""
    release = Release.objects.filter(release_id=number).first()
    if release:
        return release, None
    version = LanguageVersion.objects.select_related("release").filter(pib_id=number).first()
    if version:
        return version.release, version
    return None, None


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
