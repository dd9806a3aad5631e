"""Public pages: layout as PIB's, languages, legacy links, listings, bad input, escaping."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from conftest import SEED
from pressroom.counters.buffer import flush
from pressroom.releases.models import LanguageVersion, Release
from pressroom.website.tests.conftest import BROWSER


def test_release_page_is_laid_out_as_pibs(reader, seed):
    html = reader.get("/release/1548606/").content.decode()
    for text in ("Ministry of Defence", "India and Kazakhstan agree to boost Defence",
                 "Posted On: <time", "04 OCT 2018 5:19PM</time> by PIB Delhi",
                 "SRR/Nampi/DK/Rajib", "(Release ID: 1548606)", "Visitor Counter : 1101"):
        assert text in html
    article = html[html.index("<article"):]
    order = [article.index(t) for t in ("Ministry of Defence", "<h1", "Posted On", "Raksha Mantri",
                                     "SRR/Nampi", "Release ID: 1548606")]
    assert order == sorted(order)


def test_home_groups_latest_by_day(reader, sample_archive):
    html = reader.get("/").content.decode()
    assert "Latest press releases" in html
    assert html.count('class="day__heading"') >= 3
    assert "India and Kazakhstan" in html


def test_translation_pages_switcher_and_lang_dir(reader, sample_archive):
    release = Release.objects.filter(versions__language="ur").first()
    html = reader.get(f"/release/{release.release_id}/").content.decode()
    assert "Read this release in" in html
    for native in ("हिन्दी", "اردو", "தமிழ்"):
        if release.versions.filter(language__native_name=native).exists():
            assert native in html
    urdu = reader.get(f"/release/{release.release_id}/ur/").content.decode()
    assert '<article class="release" lang="ur" dir="rtl">' in urdu
    assert "original" in urdu and "English" in urdu


def test_original_language_url_redirects_to_canonical(reader, seed):
    r = reader.get("/release/1548606/en/")
    assert r.status_code == 301 and r["Location"] == "/release/1548606/"


def test_text_and_json_formats(reader, seed):
    r = reader.get("/release/1548606.txt")
    assert r["Content-Type"].startswith("text/plain")
    assert r.content == SEED.read_bytes()
    data = json.loads(reader.get("/release/1548606.json").content)
    assert data["release_id"] == 1548606
    assert data["versions"][0]["sign_off"] == "SRR/Nampi/DK/Rajib"


@pytest.mark.parametrize("url", [
    "/PressReleasePage.aspx?PRID=1548606", "/PressReleseDetail.aspx?PRID=1548606",
    "/PressReleaseIframePage.aspx?PRID=1548606", "/newsite/PrintRelease.aspx?relid=1548606",
    "/pressreleasepage.aspx?prid=1548606",
])
def test_pib_links_redirect_permanently(reader, seed, url):
    r = reader.get(url)
    assert r.status_code == 301 and r["Location"] == "/release/1548606/"


def test_version_own_pib_id_resolves_to_that_version(reader, seed):
    LanguageVersion.objects.create(release=seed, language_id="hi", title="हिन्दी शीर्षक",
                                   pib_id=1548700, updated_at=seed.posted_at)
    r = reader.get("/PressReleasePage.aspx?PRID=1548700")
    assert r.status_code == 301 and r["Location"] == "/release/1548606/hi/"


@pytest.mark.parametrize("url", ["/release/999/", "/release/999.txt", "/release/1548606/xx/",
                                 "/PressReleasePage.aspx?PRID=abc", "/PressReleasePage.aspx",
                                 "/PressReleasePage.aspx?PRID=99999999999999999999999"])
def test_unknown_ids_get_a_proper_404_page(reader, seed, url):
    r = reader.get(url)
    assert r.status_code == 404
    assert "Page not found" in r.content.decode()


@pytest.mark.parametrize("query", [
    "date=yesterday", "date=2020-13-45", "ministry=nope", "bureau=%00", "lang=zz",
    "page=-1", "page=abc", "page=999999", "date=" + "9" * 5000, "ministry[]=x&page=1e9",
])
def test_malformed_listing_parameters_never_500(reader, sample_archive, query):
    r = reader.get("/releases/?" + query)
    assert r.status_code in (200, 400)
    assert "Releases" in r.content.decode()


def test_listing_filters_and_pagination(reader, sample_archive):
    html = reader.get("/releases/?date=2018-10-04").content.decode()
    assert "India and Kazakhstan" in html and "1 release" in html
    html = reader.get("/releases/?ministry=ministry-of-defence").content.decode()
    assert "India and Kazakhstan" in html
    html = reader.get("/releases/?lang=ur").content.decode()
    assert 'lang="ur"' in html and "India and Kazakhstan" not in html
    assert 'rel="next"' in reader.get("/releases/").content.decode()
    page2 = reader.get("/releases/?page=2").content.decode()  # old links still work
    assert 'rel="prev"' in page2
    assert "There is no ministry" in reader.get("/releases/?ministry=nope").content.decode()


def test_bureau_filter_and_ministry_index(reader, sample_archive):
    html = reader.get("/ministries/").content.decode()
    assert "Ministry of Defence" in html and "PIB Delhi" in html
    assert reader.get("/releases/?bureau=delhi").status_code == 200


def test_script_in_title_or_body_never_reaches_the_page_unescaped(reader, tmp_path,
                                                                 import_paths):
    f = tmp_path / "x.jsonl"
    f.write_text(json.dumps({
        "release_id": 77, "language": "en", "ministry": "<img src=x onerror=alert(1)>",
        "bureau": "PIB Delhi", "title": "<script>alert('t')</script>",
        "subtitles": ['<b onmouseover="alert(2)">s</b>'],
        "posted_at": "2020-01-01T10:00:00+05:30", "body_text": "<script>alert(3)</script>",
        "body_html": "<p>fine</p><script>alert(4)</script><img src=x onerror=alert(5)>",
        "sign_off": "<svg onload=alert(6)>"}))
    import_paths(f)
    for url in ("/", "/releases/", "/release/77/", "/ministries/"):
        html = reader.get(url).content.decode()
        assert "<script>alert" not in html
        for raw in ("<img src=x onerror", "<svg onload", "<b onmouseover", "alert(4)", "alert(5)"):
            assert raw not in html, (url, raw)
        if url == "/release/77/":
            assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in html  # shown, escaped


def test_security_headers(reader, seed):
    r = reader.get("/release/1548606/")
    assert "default-src 'self'" in r["Content-Security-Policy"]
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Frame-Options"] == "DENY"


def test_healthz(reader, db):
    r = reader.get("/healthz")
    assert r.status_code == 200 and r.json()["checks"]["database"]["ok"] is True


def test_a_person_counts_once_per_half_hour_bots_and_prefetch_do_not(reader, seed):
    reader.get("/release/1548606/")
    reader.get("/release/1548606/")  # the same person again within 30 minutes
    Client(HTTP_USER_AGENT=BROWSER + " Edg/126").get("/release/1548606/")  # someone else
    Client(HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)").get(
        "/release/1548606/")
    Client().get("/release/1548606/")  # no User-Agent at all
    reader.get("/release/1548606/", HTTP_SEC_PURPOSE="prefetch")
    assert flush() == 2
    assert LanguageVersion.objects.get(release=seed).visitor_count == 1102


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_lose_no_count(import_paths):
    import_paths(SEED)
    errors = []

    def read(t, n):
        try:
            for i in range(n):  # 80 different readers
                c = Client(HTTP_USER_AGENT=f"{BROWSER} reader/{t}.{i}")
                assert c.get("/release/1548606/").status_code == 200
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(t, 10)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    flush()
    assert LanguageVersion.objects.get(release_id=1548606).visitor_count == 1100 + 80


@pytest.mark.parametrize("url", [
    "/releases/?date=9999-12-31", "/releases/?date=0001-01-01",
    "/api/v1/releases?date=9999-12-31", "/api/v1/releases?to=9999-12-31",
    "/api/v1/releases?from=0001-01-01", "/api/v1/export.jsonl?to=9999-12-31",
    "/search/?q=x&to=9999-12-31", "/search/?q=x&from=0001-01-01",
    "/api/v1/search?q=x&to=9999-12-31",
])
def test_dates_at_the_ends_of_the_calendar_are_not_a_500(reader, seed, url):
    assert reader.get(url).status_code in (200, 400)


@pytest.mark.parametrize("nxt", ["zz", "-1", "2020-02-30", "%ff", "a%00b", "//evil.example",
                                 "https://evil.example/"])
def test_language_switch_goes_only_to_a_path_here(reader, db, nxt):
    r = reader.get(f"/language/hi/?next={nxt}")
    assert r.status_code == 302 and r["Location"] == "/"
