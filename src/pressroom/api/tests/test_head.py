"""HEAD on the API: what CORS advertises works, with the GET's headers and no body."""

import pytest
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory

from conftest import SEED

URLS = ["/api/v1/releases?limit=3", "/api/v1/releases/1548606", "/api/v1/languages",
        "/api/v1/ministries", "/api/v1/export.jsonl", "/api/v1/views.csv",
        "/api/v1/openapi.json", "/api/v1/search?q=defence"]


@pytest.fixture
def seed(import_paths):
    import_paths(SEED)


@pytest.mark.parametrize("url", URLS)
def test_head_answers_as_get_does(client, seed, url):
    get = client.get(url)
    head = client.head(url)
    assert get.status_code == 200, (url, get.content[:200])
    assert head.status_code == 200, (url, head.status_code)  # was 405
    assert (b"".join(head.streaming_content) if head.streaming else head.content) == b""
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control",
                   "Access-Control-Allow-Origin", "Content-Disposition"):
        assert head.get(header) == get.get(header), header
    if not get.streaming:
        assert head["Content-Length"] == str(len(get.content))


def test_head_of_a_conditional_request_is_a_304(client, seed):
    etag = client.get("/api/v1/releases/1548606")["ETag"]
    assert client.head("/api/v1/releases/1548606", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_head_sends_no_body_even_where_the_server_would(seed):
    # Through Django's middleware alone: the test client and gunicorn drop a HEAD's body
    # themselves, a plainer server may not.
    handler = BaseHandler()
    handler.load_middleware()
    for url in ("/api/v1/releases/1548606", "/api/v1/export.jsonl"):
        response = handler.get_response(RequestFactory().head(url))
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body == b"", url


def test_head_of_a_missing_release_and_other_methods(client, db):
    assert client.head("/api/v1/releases/5").status_code == 404
    assert client.post("/api/v1/releases").status_code == 405
    assert client.put("/api/v1/languages").status_code == 405
