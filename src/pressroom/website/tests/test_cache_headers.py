"""Cache-Control for a caching proxy or CDN: anonymous page reads only, and only when asked."""

import pytest
from django.test import Client

from pressroom.website.middleware import PublicCacheMiddleware

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


@pytest.fixture
def cached(settings):
    settings.PAGE_MAX_AGE = 120
    return Client(HTTP_USER_AGENT=BROWSER)


def test_no_cache_header_unless_configured(client, sample_archive):
    assert "Cache-Control" not in client.get("/releases/")


def test_anonymous_pages_are_public_for_max_age(cached, sample_archive):
    for url, status in (("/", 200), ("/releases/", 200), ("/release/1548606/", 200),
                        ("/release/999/", 404), ("/PressReleasePage.aspx?PRID=1548606", 301)):
        r = cached.get(url)
        assert r.status_code == status and r["Cache-Control"] == "public, max-age=120", url


def test_private_and_unsafe_answers_are_not_marked_public(cached, sample_archive, settings):
    assert "public" not in cached.get("/healthz")["Cache-Control"]
    assert "Cache-Control" not in cached.post("/releases/")
    cached.cookies[settings.SESSION_COOKIE_NAME] = "someone"
    assert "Cache-Control" not in cached.get("/releases/")


def test_a_response_setting_a_cookie_is_not_cached(rf, settings):
    from django.http import HttpResponse
    settings.PAGE_MAX_AGE = 60

    def view(request):
        response = HttpResponse("hi")
        response.set_cookie("csrftoken", "x")
        return response

    assert "Cache-Control" not in PublicCacheMiddleware(view)(rf.get("/newsroom/"))
