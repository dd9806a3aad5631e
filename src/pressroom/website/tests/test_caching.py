"""HTTP caching: validators, 304s, Cache-Control; corrections and withdrawals change them."""

import re

import pytest
from django.test import Client
from django.utils.http import http_date

from conftest import SEED
from pressroom.counters.buffer import flush
from pressroom.releases import store
from pressroom.releases.models import LanguageVersion, Release
from pressroom.website.tests.conftest import BROWSER


def test_release_page_validators_and_304(reader, seed):
    r = reader.get("/release/1548606/")
    assert r["Cache-Control"] == "public, no-cache, max-age=0"
    etag, modified = r["ETag"], r["Last-Modified"]
    assert modified == http_date(max(seed.updated_at, seed.versions.get().updated_at).timestamp())
    again = reader.get("/release/1548606/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    since = reader.get("/release/1548606/", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    assert reader.get("/release/1548606/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_correction_changes_etag_and_last_modified(reader, seed, import_paths, tmp_path):
    r = reader.get("/release/1548606/")
    corrected = tmp_path / "c.txt"
    corrected.write_text(SEED.read_text().replace("boost Defence", "boost defence"))
    import_paths(corrected)
    after = reader.get("/release/1548606/", HTTP_IF_NONE_MATCH=r["ETag"])
    assert after.status_code == 200 and after["ETag"] != r["ETag"]
    assert "boost defence" in after.content.decode()


def test_a_withdrawal_changes_them(reader, seed):
    etag = reader.get("/release/1548606/")["ETag"]
    store.set_status(seed, Release.Status.WITHDRAWN, "Issued in error.")
    after = reader.get("/release/1548606/", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag
    assert "This release has been withdrawn" in after.content.decode()


def test_a_new_translation_changes_the_original_page(reader, seed):
    etag = reader.get("/release/1548606/")["ETag"]
    store.put_translation(seed, language="hi", fields=store.content_fields(title="हिन्दी"))
    assert reader.get("/release/1548606/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_revalidated_view_still_counts(reader, seed):
    etag = reader.get("/release/1548606/")["ETag"]
    other = Client(HTTP_USER_AGENT=BROWSER + " Firefox/128")
    assert other.get("/release/1548606/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    flush()
    assert LanguageVersion.objects.get(release=seed).visitor_count == 1102


@pytest.mark.parametrize("url", ["/", "/releases/?ministry=ministry-of-defence", "/ministries/",
                                 "/feeds/latest.atom", "/feeds/latest.rss", "/sitemap.xml",
                                 "/robots.txt", "/release/1548606.txt", "/release/1548606.json",
                                 "/api/v1/releases"])
def test_listings_feeds_and_api_are_cacheable_and_answer_304(reader, seed, url):
    r = reader.get(url)
    assert r.status_code == 200
    assert "public" in r["Cache-Control"] and "max-age=" in r["Cache-Control"]
    assert r["ETag"]
    assert reader.get(url, HTTP_IF_NONE_MATCH=r["ETag"]).status_code == 304


def test_a_correction_changes_the_feed(reader, seed, import_paths, tmp_path):
    r = reader.get("/feeds/latest.atom")
    corrected = tmp_path / "c.txt"
    corrected.write_text(SEED.read_text().replace("boost Defence", "boost defence"))
    import_paths(corrected)
    after = reader.get("/feeds/latest.atom", HTTP_IF_NONE_MATCH=r["ETag"])
    assert after.status_code == 200 and after["ETag"] != r["ETag"]
    assert "boost defence" in after.content.decode()


def test_a_cached_page_still_shows_the_current_count(reader, seed):
    from pressroom.website import pagecache

    pagecache.clear()
    assert "Visitor Counter : 1101" in reader.get("/release/1548606/").content.decode()
    for i in range(3):
        Client(HTTP_USER_AGENT=f"{BROWSER} {i}").get("/release/1548606/")
    flush()
    html = Client(HTTP_USER_AGENT=f"{BROWSER} last").get("/release/1548606/").content.decode()
    assert "Visitor Counter : 1105" in html and pagecache.COUNTER_MARK not in html


@pytest.mark.parametrize("url", ["/release/1548606.json", "/api/v1/releases/1548606"])
def test_json_answers_are_kept_and_show_the_current_count(reader, seed, url,
                                                          django_assert_num_queries):
    """The .json and the API detail are built once per state of the record (pagecache); a kept
    answer costs the one validators query, and carries this moment's visitor count."""
    import json

    from pressroom.website import pagecache

    pagecache.clear()
    first = reader.get(url)
    assert json.loads(first.content)["versions"][0]["visitor_count"] == 1100
    with django_assert_num_queries(1):
        again = reader.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert pagecache.COUNTER_MARK.encode()[:3] not in again.content  # no marker left behind
    Client(HTTP_USER_AGENT=f"{BROWSER} counted").get("/release/1548606/")
    flush()
    after = reader.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]  # the bytes changed
    assert json.loads(after.content)["versions"][0]["visitor_count"] == 1101
    assert reader.get(url, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304
    pagecache.clear()
    fresh = reader.get(url)
    assert fresh.content == after.content and fresh["ETag"] == after["ETag"]


@pytest.mark.parametrize("url", ["/", "/releases/", "/releases/?ministry=ministry-of-defence",
                                 "/ministries/", "/sitemap.xml", "/photos/",
                                 "/api/v1/releases?limit=5"])
def test_record_pages_are_kept_until_the_record_changes(reader, seed, url, monkeypatch,
                                                        django_assert_num_queries):
    """Listings, the home page, the ministries and the sitemaps are kept per state of the whole
    record: a repeat costs the one state query, and a correction anywhere makes them anew."""
    first = reader.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        again = reader.get(url)
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert again["Cache-Control"] == first["Cache-Control"]
    version = seed.versions.get()
    store.correct_version(version, fields=store.content_fields(
        title=version.title.replace("Kazakhstan", "the Republic of Kazakhstan"),
        subtitles=version.subtitles, body_html=version.body_html, sign_off=version.sign_off,
        separator=version.separator), note="The country's full name.")
    from pressroom.website import pagecache

    made = []
    monkeypatch.setattr(pagecache._record_pages, "put", lambda key, *value: made.append(key))
    after = reader.get(url).content.decode()
    assert len(made) == 1  # made anew
    if url in ("/", "/releases/", "/releases/?ministry=ministry-of-defence",
               "/api/v1/releases?limit=5"):  # they show titles
        assert "the Republic of Kazakhstan" in after


def test_a_record_page_is_kept_per_interface_language_and_query(reader, seed):
    english = reader.get("/releases/").content.decode()
    hindi = reader.get("/releases/", HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert english != hindi and 'lang="hi"' in hindi
    assert reader.get("/releases/").content.decode() == english
    assert reader.get("/releases/?ministry=nosuch").content.decode() != english


def test_a_page_with_a_token_or_a_cookie_is_never_kept(rf, db):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from pressroom.website import pagecache

    calls = []

    @pagecache.kept_while_record_unchanged
    def with_token(request):
        calls.append(1)
        return HttpResponse(get_token(request))

    @pagecache.kept_while_record_unchanged
    def with_cookie(request):
        calls.append(2)
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    for view in (with_token, with_cookie):
        view(rf.get("/x"))
        view(rf.get("/x"))
    assert calls == [1, 1, 2, 2]


def test_the_page_cache_is_bounded_in_bytes():
    from pressroom.website import pagecache

    kept = pagecache.Kept(max_entries=100, max_bytes=10_000)
    for i in range(20):
        kept.put(("page", i), b"x" * 1_000, 60)
    kept.put(("listing", 0), (200, [], b"y" * 3_000), 60)
    assert kept.bytes <= 10_000
    assert kept.get(("page", 0)) is None and kept.get(("page", 19)) == b"x" * 1_000
    assert kept.get(("listing", 0))[2] == b"y" * 3_000
    kept.put(("page", 19), b"z", 60)  # put again: counted once
    assert kept.bytes == sum(size for _, _, size in kept.entries.values())
    kept.put(("old", 0), b"o", -1)  # expired
    assert kept.get(("old", 0)) is None
    assert kept.bytes == sum(size for _, _, size in kept.entries.values())
    kept.clear()
    assert kept.bytes == 0 and not kept.entries


def test_record_pages_do_not_push_release_pages_out(reader, seed):
    from pressroom.website import pagecache

    reader.get("/release/1548606/")
    kept = len(pagecache._pages.entries)
    for i in range(30):
        reader.get(f"/releases/?page={i}&x={i}")
    assert len(pagecache._pages.entries) == kept and pagecache._record_pages.entries


def test_a_listings_count_is_counted_once_for_all_its_pages_and_workers(reader, sample_archive):
    """The count ("N releases", "more than 1,000") is the same on every page of a listing:
    counted once per state of the record in the shared cache, not on each page's first
    render in each worker; a new release makes it anew."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pressroom.website import pagecache

    def counts(url):
        with CaptureQueriesContext(connection) as queries:
            html = reader.get(url).content.decode()
        return html, sum("COUNT(" in q["sql"] for q in queries.captured_queries)

    first, counted_first = counts("/releases/?lang=hi")
    assert counted_first == 1
    pagecache.clear()  # another worker
    again, counted_again = counts("/releases/?lang=hi&page=2")
    assert counted_again == 0
    shown = re.search(r"(\d+) releases?", first)
    assert shown and shown.group(0) in again
    store.set_status(Release.objects.filter(versions__language_id="hi").first(),
                     Release.Status.REMOVED, "Duplicate")
    after, counted_after = counts("/releases/?lang=hi")
    assert counted_after == 1
    assert f"{int(shown.group(1)) - 1} release" in after
