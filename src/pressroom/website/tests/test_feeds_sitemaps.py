"""Feeds (read by a real feed parser), sitemaps, robots.txt and the release page's metadata."""

import json
import re
from xml.etree import ElementTree

import feedparser
import pytest
from django.core.cache import cache, caches
from django.http import Http404

from pressroom.releases import store
from pressroom.releases.models import Bureau, LanguageVersion, Ministry, Release

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse(reader, url):
    r = reader.get(url)
    assert r.status_code == 200, url
    feed = feedparser.parse(r.content)
    assert not feed.bozo, (url, feed.bozo_exception)
    return r, feed


@pytest.mark.parametrize("flavour, version", [("atom", "atom10"), ("rss", "rss20")])
def test_latest_feed_is_full_text_with_dates_language_and_links(reader, sample_archive,
                                                              flavour, version):
    r, feed = parse(reader, f"/feeds/latest.{flavour}")
    assert feed.version == version
    assert r["Content-Type"].startswith(f"application/{flavour}+xml")
    assert len(feed.entries) == min(50, Release.objects.count())
    newest = Release.objects.order_by("-posted_at", "-release_id").first()
    top = feed.entries[0]
    original = newest.versions.get(is_original=True)
    assert top.link == f"http://testserver/release/{newest.release_id}/"
    assert top.title == original.title
    assert top.published_parsed[:5] == newest.posted_at.utctimetuple()[:5]
    body = top.content[0].value if flavour == "atom" else top.description
    assert original.paragraphs[-1][:60] in body  # the whole text, last paragraph included
    if flavour == "rss":
        assert feed.feed.language == "en"
    else:
        assert top.get("language", "en") == "en"
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_ministry_bureau_language_feeds(reader, sample_archive):
    ministry = Ministry.objects.get(name="Ministry of Defence")
    _, feed = parse(reader, f"/feeds/ministry/{ministry.slug}.atom")
    assert feed.entries and all(e.author == "Ministry of Defence" for e in feed.entries)
    bureau = Bureau.objects.get(name="PIB Delhi")
    _, feed = parse(reader, f"/feeds/bureau/{bureau.slug}.rss")
    assert len(feed.entries) == min(50, bureau.releases.count())
    _, feed = parse(reader, "/feeds/language/ur.atom")
    urdu = LanguageVersion.objects.filter(language="ur")
    assert len(feed.entries) == min(50, urdu.count())
    assert feed.feed.language == "ur"
    assert all(re.search(r"/release/\d+/ur/$", e.link) for e in feed.entries)
    assert {e.title for e in feed.entries} <= set(urdu.values_list("title", flat=True))
    assert reader.get("/feeds/ministry/no-such.atom").status_code == 404
    assert reader.get("/feeds/language/zz.rss").status_code == 404


def test_search_feed(reader, sample_archive):
    _, feed = parse(reader, "/feeds/search.atom?q=Kazakhstan")
    assert [e.link for e in feed.entries] == ["http://testserver/release/1548606/"]
    _, feed = parse(reader, "/feeds/search.rss?q=Kazakhstan+defence")
    assert len(feed.entries) == 1
    assert reader.get("/feeds/search.atom").status_code == 404
    # The search index's query language: a Hindi word finds Hindi versions, "-" excludes.
    _, feed = parse(reader, "/feeds/search.atom?q=%E0%A4%AA%E0%A5%8D%E0%A4%B0%E0%A4%A7%E0%A4%BE%E0%A4%A8"
                            "%E0%A4%AE%E0%A4%82%E0%A4%A4%E0%A5%8D%E0%A4%B0%E0%A5%80")  # प्रधानमंत्री
    # (Marathi writes the same word in the same script.)
    assert feed.entries and all(re.search(r"/release/\d+/(hi|mr)/$", e.link) for e in feed.entries)
    _, feed = parse(reader, "/feeds/search.atom?q=Kazakhstan+-defence")
    assert feed.entries == []
    _, feed = parse(reader, "/feeds/search.atom?q=%3Cscript%3E")
    assert feed.entries == []
    _, feed = parse(reader, "/feeds/search.rss?q=Kazakhstan%00")  # NUL: refused by PostgreSQL
    assert len(feed.entries) == 1


