"""Sign-in throttling (django-axes, counted in the database): both sign-in pages, across
server processes, per username and real client address."""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from .conftest import PASSWORD

NEWSROOM, ADMIN = "/newsroom/login/", "/admin/login/"


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("chief", password=PASSWORD)


def sign_in(client, page, username, password):
    return client.post(page, {"username": username, "password": password, "next": "/admin/"})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def wrong_then_right(page, username, clients, attempts=10):
    """`attempts` wrong passwords spread over `clients` (one per server process), each with
    an empty cache as a fresh worker has; then the right password. Returns its response."""
    for i in range(attempts):
        cache.clear()  # another worker: nothing it could remember in its own memory
        r = sign_in(clients[i % len(clients)], page, username, "wrong")
        assert r.status_code in (200, 429)
    cache.clear()
    return sign_in(clients[-1], page, username, PASSWORD)


@pytest.mark.parametrize("page,user", [(NEWSROOM, "media_defence"), (ADMIN, "admin_user")])
def test_ten_wrong_passwords_then_the_right_one_is_refused_on_both_pages(page, user, request):
    username = request.getfixturevalue(user).get_username()
    clients = [Client(REMOTE_ADDR="203.0.113.7") for _ in range(3)]
    r = wrong_then_right(page, username, clients)
    assert r.status_code == 429 and "Too many failed attempts" in r.content.decode()
    assert not any(signed_in(c) for c in clients)
    # The same person from another address is not locked out by the attacker.
    other = Client(REMOTE_ADDR="198.51.100.2")
    assert sign_in(other, page, username, PASSWORD).status_code == 302 and signed_in(other)


def test_the_lock_starts_at_the_fifth_failure_and_ignores_case(media_defence):
    c = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(4):
        assert sign_in(c, NEWSROOM, "media-defence", "wrong").status_code == 200
    assert sign_in(c, NEWSROOM, " Media-Defence", "wrong").status_code == 429
    r = sign_in(c, NEWSROOM, "MEDIA-DEFENCE", PASSWORD)
    assert r.status_code == 429 and "locked from your address for 15 minutes" in r.content.decode()


def test_a_success_clears_the_count_and_the_lock_lifts_after_15_minutes(media_defence):
    c = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        sign_in(c, NEWSROOM, "media-defence", "wrong")
    assert sign_in(c, NEWSROOM, "media-defence", PASSWORD).status_code == 302
    c.logout()
    for _ in range(4):  # four more are allowed again: the success reset the count
        assert sign_in(c, NEWSROOM, "media-defence", "wrong").status_code == 200
    assert sign_in(c, NEWSROOM, "media-defence", "wrong").status_code == 429
    # 15 minutes on (the attempts' time moved back rather than waiting).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=5))
    assert sign_in(c, NEWSROOM, "media-defence", PASSWORD).status_code == 302


def test_behind_the_proxy_two_officers_are_throttled_apart(media_defence, settings):
    """Every request comes from the proxy (one REMOTE_ADDR); the header tells officers apart,
    and only its right-most entry (the one the proxy appended) is believed."""
    settings.PRESSROOM = {**settings.PRESSROOM, "CLIENT_IP_HEADER": "X-Forwarded-For"}
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1")
    officer = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.2.2.2")
    assert wrong_then_right(NEWSROOM, "media-defence", [attacker]).status_code == 429
    assert sign_in(officer, NEWSROOM, "media-defence", PASSWORD).status_code == 302
    # Made-up entries to the left of the proxy's do not give the attacker fresh tries.
    spoofing = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1, 10.1.1.1")
    assert sign_in(spoofing, NEWSROOM, "media-defence", PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.1.1.1"}


def test_the_embargo_log_and_counting_use_the_same_address(settings, rf):
    from pressroom import clientip

    settings.PRESSROOM = {**settings.PRESSROOM, "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR"}
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert clientip.client_ip(request) == "198.51.100.7"
    junk = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not an address")
    assert clientip.client_ip(junk) == "127.0.0.1"
    settings.PRESSROOM = {**settings.PRESSROOM, "CLIENT_IP_HEADER": ""}
    assert clientip.client_ip(request) == "127.0.0.1"  # no header configured: not believed


# --- through a real multi-process server ------------------------------------------------

BIN = Path(sys.executable).parent


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect)

    def sign_in(self, page, username, password) -> int:
        with self.opener.open(self.base + page, timeout=60) as r:
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', r.read()).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.decode(), "username": username,
                                       "password": password, "next": "/admin/"}).encode()
        request = urllib.request.Request(self.base + page, data=data,
                                         headers={"Referer": self.base + page})
        try:
            with self.opener.open(request, timeout=60) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.slow
def test_throttling_holds_across_the_workers_of_a_real_server(tmp_path):
    """gunicorn with 4 worker processes, like `pressroom serve` (DEBUG on only so this test
    needs no collectstatic): 10 wrong passwords then the right one, on both pages."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("REDIS_URL", "PRESSROOM_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(PRESSROOM_DATA=str(tmp_path), PRESSROOM_DEBUG="1", PRESSROOM_COUNTER_FLUSH_SECONDS="0")
    if "DATABASE_URL" in env:
        pytest.skip("runs on its own SQLite database in a temporary folder")
    pressroom = str(BIN / "pressroom")
    subprocess.run([pressroom, "migrate", "-v0"], env=env, check=True)
    subprocess.run([pressroom, "shell", "-c",
                    "from django.contrib.auth import get_user_model as g; "
                    f"[g().objects.create_superuser(n, password='{PASSWORD}') for n in ('chief', 'deputy')]"],
                   env=env, check=True)
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "w+")
    proc = subprocess.Popen([str(BIN / "gunicorn"), "pressroom.wsgi:application", "--workers", "4",
                             "--bind", f"127.0.0.1:{port}"], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=10).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text())
                time.sleep(0.5)
        for page, name in ((NEWSROOM, "chief"), (ADMIN, "deputy")):
            # A new connection per request: the kernel hands them to different workers.
            statuses = [Browser(base).sign_in(page, name, "wrong") for _ in range(10)]
            assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}, statuses
            assert Browser(base).sign_in(page, name, PASSWORD) == 429
        assert Browser(base).sign_in(ADMIN, "chief", PASSWORD) == 429  # one lock, both pages
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
