"""The search page and GET /api/v1/search: same hits, and no query a reader types breaks them."""

import re

import pytest
from django.db import connection

from .records import make_release

BAD_QUERIES = {
    "unbalanced quote": {"q": '"India and'},
    "lone minus": {"q": "-"},
    "only exclusions": {"q": "-covid -india"},
    "fts operators": {"q": "NEAR(india kazakhstan, 2) * ^india col:india {a b} AND OR NOT"},
    "sql": {"q": "'; DROP TABLE releases_release; --"},
    "ten thousand characters": {"q": "india " * 1700},
    "control characters": {"q": "india\x00\x01\x1b\x7f kazakhstan"},
    "backwards dates": {"q": "india", "from": "2020-12-31", "to": "2018-01-01"},
    "not a date": {"q": "india", "from": "yesterday", "to": "2020-02-30"},
    "unknown filters": {"q": "india", "ministry": "no-such", "lang": "xx", "bureau": "<b>"},
    "bad page and sort": {"q": "india", "page": "-3", "sort": "random"},
    "huge page": {"q": "india", "page": "99999999999999999999"},
    "lone quote": {"q": '"'},
    "only punctuation": {"q": "()*^:-+"},
    "nul bytes in filters": {"q": "india\x00", "ministry": "de\x00fence", "lang": "\x00", "from": "2020\x00"},
}


@pytest.fixture
def releases(db):
    make_release(7000001, title="India and Kazakhstan agree", body="Defence ties with <b>Kazakhstan</b>.")
    make_release(7000002, title="भारत और कज़ाख़स्तान", body="रक्षा मंत्री", languages=("Hindi", "English"))
    make_release(7000003, title="پاکستان", body="وزیر اعظم مودی", languages=("Urdu",))


def test_page_shows_hits_with_snippets_facets_and_language(client, releases):
    r = client.get("/search/", {"q": "kazakhstan"})
    html = r.content.decode()
    assert r.status_code == 200
    assert re.search(r"\b1 result\b", html)
    assert "<mark>Kazakhstan</mark>" in html
    assert "&lt;b&gt;" in html and "<b>Kazakhstan" not in html  # body text is escaped
    assert 'lang="en" dir="ltr"' in html
    assert "Ministry of Defence" in html and "Narrow the results" in html
    urdu = client.get("/search/", {"q": "مودي"}).content.decode()
    assert 'class="search-hit" lang="ur" dir="rtl"' in urdu
    assert "<mark>مودی</mark>" in urdu


def test_page_links_keep_the_search(client, releases):
    html = client.get("/search/", {"q": "kazakhstan", "sort": "newest"}).content.decode()
    assert re.search(r'href="\?q=kazakhstan&amp;ministry=ministry-of-defence&amp;sort=newest"', html)
    assert 'href="/search/"' in client.get("/").content.decode()  # the header links to search


