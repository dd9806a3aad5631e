"""The cheap request path (bench/request_bench.py) answers what Django's full stack did: the
request log's lines, sessions and messages made only when touched, the URL order, remembered
reversals."""

import json

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from pressroom import urlcache
from pressroom.website.middleware import (
    LazyMessageMiddleware,
    ReaderSessionMiddleware,
    RequestLogMiddleware,
    request_log,
)


@pytest.mark.parametrize("path,agent", [
    ("/release/1/", "Mozilla/5.0"),
    ('/a"b\\c/\u0928\u092e/\U0001f600', 'quote " back \\ tab \t nl \n \x01 \u2028 हिन्दी'),
])
def test_a_log_line_is_the_json_of_the_request(capsys, path, agent):
    def view(request):
        return HttpResponse(b"12345", status=203)

    request = RequestFactory().get(path, {"q": 'x"y'}, HTTP_USER_AGENT=agent, REMOTE_ADDR="10.1.2.3")
    request_log.flush()  # other tests' requests
    capsys.readouterr()
    RequestLogMiddleware(view)(request)
    request_log.flush()
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


@pytest.mark.parametrize("name,args", [
    ("website:release", ()), ("website:release_json", ()), ("website:release_text", ()),
    ("website:release_version", ("hi",)), ("website:release_pdf", ("ur",)),
    ("website:gallery", ()), ("trust:proof", ()), ("trust:qr_version", ("ta",)),
    ("trust:text_signature", ()), ("website:release_changes", ("en",))])
def test_paths_made_from_a_template_per_name_are_reverse_for_every_id(name, args):
    """Integer arguments are put into a path reversed once with stand-ins (urlcache): the
    same path as reverse's for any ID, a stand-in's own digits and the mounted prefix too."""
    ids = [0, 1, 7, 42, 1548606, 10**15, 7103958264, 71039582647103958264]
    for prefix in ("/", "/mounted/"):
        set_script_prefix(prefix)
        try:
            for release_id in ids:
                full = (release_id, *args)
                assert urlcache.reverse_cached(name, full) == reverse(name, args=full)
        finally:
            set_script_prefix("/")
    with pytest.raises(NoReverseMatch):  # what reverse refuses is refused
        urlcache.reverse_cached("website:release", (-5,))


def test_log_lines_wait_for_the_flush_then_go_out_whole_and_in_order(capsys):
    from pressroom.website.middleware import RequestLog

    log = RequestLog(every=3600)  # no flusher tick during the test
    lines = [f'{{"n": {n}, "pad": "{"x" * 100}"}}\n' for n in range(50)]
    for line in lines:
        log.write(line)
    assert capsys.readouterr().out == ""  # held
    log.flush()
    assert capsys.readouterr().out == "".join(lines)
    many = [f'{{"n": {n}, "pad": "{"y" * 1000}"}}\n' for n in range(80)]  # past BUFFER_BYTES
    for line in many:
        log.write(line)
    out = capsys.readouterr().out
    assert out and many[0] + many[1] in out and len(out) >= RequestLog.BUFFER_BYTES
    log.flush()
    assert out + capsys.readouterr().out == "".join(many)
    now = RequestLog(every=0)
    now.write("one\n")
    assert capsys.readouterr().out == "one\n"


def test_the_flusher_writes_held_lines_by_itself(capsys):
    import time

    from pressroom.website.middleware import RequestLog

    log = RequestLog(every=0.05)
    log.write("held\n")
    deadline = time.monotonic() + 60  # a loaded machine may be slow to run the thread
    out = ""
    while "held\n" not in out and time.monotonic() < deadline:
        time.sleep(0.05)
        out += capsys.readouterr().out
    assert out == "held\n"


def test_a_process_writes_its_held_lines_when_it_exits(tmp_path):
    import os
    import subprocess
    import sys

    code = ("import django; django.setup(); "
            "from pressroom.website.middleware import request_log; "
            "request_log.every = 3600; request_log.write('last words\\n')")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pressroom.settings",
           "PRESSROOM_DATA": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "last words\n"


@pytest.mark.parametrize("prefix", ["/", "/pressroom/"])
def test_path_pieces_around_release_ids_join_to_the_reversed_path(prefix):
    set_script_prefix(prefix)
    try:
        for release_id in (1, 1548606, 10**12):
            pieces = urlcache.int_path_parts("website:release", (None,))
            assert f"{pieces[0]}{release_id}{pieces[1]}" == reverse("website:release", args=[release_id])
            pieces = urlcache.int_path_parts("website:release_version", (None, "hi"))
            assert f"{pieces[0]}{release_id}{pieces[1]}" == reverse("website:release_version",
                                                                   args=[release_id, "hi"])
    finally:
        set_script_prefix("/")
