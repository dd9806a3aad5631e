"""The public API as a developer meets it: the docs, lists with cursors, lookups, export, CORS."""

import json

import pytest
from django.test import Client

from conftest import SEED
from pressroom.releases import store
from pressroom.releases.models import LanguageVersion, Release


@pytest.fixture
def client():
    return Client()


def get_json(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.content[:300])
    return r.json()


def test_openapi_document_and_local_docs(client, db):
    doc = get_json(client, "/api/v1/openapi.json")
    assert doc["info"]["title"] == "Pressroom API"
    for path in ("/api/v1/releases", "/api/v1/releases/{release_id}", "/api/v1/ministries",
                 "/api/v1/bureaus", "/api/v1/languages", "/api/v1/export.jsonl",
                 "/api/v1/releases/{release_id}/views", "/api/v1/views.csv"):
        assert set(doc["paths"][path]) == {"get"}, path  # read-only
    r = client.get("/api/v1/docs")
    html = r.content.decode()
    assert r.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "script-src 'self';" in r["Content-Security-Policy"]
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_walk_every_release_with_the_cursor(client, sample_archive):
    seen, url = [], "/api/v1/releases?limit=7"
    while url:
        page = get_json(client, url.removeprefix("http://testserver"))
        seen += [item["release_id"] for item in page["items"]]
        url = page["next"]
    expected = list(Release.objects.order_by("-posted_at", "-release_id")
                    .values_list("release_id", flat=True))
    assert seen == expected


def test_release_list_filters_like_the_website(client, sample_archive):
    page = get_json(client, "/api/v1/releases?date=2018-10-04")
    assert [i["release_id"] for i in page["items"]] == [1548606]
    assert page["items"][0]["posted_at"] == "2018-10-04T17:19:00+05:30"
    page = get_json(client, "/api/v1/releases?lang=ur&limit=100")
    urdu = set(LanguageVersion.objects.filter(language="ur").values_list("release_id", flat=True))
    assert {i["release_id"] for i in page["items"]} == urdu
    assert all(i["language"] == "ur" and i["url"].endswith("/ur/") for i in page["items"])
    page = get_json(client, "/api/v1/releases?ministry=ministry-of-defence&bureau=delhi")
    assert {i["ministry"]["slug"] for i in page["items"]} == {"ministry-of-defence"}
    page = get_json(client, "/api/v1/releases?from=2020-05-01&to=2020-05-31&limit=100")
    assert page["items"] and all(i["posted_at"].startswith("2020-05") for i in page["items"])
    for bad in ("date=yesterday", "ministry=nope", "lang=zz", "cursor=%%%", "from=31-12-2020",
                "cursor=" + "A" * 300):
        assert "detail" in get_json(client, "/api/v1/releases?" + bad, status=400)


def test_get_release_by_id_or_by_a_versions_pib_id(client, import_paths):
    import_paths(SEED)
    seed = Release.objects.get(release_id=1548606)
    store.put_translation(seed, language="hi",
                          fields=store.content_fields(title="हिन्दी शीर्षक", pib_id=1548700))
    data = get_json(client, "/api/v1/releases/1548606")
    assert data["versions"][0]["sign_off"] == "SRR/Nampi/DK/Rajib"
    assert [v["language"] for v in data["versions"]] == ["en", "hi"]
    data = get_json(client, "/api/v1/releases/1548700")
    assert data["release_id"] == 1548606 and data["requested_language"] == "hi"
    assert get_json(client, "/api/v1/releases/5", status=404)["detail"]
    get_json(client, "/api/v1/releases/99999999999999999999999", status=404)
    store.set_status(seed, Release.Status.REMOVED, "Removed by order.")
    get_json(client, "/api/v1/releases/1548606", status=410)


def test_lookups(client, sample_archive):
    ministries = get_json(client, "/api/v1/ministries")
    defence = next(m for m in ministries if m["slug"] == "ministry-of-defence")
    assert defence == {"slug": "ministry-of-defence", "name": "Ministry of Defence", "releases": 1}
    assert {"slug": "delhi", "name": "PIB Delhi"}.items() <= get_json(client, "/api/v1/bureaus")[0].items()
    languages = {lang["code"]: lang for lang in get_json(client, "/api/v1/languages")}
    assert languages["ur"]["direction"] == "rtl" and languages["hi"]["native_name"] == "हिन्दी"


def test_bulk_export_streams_jsonl_by_date_range(client, sample_archive):
    r = client.get("/api/v1/export.jsonl?from=2020-04-01&to=2020-04-30")
    assert r.streaming and r["Content-Type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in b"".join(r.streaming_content).decode().splitlines()]
    ids = {rec["release_id"] for rec in records}
    assert ids and all(rec["posted_at"].startswith("2020-04") for rec in records)
    expected = Release.objects.filter(posted_at__date__gte="2020-03-31",
                                      posted_at__date__lte="2020-04-30")
    assert ids <= set(expected.values_list("release_id", flat=True))
    assert len(records) == LanguageVersion.objects.filter(release_id__in=ids).count()
    assert client.get("/api/v1/export.jsonl?from=nonsense").status_code == 400


def test_cors_is_open_for_reading(client, db):
    r = client.get("/api/v1/languages", HTTP_ORIGIN="https://example.org")
    assert r["Access-Control-Allow-Origin"] == "*"
    pre = client.options("/api/v1/releases", HTTP_ORIGIN="https://example.org",
                         HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                         HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert pre.status_code == 204 and pre["Access-Control-Allow-Origin"] == "*"
    assert pre["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert client.post("/api/v1/releases").status_code == 405
    assert "Access-Control-Allow-Origin" not in client.get("/healthz")


def test_api_caching_and_a_correction_changes_the_etag(client, import_paths, tmp_path):
    import_paths(SEED)
    r = client.get("/api/v1/releases/1548606")
    assert r["Cache-Control"] == "public, max-age=60" and r["Last-Modified"]
    etag = r["ETag"]
    assert client.get("/api/v1/releases/1548606", HTTP_IF_NONE_MATCH=etag).status_code == 304
    corrected = tmp_path / "c.txt"
    corrected.write_text(SEED.read_text().replace("boost Defence", "boost defence"))
    import_paths(corrected)
    r = client.get("/api/v1/releases/1548606", HTTP_IF_NONE_MATCH=etag)
    assert r.status_code == 200 and r["ETag"] != etag