def test_control_characters_in_the_record_do_not_break_feeds(reader, languages):
    """The import refuses control characters in names and titles; a record that holds one
    all the same (an older database, a path past the import's checks) still makes a feed."""
    from datetime import datetime

    from pressroom.releases import store
    from pressroom.releases.models import Bureau, Ministry
    from pressroom.releases.pibtext import IST

    store.publish_release(
        ministry=Ministry.objects.create(name="Ministry of\x0bDefence", slug="ministry-of-defence"),
        bureau=Bureau.objects.create(name="PIB Delhi", slug="pib-delhi"), language="en",
        posted_at=datetime(2020, 1, 1, 10, 0, tzinfo=IST),
        fields=store.content_fields(title="Form\x0cfeed title", body_html="<p>Bell\x07 in the text</p>"))
    for url in ("/feeds/latest.atom", "/feeds/latest.rss", "/feeds/search.atom?q=feed%01"):
        _, feed = parse(reader, url)
        assert feed.entries[0].title.split() == ["Form", "feed", "title"]  # the control character gone


def test_pages_link_their_feeds(reader, sample_archive):
    html = reader.get("/").content.decode()
    assert 'type="application/atom+xml"' in html and 'href="/feeds/latest.atom"' in html
    html = reader.get("/releases/?ministry=ministry-of-defence&lang=hi").content.decode()
    assert 'href="/feeds/ministry/ministry-of-defence.atom"' in html
    assert 'href="/feeds/language/hi.rss"' in html
    html = reader.get("/release/1548606/").content.decode()
    assert 'href="/feeds/ministry/ministry-of-defence.atom"' in html


def test_sitemap_index_monthly_sitemaps_and_lastmod(reader, sample_archive):
    cache.clear()  # the index's month list is cached for ten minutes
    caches["shared"].clear()  # the sitemaps' month figures and past months
    index = ElementTree.fromstring(reader.get("/sitemap.xml").content)
    locs = [s.find(SITEMAP + "loc").text for s in index]
    assert "http://testserver/sitemaps/releases-2018-10.xml" in locs
    months = {m.strftime("%Y-%m") for m in Release.objects.datetimes("posted_at", "month")}
    assert len([u for u in locs if "releases-" in u]) >= len(months) - 1  # IST vs UTC edge
    for s in index:
        if "releases-" in s.find(SITEMAP + "loc").text:
            assert s.find(SITEMAP + "lastmod") is not None
    urls = set()
    for loc in locs:
        r = reader.get(loc.removeprefix("http://testserver"))
        assert r.status_code == 200
        for u in ElementTree.fromstring(r.content):
            assert u.find(SITEMAP + "lastmod") is not None or "releases-" not in loc
            urls.add(u.find(SITEMAP + "loc").text.removeprefix("http://testserver"))
    assert len([u for u in urls if u.startswith("/release/")]) == LanguageVersion.objects.count()
    assert "/release/1548606/" in urls
    assert reader.get("/sitemaps/releases-2018-13.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap(reader, db):
    response = reader.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="hi")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /newsroom/" in text
    # The same in every language: nothing for caches to keep one copy of per language.
    assert "Accept-Language" not in response.get("Vary", "")
    assert "Accept-Language" not in reader.get("/sitemap.xml").get("Vary", "")


def test_release_page_metadata(reader, sample_archive):
    release = Release.objects.filter(versions__language="ur").first()
    html = reader.get(f"/release/{release.release_id}/ur/").content.decode()
    base = f"http://testserver/release/{release.release_id}/"
    assert f'<link rel="canonical" href="{base}ur/">' in html
    for v in release.versions.all():
        url = base if v.is_original else f"{base}{v.language_id}/"
        assert f'<link rel="alternate" hreflang="{v.language_id}" href="{url}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{base}">' in html
    assert '<meta property="og:locale" content="ur_IN">' in html
    assert f'<meta property="og:url" content="{base}ur/">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "ur"
    assert data["headline"] == release.versions.get(language="ur").title
    assert data["datePublished"].endswith("+05:30")
    assert data["translationOfWork"] == {"@id": base}


