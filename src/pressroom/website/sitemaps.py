"""Sitemap index with one sitemap per month of releases (every language version), and robots.txt."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from pressroom.releases.models import LanguageVersion, Release
from pressroom.releases.pibtext import IST

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
                                                "release__release_id", "release__updated_at")
                .order_by("release__posted_at", "release_id", "id"))

    def location(self, v):
        return v.get_absolute_url()

    def lastmod(self, v):
        return max(v.updated_at, v.release.updated_at)


class PagesSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return ["website:home", "website:release_list", "website:ministries"]

    def location(self, name):
        return reverse(name)


def months():
    return Release.objects.exclude(status=Release.Status.REMOVED).datetimes(
        "posted_at", "month", tzinfo=IST)


def sections() -> dict:
    found = {"pages": PagesSitemap()}
    for m in months():
        found[f"releases-{m:%Y-%m}"] = MonthSitemap(m.year, m.month)
    return found


@require_safe
def sitemap_index(request):
    response = sitemap_views.index(request, sections(), sitemap_url_name="website:sitemap_section")
    return cache_public(response, max_age=3600)


@require_safe
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
        f"Sitemap: {request.build_absolute_uri(reverse('website:sitemap'))}",
        "",
    ]
    return cache_public(HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8"),
                        max_age=86400)
