"""The cheap request path (bench/request_bench.py) answers what Django's full stack did: the
request log's lines, sessions and messages made only when touched, the URL order, remembered
reversals."""

import json

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse, set_script_prefix

from pressroom import urlcache
from pressroom.website.middleware import (
    LazyMessageMiddleware,
    ReaderSessionMiddleware,
    RequestLogMiddleware,
)


@pytest.mark.parametrize("path,agent", [
    ("/release/1/", "Mozilla/5.0"),
    ('/a"b\\c/\u0928\u092e/\U0001f600', 'quote " back \\ tab \t nl \n \x01 \u2028 हिन्दी'),
])
def test_a_log_line_is_the_json_of_the_request(capsys, path, agent):
    def view(request):
        return HttpResponse(b"12345", status=203)

    request = RequestFactory().get(path, {"q": 'x"y'}, HTTP_USER_AGENT=agent, REMOTE_ADDR="10.1.2.3")
    RequestLogMiddleware(view)(request)
    line = capsys.readouterr().out
    assert line.endswith("\n") and line.count("\n") == 1
    entry = json.loads(line)
    assert entry == {"time": entry["time"], "method": "GET", "path": request.path, "query": 'q=x%22y',
                     "status": 203, "ms": entry["ms"], "bytes": 5, "remote": "10.1.2.3",
                     "agent": agent}
    # Byte for byte what json.dumps makes (the format load_bench and operators parse).
    assert line == json.dumps(entry, ensure_ascii=False) + "\n"
    assert len(entry["time"]) == 29 and entry["time"].endswith("+00:00")


def test_a_request_without_a_session_cookie_gets_a_session_only_if_it_touches_it(db):
    seen = {}

    def untouched(request):
        return HttpResponse("ok")

    def touching(request):
        request.session["x"] = 1
        seen["user"] = request.user if hasattr(request, "user") else None
        return HttpResponse("ok")

    factory = RequestFactory()
    response = ReaderSessionMiddleware(untouched)(factory.get("/"))
    assert not response.cookies and not response.has_header("Vary")
    response = ReaderSessionMiddleware(touching)(factory.get("/"))
    assert response.cookies["sessionid"].value and "Cookie" in response["Vary"]


def test_messages_are_stored_only_when_used(db):
    from django.contrib import messages

    def quiet(request):
        return HttpResponse("ok")

    def noisy(request):
        messages.info(request, "Saved.")
        return HttpResponse("ok")

    factory = RequestFactory()
    assert not ReaderSessionMiddleware(LazyMessageMiddleware(quiet))(factory.get("/")).cookies
    response = ReaderSessionMiddleware(LazyMessageMiddleware(noisy))(factory.get("/"))
    assert "messages" in response.cookies  # the cookie storage took it, as Django's would


def test_readers_get_no_cookies_and_the_newsroom_still_signs_in(db, django_user_model):
    reader = Client()
    r = reader.get("/robots.txt")
    assert r.status_code == 200 and not r.cookies
    assert "Cookie" not in r.get("Vary", "")  # nothing read the session
    user = django_user_model.objects.create_user("desk", password="a long pass phrase 42")
    staff = Client()
    staff.force_login(user)
    assert staff.get("/newsroom/").wsgi_request.user == user


def test_old_pib_links_and_the_admin_keep_their_paths(db):
    c = Client()
    assert c.get("/admin/PressReleasePage.aspx").status_code in (302, 404)
    r = c.get("/admin/PressReleasePage.aspx")
    assert r.status_code == 404 or "/admin/login/" in r["Location"]
    assert c.get("/PressReleasePage.aspx?PRID=5").status_code == 404  # the website's, no such ID


@pytest.mark.parametrize("name,args", [("website:release", (1548606,)),
                                       ("website:release_version", (1548606, "hi")),
                                       ("website:sitemap", ()), ("search:search", ())])
def test_remembered_reversals_are_reverse(name, args):
    assert urlcache.reverse_cached(name, args) == reverse(name, args=args)
    set_script_prefix("/mounted/")
    try:
        assert urlcache.reverse_cached(name, args) == reverse(name, args=args)
        assert urlcache.reverse_cached(name, args).startswith("/mounted/")
    finally:
        set_script_prefix("/")
