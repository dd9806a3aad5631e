"""Sitemap index with one sitemap per month of releases (every language version), and robots.txt."""

import gzip
import hashlib
import math
import re
from datetime import datetime
from html import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.cache import caches
from django.db.models import Case, Count, Max, Min, Q, When
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from pressroom import urlcache
from pressroom.releases import representations
from pressroom.releases.models import LanguageVersion, Release
from pressroom.releases.pibtext import IST
from pressroom.releases.queries import record_state
from pressroom.urlcache import reverse_cached
from pressroom.utils import language_neutral

from . import pagecache
from .caching import cache_public


class MonthSitemap:
    """Every language version of the releases posted in one month (IST), 10,000 a page (the
    protocol allows 50,000). At 2M releases a month has about 21,000 versions. A page is made
    from plain rows, not Django's Sitemap of model instances: those held about 40 MB more in a
    worker at 2M (bench/scale.py's load, one worker) and took several times as long."""

    limit = 10_000

    def __init__(self, year: int, month: int):
        self.start = datetime(year, month, 1, tzinfo=IST)
        self.end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=IST)

    def rows(self, page: int):
        return (LanguageVersion.objects
                .filter(release__posted_at__gte=self.start, release__posted_at__lt=self.end)
                .exclude(release__status=Release.Status.REMOVED)
                .order_by("release__posted_at", "release_id", "id")
                .values_list("release_id", "language_id", "is_original", "revision",
                             "translates_revision", "updated_at", "release__posted_at",
                             "release__status", "release__updated_at")
                [(page - 1) * self.limit:page * self.limit])

    def response(self, request, page: int) -> HttpResponse:
        """The page's <urlset>, as Django's sitemap view writes it (a <loc> and the day of
        the version's own time in each <url>, Last-Modified the latest of those times);
        404 past the last page. Made once for every worker and kept, gzipped, in the
        shared cache: a month before the last two while the month's figures stay as they
        are, one of the last two for PAGE_MAX_AGE per state of the record. Not in a worker's
        own store of record pages: at 2M a month's first page is about 1 MB, and the 24 of
        them pushed each other (and the listings) out of its 24 MB, so most requests made a
        page anew (p95 2 s under bench/scale.py's load)."""
        base = f"{request.scheme}://{request.get_host()}"
        key, max_age = self.kept_key(base, page)
        kept = shared_cache().get(key) if key else None
        if kept is None:
            body, latest = self.urlset(base, page)
            packed = gzip.compress(body, 6, mtime=0)
            if key:
                shared_cache().set(key, (packed, latest), max_age)
        else:
            packed, latest = kept
            body = None
        # A crawler that takes gzip (they do) gets the kept bytes as they are: ~7x smaller,
        # and nothing to inflate. Others get the XML.
        zipped = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        if zipped:
            response = HttpResponse(packed, content_type="application/xml")
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(body if body is not None else gzip.decompress(packed),
                                    content_type="application/xml")
        patch_vary_headers(response, ("Accept-Encoding",))
        if key:
            # The key names what the page is made from: an ETag without hashing the ~1 MB
            # body (ConditionalGetMiddleware's md5 of it was a third of a kept page's cost);
            # the gzipped bytes are another representation, with an ETag of their own.
            digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
            response["ETag"] = f'"{digest}-gzip"' if zipped else f'"{digest}"'
        if latest is not None:
            response["Last-Modified"] = http_date(latest.timestamp())
        response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap views
        return response

    def kept_key(self, base: str, page: int) -> tuple[str | None, int]:
        """The shared cache's key for the page, and for how long to keep it. A month before
        the last two: the key names the month's figures (versions, latest change), so a
        change the figures show makes the page anew. One of the last two: the key names the
        state of the whole record (releases.queries.record_state). None for an empty archive."""
        month = (self.start.year, self.start.month)
        last = Release.objects.exclude(status=Release.Status.REMOVED).aggregate(
            last=Max("posted_at"))["last"]
        if last is None:
            return None, 0
        where = f"{PAGE_KEY}:{base}:{month[0]:04d}-{month[1]:02d}:{page}"
        if month >= recent_from(last.astimezone(IST)):
            state = ":".join(record_state()).replace(" ", "T")  # no spaces in a cache key
            return f"{where}:state:{state}", settings.PRESSROOM["PAGE_MAX_AGE"]
        n, latest = month_figures(month, recent=False)
        stamp = latest.isoformat() if latest else "-"
        return f"{where}:{n}:{stamp}", PAST_MONTH_CACHE

    def urlset(self, base: str, page: int) -> tuple[bytes, datetime | None]:
        parts, latest = [], None
        zone = timezone.get_current_timezone()  # what timezone.localtime reads, once a page
        paths: dict[str, tuple | None] = {}  # the path's pieces around the release ID, per language
        for (release_id, language, original, revision, translates, updated, posted, status,
             release_updated) in self.rows(page):
            shape = "" if original else language
            pieces = paths.get(shape, False)
            if pieces is False:
                pieces = paths[shape] = (urlcache.int_path_parts("website:release", (None,)) if original
                                         else urlcache.int_path_parts("website:release_version",
                                                                      (None, language)))
            if pieces is not None and len(pieces) == 2:
                path = f"{pieces[0]}{release_id}{pieces[1]}"
            else:
                path = (reverse_cached("website:release", (release_id,)) if original else
                        reverse_cached("website:release_version", (release_id, language)))
            when = representations.own_time(posted, status, release_updated, revision,
                                            translates, updated)
            latest = when if latest is None or when > latest else latest
            parts.append(f"<url><loc>{escape(base + path)}</loc>"
                         f"<lastmod>{when.astimezone(zone):%Y-%m-%d}</lastmod></url>")
        if not parts and page > 1:
            raise Http404(f"Page {page} empty")
        return (URLSET_HEAD + "".join(parts) + "</urlset>\n").encode(), latest


ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads Accept-Encoding
URLSET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
               'schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">')


class PagesSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return ["website:home", "website:release_list", "website:ministries"]

    def location(self, name):
        return reverse(name)


def month_stats() -> dict[tuple[int, int], tuple[int, datetime]]:
    """{(year, month): (language versions, latest change)}: one aggregate per month over its
    range of the (posted_at, release_id) index, each month kept on its own in the shared
    cache (every worker's, and kept across restarts: the first index at 2,000,000 releases
    reads every month, seconds with a cold cache). Past months rarely change, so they are kept
    for PAST_MONTH_CACHE; the last two for SECTIONS_CACHE. (It was one pass over every version
    in Python: 25 s and 260 MB at 2,000,000 releases.)"""
    bounds = Release.objects.exclude(status=Release.Status.REMOVED).aggregate(
        first=Min("posted_at"), last=Max("posted_at"))
    if bounds["first"] is None:
        return {}
    first, last = bounds["first"].astimezone(IST), bounds["last"].astimezone(IST)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    recent = recent_from(last)
    kept = shared_cache().get_many([_month_key(m) for m in months])
    stats = {}
    for m in months:
        found = kept.get(_month_key(m))
        if found is None:
            found = month_figures(m, recent=m >= recent)
        if found[0]:
            stats[m] = found
    return stats


def month_figures(month: tuple[int, int], recent: bool) -> tuple[int, datetime | None]:
    """One month's (versions, latest change), from the shared cache or worked out and kept."""
    found = shared_cache().get(_month_key(month))
    if found is None:
        found = _one_month(*month)
        shared_cache().set(_month_key(month), found, SECTIONS_CACHE if recent else PAST_MONTH_CACHE)
    return found


def recent_from(last_posted: datetime) -> tuple[int, int]:
    """The first of "the last two months": the month before the archive's newest posting,
    or before this month, whichever is earlier (an archive imported late is still recent)."""
    now = timezone.now().astimezone(IST)
    year, month = min((last_posted.year, last_posted.month), (now.year, now.month))
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _month_key(month: tuple[int, int]) -> str:
    return f"{SECTIONS_KEY}:{month[0]:04d}-{month[1]:02d}"


def shared_cache():
    """The cache every worker shares (Redis, or files in the data folder: settings.CACHES)."""
    return caches["shared"]


def _one_month(year: int, month: int) -> tuple[int, datetime | None]:
    """(versions, latest own time) of one month, as representations.own_time reckons it:
    the posting, a version's update where it was revised or translated here, the release's
    where its status changed."""
    start = datetime(year, month, 1, tzinfo=IST)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=IST)
    row = (LanguageVersion.objects
           .filter(release__posted_at__gte=start, release__posted_at__lt=end)
           .exclude(release__status=Release.Status.REMOVED)
           .aggregate(n=Count("pk"), posted=Max("release__posted_at"),
                      revised=Max(Case(When(Q(revision__gt=1) | Q(translates_revision__isnull=False),
                                            then="updated_at"))),
                      status=Max(Case(When(~Q(release__status=Release.Status.PUBLISHED),
                                           then="release__updated_at")))))
    times = [t for t in (row["posted"], row["revised"], row["status"]) if t is not None]
    return row["n"], max(times).astimezone(IST) if times else None


SECTIONS_KEY = "website:sitemap-month"
PAGE_KEY = "website:sitemap-page-gz"  # -gz: gzipped pages (zlib before: a new name, never misread)
SECTIONS_CACHE = 600  # a new release or a correction shows in the index within ten minutes
PAST_MONTH_CACHE = 6 * 3600  # ... one in a month before the last two, within six hours


@require_safe
@language_neutral
@pagecache.kept_while_record_unchanged
def sitemap_index(request):
    """The index: the pages sitemap, then one sitemap per month (more pages past 50,000 URLs)."""
    items = [SitemapIndexItem(request.build_absolute_uri(
        reverse("website:sitemap_section", kwargs={"section": "pages"})), None)]
    for (year, month), (n, latest) in sorted(month_stats().items()):
        url = request.build_absolute_uri(reverse("website:sitemap_section",
                                                 kwargs={"section": f"releases-{year:04d}-{month:02d}"}))
        items.append(SitemapIndexItem(url, latest))
        items += [SitemapIndexItem(f"{url}?p={page}", latest)
                  for page in range(2, math.ceil(n / MonthSitemap.limit) + 1)]
    response = TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items},
                                content_type="application/xml")
    return cache_public(response, max_age=3600)


@require_safe
@language_neutral
def sitemap_section(request, section):
    if section == "pages":
        return pages_section(request)
    try:
        chosen = MonthSitemap(int(section[9:13]), int(section[14:16]))
    except ValueError:
        raise Http404("No such sitemap") from None
    page = request.GET.get("p", "1")
    if not page.isdigit() or int(page) < 1:
        raise Http404(f"No page '{page}'")
    response = chosen.response(request, int(page))
    return cache_public(response, max_age=3600)


@pagecache.kept_while_record_unchanged
def pages_section(request):
    """The site's own pages: small, kept in the worker per state of the record."""
    response = sitemap_views.sitemap(request, {"pages": PagesSitemap()}, section="pages")
    return cache_public(response, max_age=3600)


@require_safe
@language_neutral
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /newsroom/",
        "Disallow: /admin/",
        "Disallow: /search/",  # endless combinations; the sitemap lists every release
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse_cached('website:sitemap'))}",
        "",
    ]
    return cache_public(HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8"),
                        max_age=86400)