def test_a_search_page_is_kept_until_the_record_changes(client, releases,
                                                        django_assert_num_queries):
    """A repeat of a search costs the one state query; a release published makes it anew;
    searches are kept apart from the listings, which they never push out."""
    from pressroom.website import pagecache

    first = client.get("/search/", {"q": "kazakhstan"})
    assert re.search(r"\b1 result\b", first.content.decode())
    with django_assert_num_queries(1):
        again = client.get("/search/", {"q": "kazakhstan"})
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert pagecache._search_pages.entries and not pagecache._record_pages.entries
    make_release(7000004, title="Kazakhstan signs the treaty", body="Signed today.")
    after = client.get("/search/", {"q": "kazakhstan"}).content.decode()
    assert re.search(r"\b2 results\b", after) and "Kazakhstan</mark> signs" in after
    hindi = client.get("/search/", {"q": "kazakhstan"}, HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert 'lang="hi"' in hindi[:300]  # kept per interface language too


def test_filter_lists_mark_the_chosen_value_and_follow_the_record(client, releases):
    html = client.get("/search/", {"q": "india", "ministry": "ministry-of-defence",
                                   "lang": "hi"}).content.decode()
    assert '<option value="ministry-of-defence" lang="en" selected>Ministry of Defence</option>' in html
    assert re.search(r'<option value="hi" lang="hi" selected>हिन्दी \(Hindi\)</option>', html)
    assert '<option value="en" lang="en">English</option>' in html
    make_release(7000005, ministry="Ministry of Tourism", title="Visit India")
    html = client.get("/releases/").content.decode()
    assert '<option value="ministry-of-tourism" lang="en">Ministry of Tourism</option>' in html


def test_empty_page_is_a_search_box(client, db):
    r = client.get("/search/")
    assert r.status_code == 200
    assert 'type="search"' in r.content.decode() and "search-hit" not in r.content.decode()


@pytest.mark.parametrize("name", BAD_QUERIES)
def test_bad_queries_on_the_page(client, releases, name):
    r = client.get("/search/", BAD_QUERIES[name])
    html = r.content.decode()
    assert r.status_code in (200, 400), html[:500]
    assert "Traceback" not in html and "OperationalError" not in html and "syntax error" not in html
    if r.status_code == 400:
        assert "There is a problem" in html


@pytest.mark.parametrize("name", BAD_QUERIES)
def test_bad_queries_on_the_api(client, releases, name):
    r = client.get("/api/v1/search", BAD_QUERIES[name])
    assert r.status_code in (200, 400), r.content[:500]
    data = r.json()
    if r.status_code == 400:
        assert data["errors"]
    else:
        assert isinstance(data["hits"], list)


def test_helpful_messages(client, releases):
    html = client.get("/search/", BAD_QUERIES["backwards dates"]).content.decode()
    assert "wrong way round" in html
    assert "was not closed" in client.get("/search/", BAD_QUERIES["unbalanced quote"]).content.decode()
    too_long = client.get("/search/", BAD_QUERIES["ten thousand characters"]).content.decode()
    assert "only its first 500" in too_long
    assert "Add a word" in client.get("/search/", {"q": "-covid"}).content.decode()
    api = client.get("/api/v1/search", BAD_QUERIES["unknown filters"]).json()
    assert any("no ministry" in e for e in api["errors"])
    assert client.get("/api/v1/search", {"q": "x", "per_page": "1000"}).status_code == 400
    swapped = client.get("/api/v1/search", BAD_QUERIES["backwards dates"]).json()
    assert any("wrong way round" in n for n in swapped["notes"])


def test_api_returns_the_page_hits(client, releases):
    data = client.get("/api/v1/search", {"q": "kazakhstan"}).json()
    html = client.get("/search/", {"q": "kazakhstan"}).content.decode()
    assert data["total"] == 1 and data["total_exact"]
    assert [(h["release_id"], h["language"]) for h in data["hits"]] == [(7000001, "en")]
    for h in data["hits"]:
        assert h["url"].endswith(f"/release/{h['release_id']}/" if h["original"] else f"/{h['language']}/")
        assert f"Release ID {h['release_id']}" in html
    assert data["facets"]["language"][0] == {"value": "en", "label": "English", "count": 1,
                                             "selected": False}
    assert "<mark>Kazakhstan</mark>" in data["hits"][0]["title_html"]
    by_id = client.get("/api/v1/search", {"q": "7000002"}).json()
    assert by_id["hits"][0]["release_id"] == 7000002 and by_id["hits"][0]["id_match"]
    hindi = client.get("/api/v1/search", {"q": "मंत्री", "lang": "hi"}).json()
    assert [(h["release_id"], h["direction"]) for h in hindi["hits"]] == [(7000002, "ltr")]
    assert client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/search"]["get"]


def test_a_broken_index_is_a_polite_503_not_a_database_error(client, releases):
    with connection.cursor() as c:  # rolled back with the test
        c.execute("DROP TABLE search_fts_vocab" if connection.vendor == "sqlite"
                  else "ALTER TABLE search_searchentry DROP COLUMN doc CASCADE")
    r = client.get("/search/", {"q": "kazakhstan"})
    assert r.status_code == 503
    html = r.content.decode()
    assert "Search is not working at the moment" in html
    assert "no such table" not in html and "does not exist" not in html
    api = client.get("/api/v1/search", {"q": "kazakhstan"})
    assert api.status_code == 503 and "search_fts" not in api.content.decode()


def test_a_search_that_runs_too_long_is_stopped_with_a_note(client, releases, monkeypatch):
    from pressroom.search import postgres_backend, sqlite_backend, types
    if connection.vendor == "sqlite":
        monkeypatch.setattr(types, "TIME_LIMIT", -1.0)  # every search is already over time
        monkeypatch.setattr(sqlite_backend, "PROGRESS_STEPS", 1)
    else:  # a search that takes 300 ms against a limit of 50 ms
        find = postgres_backend._find

        def slow_find(*args):
            with connection.cursor() as c:
                c.execute("SELECT pg_sleep(0.3)")
            return find(*args)
        monkeypatch.setattr(types, "TIME_LIMIT", 0.05)
        monkeypatch.setattr(postgres_backend, "_find", slow_find)
    r = client.get("/search/", {"q": "kazakhstan"})
    assert r.status_code == 200
    assert "matches too much to finish in time" in r.content.decode()
    api = client.get("/api/v1/search", {"q": "kazakhstan"}).json()
    assert api["hits"] == [] and any("in time" in n for n in api["notes"])
    monkeypatch.undo()
    assert client.get("/api/v1/search", {"q": "kazakhstan"}).json()["total"] == 1
