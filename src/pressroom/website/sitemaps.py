"""Sitemap index with one sitemap per month of releases (every language version), and robots.txt."""

import math
from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from pressroom.releases import representations
from pressroom.releases.models import LanguageVersion, Release
from pressroom.releases.pibtext import IST
from pressroom.urlcache import reverse_cached

from . import pagecache
from .caching import cache_public


class MonthSitemap(Sitemap):
    """Every language version of the releases posted in one month (IST)."""

    def __init__(self, year: int, month: int):
        self.start = datetime(year, month, 1, tzinfo=IST)
        self.end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=IST)

    def items(self):
        return (LanguageVersion.objects
                .filter(release__posted_at__gte=self.start, release__posted_at__lt=self.end)
                .exclude(release__status=Release.Status.REMOVED)
                .select_related("release").only("id", "language_id", "is_original", "updated_at",
                                                "revision", "translates_revision",
                                                "release__release_id", "release__updated_at",
                                                "release__posted_at", "release__status")
                .order_by("release__posted_at", "release_id", "id"))

    def location(self, v):
        return v.get_absolute_url()

    def lastmod(self, v):
        return representations.modified_at(v.release, v)


class PagesSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return ["website:home", "website:release_list", "website:ministries"]

    def location(self, name):
        return reverse(name)


def month_stats() -> dict[tuple[int, int], tuple[int, datetime]]:
    """{(year, month): (language versions, latest change)}, grouped in Python from two
    narrow scans: cheaper than asking the database to truncate 100,000 dates in SQL
    functions, and cached for SECTIONS_CACHE seconds."""
    stats = cache.get(SECTIONS_KEY)
    if stats is not None:
        return stats
    stats = {}
    rows = (LanguageVersion.objects.exclude(release__status=Release.Status.REMOVED)
            .values_list("release__posted_at", "release__status", "release__updated_at",
                         "revision", "translates_revision", "updated_at"))
    for row in rows.iterator(chunk_size=10000):
        local = row[0].astimezone(IST)
        key = (local.year, local.month)
        changed = representations.own_time(*row)
        n, latest = stats.get(key, (0, changed))
        stats[key] = (n + 1, max(latest, changed))
    cache.set(SECTIONS_KEY, stats, SECTIONS_CACHE)
    return stats


SECTIONS_KEY = "website:sitemap-months"
SECTIONS_CACHE = 600  # a new month or a correction shows in the index within ten minutes


@require_safe
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
@pagecache.kept_while_record_unchanged
def sitemap_section(request, section):
    if section == "pages":
        chosen = PagesSitemap()
    else:
        try:
            year, month = int(section[9:13]), int(section[14:16])
            chosen = MonthSitemap(year, month)
        except ValueError:
            raise Http404("No such sitemap") from None
    response = sitemap_views.sitemap(request, {section: chosen}, section=section)
    return cache_public(response, max_age=3600)


@require_safe
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
