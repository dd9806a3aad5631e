"""Listings page by keyset (each page one index seek, however deep) and never count the
whole archive: at most COUNT_CAP + 1 rows, then "more than"."""

import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pressroom.releases.models import Release
from pressroom.website import queries

LINK = re.compile(r'<a rel="(prev|next)" href="\?([^"]+)"')
ITEM = re.compile(r'href="/release/(\d+)/')


def links(html):
    return {rel: htmllib.unescape(q) for rel, q in LINK.findall(html)}


def ids_on(html):
    listing = html[html.index('class="result-count"'):]
    return list(dict.fromkeys(int(n) for n in ITEM.findall(listing)))


def walk(reader, query, rel="next"):
    pages, url = [], "/releases/?" + query
    while url:
        r = reader.get(url)
        assert r.status_code == 200, (url, r.content[:300])
        html = r.content.decode()
        pages.append(ids_on(html))
        nxt = links(html).get(rel)
        url = "/releases/?" + nxt if nxt else None
    return pages, html


@pytest.mark.parametrize("query, qs", [
    ("", lambda: Release.objects.all()),
    ("ministry=ministry-of-defence", lambda: Release.objects.filter(ministry__slug="ministry-of-defence")),
    ("lang=hi", lambda: Release.objects.filter(versions__language="hi")),
    ("bureau=delhi", lambda: Release.objects.filter(bureau__slug="delhi")),
])
def test_older_and_newer_links_walk_every_release_once(reader, sample_archive, query, qs, settings):
    settings.PRESSROOM = {**settings.PRESSROOM, "RELEASES_PER_PAGE": 4}
    expected = list(qs().exclude(status=Release.Status.REMOVED)
                    .order_by("-posted_at", "-release_id").values_list("release_id", flat=True))
    pages, last = walk(reader, query)
    assert [i for p in pages for i in p] == expected
    assert all(len(p) == 4 for p in pages[:-1])
    # ...and back from the oldest page to the newest, by the Newer links: the same pages.
    back, html = [pages[-1]], last
    while links(html).get("prev"):
        html = reader.get("/releases/?" + links(html)["prev"]).content.decode()
        back.append(ids_on(html))
    assert back[::-1] == pages


def test_no_listing_counts_the_whole_archive(reader, sample_archive):
    with CaptureQueriesContext(connection) as ctx:
        for query in ("", "ministry=ministry-of-defence", "lang=hi", "date=2020-04-04",
                      "bureau=delhi", "page=3"):
            assert reader.get("/releases/?" + query).status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all(f"LIMIT {queries.COUNT_CAP + 1}" in sql for sql in counts), counts
    assert not [q["sql"] for q in ctx.captured_queries if " OFFSET " in q["sql"]
                and "before=" in q["sql"]]


def test_past_the_cap_the_count_says_more_than(reader, sample_archive, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 10)
    html = reader.get("/releases/").content.decode()
    assert re.search(r'<p class="result-count">More than 1[0,]* releases</p>', html), html[:2000]
    exact = reader.get("/releases/?date=2018-10-04").content.decode()
    assert '<p class="result-count">1 release</p>' in exact


def test_deep_pages_are_one_index_seek(db):
    from datetime import UTC, datetime

    from pressroom.releases import keyset

    qs = keyset.older(Release.objects.exclude(status=Release.Status.REMOVED)
                      .order_by("-posted_at", "-release_id"), datetime(2020, 1, 1, tzinfo=UTC), 5)
    sql, params = qs[:21].query.sql_with_params()
    assert " OFFSET " not in sql
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in c.fetchall())
        assert "USING INDEX release_keyset" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("query", ["before=nonsense", "after=%%%", "before=" + "A" * 300,
                                   "page=51", "page=999999"])
def test_a_broken_page_link_is_a_400_that_says_so(reader, sample_archive, query):
    r = reader.get("/releases/?" + query)
    assert r.status_code == 400
    text = r.content.decode()
    assert "start again from the newest" in text or "Page numbers go up to 50" in text


def test_old_page_numbers_still_work(reader, sample_archive, settings):
    settings.PRESSROOM = {**settings.PRESSROOM, "RELEASES_PER_PAGE": 4}
    expected = list(Release.objects.order_by("-posted_at", "-release_id")
                    .values_list("release_id", flat=True)[4:8])
    assert ids_on(reader.get("/releases/?page=2").content.decode()) == expected


@pytest.mark.parametrize("page", ["0", "00", "-1", "x", ""])
def test_a_page_number_below_one_is_the_first_page(reader, sample_archive, settings, page):
    settings.PRESSROOM = {**settings.PRESSROOM, "RELEASES_PER_PAGE": 4}
    first = ids_on(reader.get("/releases/").content.decode())
    r = reader.get(f"/releases/?page={page}")
    assert r.status_code == 200 and ids_on(r.content.decode()) == first
