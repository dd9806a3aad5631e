"""The times readers and machines are told: an imported release was last modified when it was
posted, not when it was imported; a correction moves its time on. Every time carries the IST
offset, the API's `updated_at` too."""

import json
import re
from xml.etree import ElementTree

from django.core.cache import cache, caches
from django.utils import timezone

from pressroom.releases import store
from pressroom.releases.models import LanguageVersion

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
POSTED = "2018-10-04T17:19:00+05:30"


def told(reader) -> dict:
    """The seed's modified time as the sitemap, the Atom feed and the page say it."""
    cache.clear()
    caches["shared"].clear()  # the sitemaps' month figures and past months
    sitemap = ElementTree.fromstring(reader.get("/sitemaps/releases-2018-10.xml").content)
    lastmod = next(u.find(SITEMAP + "lastmod").text for u in sitemap
                   if u.find(SITEMAP + "loc").text.endswith("/release/1548606/"))
    index = ElementTree.fromstring(reader.get("/sitemap.xml").content)
    month = next(s.find(SITEMAP + "lastmod").text for s in index
                 if s.find(SITEMAP + "loc").text.endswith("releases-2018-10.xml"))
    feed = ElementTree.fromstring(reader.get("/feeds/latest.atom").content)
    updated = next(e.find(ATOM + "updated").text for e in feed.iter(ATOM + "entry")
                   if e.find(ATOM + "link").get("href").endswith("/release/1548606/"))
    html = reader.get("/release/1548606/").content.decode()
    article = re.search(r'<meta property="article:modified_time" content="([^"]+)">', html)[1]
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    return {"sitemap": lastmod, "sitemap index": month, "atom": updated, "article": article,
            "json-ld": ld["dateModified"]}


def test_an_imported_release_was_modified_when_it_was_posted(reader, seed):
    assert LanguageVersion.objects.get(release=seed).updated_at.year > 2018  # written today
    times = told(reader)
    assert all(when.startswith("2018-10-04") for when in times.values()), times  # not today
    assert times["atom"] == times["json-ld"] == POSTED and times["article"].startswith(POSTED[:19])


def test_a_correction_is_a_modification_at_its_time(reader, seed):
    version = LanguageVersion.objects.get(release=seed)
    store.correct_version(version, fields={**version.content(), "title": "Corrected"},
                          note="Title corrected")
    today = timezone.localdate().isoformat()
    times = told(reader)
    assert all(when.startswith(today) for when in times.values()), times


def test_api_times_carry_the_ist_offset(reader, seed):
    data = reader.get("/api/v1/releases/1548606").json()
    assert data["posted_at"] == POSTED
    assert data["updated_at"].endswith("+05:30")
    assert all(v["updated_at"].endswith("+05:30") for v in data["versions"])
    hit = reader.get("/api/v1/search", {"q": "kazakhstan"}).json()["hits"][0]
    assert hit["posted_at"] == POSTED


def test_a_past_months_sitemap_is_made_once_for_every_worker(reader, sample_archive):
    """A month before the last two is worked out once and kept in the shared cache (Redis, or
    files in the data folder), so another worker, or this one after a restart, reads it without
    the month's rows; once the month's figures are worked out again, a change shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pressroom.website import pagecache, sitemaps

    url = "/sitemaps/releases-2018-10.xml"
    first = reader.get(url)
    assert "/release/1548606/" in first.content.decode()
    pagecache.clear()  # another worker: its own page cache is empty
    with CaptureQueriesContext(connection) as queries:
        again = reader.get(url)
    assert again.content == first.content and again["Last-Modified"] == first["Last-Modified"]
    assert not any("JOIN" in q["sql"] for q in queries.captured_queries), queries.captured_queries

    version = LanguageVersion.objects.get(release_id=1548606)
    store.correct_version(version, fields={**version.content(), "title": "Corrected"},
                          note="Title corrected")
    assert reader.get(url).content == first.content  # the month's figures are kept six hours
    caches["shared"].delete(sitemaps._month_key((2018, 10)))  # the figures' six hours are up
    pagecache.clear()  # ... and the worker's copy its minute
    after = reader.get(url)
    today = timezone.localdate().isoformat()
    assert f"<lastmod>{today}</lastmod>" in after.content.decode()
    assert after["Last-Modified"] != first["Last-Modified"]
