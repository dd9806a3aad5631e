"""The quicker LocaleMiddleware and ConditionalGetMiddleware answer what Django's do, and the
server's workers start with the loaded heap frozen (bench/request_bench.py measures them)."""

import gc
import hashlib
from types import SimpleNamespace

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware
from django.test import RequestFactory, override_settings
from django.urls import path
from django.utils import translation
from django.utils.cache import patch_cache_control

from pressroom.utils import language_neutral
from pressroom.website.management.commands.serve import worker_config
from pressroom.website.middleware import ConditionalGetMiddleware, LocaleMiddleware, language_for

ACCEPT = ["", "hi", "hi-IN,hi;q=0.9,en;q=0.8", "en-GB", "fr, de;q=0.5", "*", "hi;q=0.1, en;q=0.9",
          "garbage;;q", "x" * 300, "zh-Hant-TW", "HI", "pa-IN,hi;q=0.5"]
COOKIES = [None, "hi", "en", "fr", "", "hi-IN", "../../etc"]


@pytest.mark.parametrize("cookie", COOKIES)
def test_the_language_is_djangos_choice_from_the_cookie_and_accept_language(cookie):
    factory = RequestFactory()
    for accept in ACCEPT:
        request = factory.get("/", HTTP_ACCEPT_LANGUAGE=accept)
        if cookie is not None:
            request.COOKIES["django_language"] = cookie
        assert language_for(cookie, accept) == translation.get_language_from_request(request), (
            cookie, accept)


def test_a_change_of_languages_forgets_the_choices_kept():
    assert language_for(None, "hi") == "hi"
    with override_settings(LANGUAGES=[("en", "English")]):
        assert language_for(None, "hi") == "en"
    assert language_for(None, "hi") == "hi"


def _page(content_type="text/html; charset=utf-8", neutral=False):
    def view(request):
        return HttpResponse("<p>x</p>", content_type=content_type)
    return language_neutral(view) if neutral else view


@pytest.mark.parametrize("content_type,neutral,vary,content_language", [
    ("text/html; charset=utf-8", False, "Accept-Language, Cookie", "hi"),
    ("text/html; charset=utf-8", True, "Accept-Language, Cookie", None),
    ("application/json", False, "Accept-Language", "hi"),
    ("image/png", True, None, None),
])
def test_pages_vary_on_language_and_cookie_and_neutral_answers_on_neither(
        content_type, neutral, vary, content_language):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="hi")
    try:
        response = LocaleMiddleware(_page(content_type, neutral))(request)
        assert request.LANGUAGE_CODE == "hi" and translation.get_language() == "hi"
    finally:
        translation.activate("en")
    assert response.get("Vary") == vary
    assert response.get("Content-Language") == content_language


def _conditional_cases():
    factory = RequestFactory()
    body = b"the same body"
    etag = f'"{hashlib.md5(body).hexdigest()}"'
    headers = [{}, {"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_NONE_MATCH": '"other"'},
               {"HTTP_IF_MATCH": '"other"'}, {"HTTP_IF_MATCH": etag},
               {"HTTP_IF_MODIFIED_SINCE": "Sat, 01 Jan 2000 00:00:00 GMT"},
               {"HTTP_IF_MODIFIED_SINCE": "Fri, 01 Jan 2100 00:00:00 GMT"},
               {"HTTP_IF_UNMODIFIED_SINCE": "Sat, 01 Jan 2000 00:00:00 GMT"},
               {"HTTP_IF_NONE_MATCH": "*"}, {"HTTP_IF_MODIFIED_SINCE": "not a date"}]
    makers = {
        "plain": lambda: HttpResponse(body),
        "own etag": lambda: _with(HttpResponse(body), ETag='"own"'),
        "last-modified": lambda: _with(HttpResponse(body), **{
            "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}),
        "no-store": lambda: _no_store(HttpResponse(body)),
        "404": lambda: HttpResponse(body, status=404),
        "empty": lambda: HttpResponse(b""),
    }
    for method in ("get", "head", "post"):
        for extra in headers:
            for name, make in makers.items():
                yield getattr(factory, method)("/", **extra), name, make


def _with(response, **headers):
    for name, value in headers.items():
        response[name] = value
    return response


def _no_store(response):
    patch_cache_control(response, no_store=True)
    return response


def test_conditional_get_answers_as_djangos():
    compared = 0
    for request, name, make in _conditional_cases():
        ours = ConditionalGetMiddleware(lambda r, make=make: make())(request)
        theirs = DjangoConditionalGetMiddleware(lambda r, make=make: make())(request)
        assert (ours.status_code, list(ours.items()), ours.content) == (
            theirs.status_code, list(theirs.items()), theirs.content), (request.method, request.META, name)
        compared += 1
    assert compared == 3 * 10 * 6


def test_a_worker_is_forked_with_the_loaded_heap_frozen():
    gc.unfreeze()
    try:
        worker_config(1, 1)["pre_fork"](SimpleNamespace(), SimpleNamespace())
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


# A URLconf with language prefixes, for the test below: there the middleware is Django's.
urlpatterns = i18n_patterns(path("page/", lambda request: HttpResponse("x"), name="prefixed"))


def test_with_language_prefixes_in_the_urls_the_choice_is_djangos():
    request = RequestFactory().get("/hi/page/", HTTP_ACCEPT_LANGUAGE="en")
    request.urlconf = __name__
    try:
        response = LocaleMiddleware(_page())(request)
        assert request.LANGUAGE_CODE == "hi"  # from the path, which Pressroom's own URLs never carry
    finally:
        translation.activate("en")
    assert response["Content-Language"] == "hi" and "Cookie" in response["Vary"]