def test_json_ld_cannot_close_its_script(reader, tmp_path, import_paths):
    f = tmp_path / "x.jsonl"
    evil = "</script><script>alert(1)</script><!--"
    f.write_text(json.dumps({
        "release_id": 78, "language": "en", "ministry": "Ministry of Defence", "bureau": "PIB Delhi",
        "title": evil, "posted_at": "2020-01-01T10:00:00+05:30", "body_text": evil + " & more"}))
    import_paths(f)
    html = reader.get("/release/78/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert "<" not in block and json.loads(block)["headline"] == evil
    assert "<script>alert" not in html


def test_a_feed_is_built_once_per_state_of_its_releases(client, sample_archive,
                                                      django_assert_max_num_queries):
    """Kept in the page cache: a second request reads two small queries, not 50 releases;
    a correction of one of its releases makes a new one."""
    from pressroom.releases import store
    from pressroom.releases.models import LanguageVersion
    from pressroom.website import pagecache

    pagecache.clear()
    first = client.get("/feeds/latest.atom")
    with django_assert_max_num_queries(3):
        again = client.get("/feeds/latest.atom")
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert again.get("Last-Modified") == first.get("Last-Modified")
    version = LanguageVersion.objects.filter(is_original=True).order_by("-release__posted_at").first()
    fields = {**version.content(), "title": version.title + " (corrected)"}
    store.correct_version(version, fields=fields, note="a word")
    after = client.get("/feeds/latest.atom")
    assert b"(corrected)" in after.content


def test_month_stats_are_every_versions_count_and_own_time(sample_archive):
    """The per-month aggregates give what representations.own_time says of each version,
    grouped by its IST month: withdrawals and corrections included, removals left out."""
    from pressroom.releases import representations, store
    from pressroom.releases.pibtext import IST
    from pressroom.website.sitemaps import month_stats

    withdrawn, removed = Release.objects.order_by("release_id")[:2]
    store.set_status(withdrawn, Release.Status.WITHDRAWN, "Issued in error.")
    store.set_status(removed, Release.Status.REMOVED, "Duplicate.")
    cache.clear()
    caches["shared"].clear()  # the sitemaps' month figures and past months
    expected = {}
    for v in LanguageVersion.objects.select_related("release").exclude(
            release__status=Release.Status.REMOVED):
        r = v.release
        local = r.posted_at.astimezone(IST)
        own = representations.own_time(r.posted_at, r.status, r.updated_at, v.revision,
                                       v.translates_revision, v.updated_at)
        n, latest = expected.get((local.year, local.month), (0, own))
        expected[(local.year, local.month)] = (n + 1, max(latest, own))
    assert month_stats() == expected and expected


def test_a_month_past_the_page_limit_is_split_into_pages(reader, sample_archive, monkeypatch):
    from pressroom.website import sitemaps

    monkeypatch.setattr(sitemaps.MonthSitemap, "limit", 2)
    cache.clear()
    caches["shared"].clear()  # the sitemaps' month figures and past months
    index = ElementTree.fromstring(reader.get("/sitemap.xml").content)
    locs = [s.find(SITEMAP + "loc").text.removeprefix("http://testserver") for s in index]
    paged = [u for u in locs if "?p=" in u]
    assert paged, locs
    urls = []
    for loc in [u for u in locs if "releases-" in u]:
        page = ElementTree.fromstring(reader.get(loc).content)
        assert len(page) <= 2
        urls += [u.find(SITEMAP + "loc").text for u in page]
    assert len(urls) == len(set(urls)) == LanguageVersion.objects.count()


def test_a_month_page_is_what_djangos_sitemap_of_the_versions_gives(rf, sample_archive, monkeypatch):
    """Month pages are written from plain rows; Django's Sitemap over the model instances (what
    they were) gives the same URLs, days, order and Last-Modified, on every page."""
    from django.contrib.sitemaps import Sitemap
    from django.contrib.sitemaps import views as sitemap_views

    from pressroom.releases import representations
    from pressroom.website import sitemaps

    class DjangosMonth(Sitemap):
        limit = 2

        def __init__(self, month):
            self.month = month

        def items(self):
            return (LanguageVersion.objects
                    .filter(release__posted_at__gte=self.month.start,
                            release__posted_at__lt=self.month.end)
                    .exclude(release__status=Release.Status.REMOVED).select_related("release")
                    .order_by("release__posted_at", "release_id", "id"))

        def location(self, v):
            return v.get_absolute_url()

        def lastmod(self, v):
            return representations.modified_at(v.release, v)

    cache.clear()
    caches["shared"].clear()  # the sitemaps' month figures and past months
    (year, number), (n, _) = max(sitemaps.month_stats().items(), key=lambda m: m[1][0])
    monkeypatch.setattr(sitemaps.MonthSitemap, "limit", 2)
    month = sitemaps.MonthSitemap(year, number)
    pages = 0
    for page in range(1, 100):
        request = rf.get(f"/sitemaps/releases-{year:04d}-{number:02d}.xml?p={page}")
        try:
            ours = month.response(request, page)
        except Http404:
            break
        theirs = sitemap_views.sitemap(request, {"m": DjangosMonth(month)}, section="m")
        theirs.render()

        def entries(content):
            return [(u.find(SITEMAP + "loc").text, u.find(SITEMAP + "lastmod").text)
                    for u in ElementTree.fromstring(content)]

        assert entries(ours.content) == entries(theirs.content) and entries(ours.content)
        assert ours["Last-Modified"] == theirs["Last-Modified"]
        assert ours["X-Robots-Tag"] == theirs["X-Robots-Tag"]
        pages += 1
    assert n >= 3 and pages == (n + 1) // 2  # every page of two, then a 404


def test_a_month_page_has_an_etag_of_what_it_is_made_from_and_revalidates(reader, sample_archive):
    """Past months and the last two alike: the ETag names the page's state, a reader who
    has it gets 304, and a change to the month's releases gives a new ETag."""
    index = ElementTree.fromstring(reader.get("/sitemap.xml").content)
    locs = [s.find(SITEMAP + "loc").text.removeprefix("http://testserver") for s in index]
    months = [u for u in locs if "releases-" in u]
    assert months
    for loc in months:
        first = reader.get(loc)
        etag = first["ETag"]
        assert first.status_code == 200 and etag.startswith('"') and reader.get(loc)["ETag"] == etag
        assert reader.get(loc, HTTP_IF_NONE_MATCH=etag).status_code == 304
    loc = months[0]
    etag = reader.get(loc)["ETag"]
    release_id = int(ElementTree.fromstring(reader.get(loc).content)[0].find(SITEMAP + "loc").text
                     .rstrip("/").split("/")[-1])
    store.set_status(Release.objects.get(release_id=release_id), "withdrawn", "test")
    caches["shared"].clear()  # a past month's figures are kept for hours
    assert reader.get(loc)["ETag"] != etag


def test_a_crawler_taking_gzip_gets_the_month_page_gzipped(reader, sample_archive):
    import gzip

    index = ElementTree.fromstring(reader.get("/sitemap.xml").content)
    loc = next(s.find(SITEMAP + "loc").text.removeprefix("http://testserver") for s in index
               if "releases-" in s.find(SITEMAP + "loc").text)
    for _ in range(2):  # made, then kept
        plain = reader.get(loc)
        zipped = reader.get(loc, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert "Content-Encoding" not in plain and zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.content) == plain.content
        assert ElementTree.fromstring(plain.content).tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        for r in (plain, zipped):
            assert "Accept-Encoding" in r["Vary"] and r["Content-Type"] == "application/xml"
        assert plain["ETag"] != zipped["ETag"]
        assert reader.get(loc, HTTP_ACCEPT_ENCODING="gzip",
                          HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code == 304
