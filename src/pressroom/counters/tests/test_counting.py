"""Buffered counting: batches, one count per reader per 30 minutes, bots, daily open data,
flush at exit; the Redis buffer against a real server (skipped clearly where there is none)."""

import os
import subprocess
import sys
import threading
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import ROOT, SEED
from pressroom.counters import buffer
from pressroom.counters.bots import is_bot, is_prefetch
from pressroom.counters.models import DailyViews
from pressroom.releases.models import LanguageVersion

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
REDIS_TEST_URL = os.environ.get("PRESSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture
def version(import_paths):
    import_paths(SEED)
    return LanguageVersion.objects.get(release_id=1548606)


def test_a_view_is_no_database_write_until_the_flush(version):
    with CaptureQueriesContext(connection) as queries:
        Client(HTTP_USER_AGENT=BROWSER).get("/release/1548606/")
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert writes == []
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1100
    assert buffer.flush() == 1
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1101


def test_many_readers_one_flush_and_daily_counts(version):
    for i in range(25):
        Client(HTTP_USER_AGENT=f"{BROWSER} r{i}").get("/release/1548606/")
    with CaptureQueriesContext(connection) as queries:
        assert buffer.flush() == 25
    assert len(queries) <= 6  # one batch, not one write per view
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1125
    assert DailyViews.objects.get(version=version, day=buffer.today()).views == 25
    Client(HTTP_USER_AGENT=f"{BROWSER} late").get("/release/1548606/")
    buffer.flush()
    assert DailyViews.objects.get(version=version, day=buffer.today()).views == 26


def test_same_reader_within_30_minutes_counts_once_another_address_counts(version):
    c = MemoryReaders()
    assert c.view(version.pk, "10.0.0.1", BROWSER)
    assert not c.view(version.pk, "10.0.0.1", BROWSER)
    assert c.view(version.pk, "10.0.0.2", BROWSER)  # another person
    assert c.view(version.pk + 1, "10.0.0.1", BROWSER)  # another version


def test_after_30_minutes_the_same_reader_counts_again(version, monkeypatch):
    c = MemoryReaders()
    now = [1000.0]
    monkeypatch.setattr(buffer.time, "monotonic", lambda: now[0])
    assert c.view(version.pk, "10.0.0.1", BROWSER)
    now[0] += 29 * 60
    assert not c.view(version.pk, "10.0.0.1", BROWSER)
    now[0] += 2 * 60
    assert c.view(version.pk, "10.0.0.1", BROWSER)


def test_memory_keeps_no_address_and_the_salt_changes_daily(version, monkeypatch):
    c = buffer.MemoryCounter()
    c.add(version.pk, b"10.0.0.1\0" + BROWSER.encode())
    assert all(b"10.0.0.1" not in key and len(key) == 16 for key in c.seen)
    first = c.salt
    monkeypatch.setattr(buffer, "today", lambda: date(2031, 1, 2))
    c.add(version.pk, b"10.0.0.1\0x")
    assert c.salt != first and c.salt_day == date(2031, 1, 2)


def test_bots_and_prefetches_do_not_count(version):
    for ua in ("Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", "",
               "facebookexternalhit/1.1", "python-requests/2.32"):
        assert is_bot(ua), ua
        Client(HTTP_USER_AGENT=ua).get("/release/1548606/")
    Client(HTTP_USER_AGENT=BROWSER).get("/release/1548606/", HTTP_SEC_PURPOSE="prefetch;prerender")
    assert is_prefetch({"Purpose": "prefetch"}) and not is_bot(BROWSER)
    assert buffer.flush() == 0


def test_a_failed_flush_keeps_the_counts_for_the_next(version, monkeypatch):
    Client(HTTP_USER_AGENT=BROWSER).get("/release/1548606/")

    def broken(counts):
        raise RuntimeError("database away")

    monkeypatch.setattr(buffer, "apply_counts", broken)
    with pytest.raises(RuntimeError):
        buffer.flush()
    monkeypatch.undo()
    assert buffer.flush() == 1


def test_daily_views_api_and_csv(version):
    for i in range(3):
        Client(HTTP_USER_AGENT=f"{BROWSER} r{i}").get("/release/1548606/")
    buffer.flush()
    data = Client().get("/api/v1/releases/1548606/views").json()
    today = buffer.today().isoformat()
    assert data == {"release_id": 1548606, "total": 3,
                    "days": [{"day": today, "language": "en", "views": 3}]}
    r = Client().get(f"/api/v1/views.csv?from={today}&to={today}")
    assert r["Content-Type"].startswith("text/csv")
    text = b"".join(r.streaming_content).decode()
    assert text.splitlines() == ["day,release_id,language,views", f"{today},1548606,en,3"]
    empty = b"".join(Client().get("/api/v1/views.csv?to=2000-01-01").streaming_content).decode()
    assert empty.splitlines() == ["day,release_id,language,views"]


@pytest.mark.django_db(transaction=True)
def test_pending_counts_are_written_when_the_process_exits(import_paths):
    """A graceful exit (gunicorn's worker_exit, or atexit) flushes what is pending."""
    import_paths(SEED)
    version = LanguageVersion.objects.get(release_id=1548606)
    db = settings.DATABASES["default"]
    url = (f"sqlite:///{db['NAME']}" if db["ENGINE"].endswith("sqlite3") else
           f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    script = (
        "import django; django.setup()\n"
        "from pressroom.counters import buffer\n"
        f"for i in range(7): buffer.counter().add({version.pk}, b'reader %d' % i)\n"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "pressroom.settings",
           "PRESSROOM_COUNTER_FLUSH_SECONDS": "3600", "REDIS_URL": ""}
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True, timeout=300)
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1107


@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_lose_nothing_across_flushes(import_paths):
    import_paths(SEED)
    errors = []

    def read(t):
        try:
            for i in range(15):
                Client(HTTP_USER_AGENT=f"{BROWSER} {t}.{i}").get("/release/1548606/")
                if i % 5 == 0:
                    buffer.flush()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(t,)) for t in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    buffer.flush()
    assert errors == []
    assert LanguageVersion.objects.get(release_id=1548606).visitor_count == 1100 + 90


class MemoryReaders:
    def __init__(self):
        self.counter = buffer.MemoryCounter()

    def view(self, version_id, address, agent):
        return self.counter.add(version_id, f"{address}\0{agent}".encode())


@pytest.fixture
def redis_counter(settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {REDIS_TEST_URL}: the Redis buffer is not tested here")
    # This process's own keys: another test run may share the Redis database.
    counter = buffer.RedisCounter(REDIS_TEST_URL, prefix=f"pressroom:test-counters:{os.getpid()}:")
    counter.forget()
    yield counter
    counter.forget()


@pytest.mark.redis
def test_redis_buffer_counts_once_per_reader_and_flushes_in_a_batch(version, redis_counter):
    r = redis_counter
    assert r.add(version.pk, b"10.0.0.1\0" + BROWSER.encode())
    assert not r.add(version.pk, b"10.0.0.1\0" + BROWSER.encode())
    for i in range(9):
        assert r.add(version.pk, f"10.0.1.{i}\0{BROWSER}".encode())
    keys = [k.decode() for k in r.redis.scan_iter(match=r.prefix + "seen:*")]
    assert len(keys) == 10 and not any("10.0." in k for k in keys)
    assert 1790 <= r.redis.ttl(keys[0]) <= 1800
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1100
    assert r.flush() == 10
    assert r.flush() == 0
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1110
    assert DailyViews.objects.get(version=version).views == 10


@pytest.mark.redis
def test_redis_batch_left_by_a_dead_flusher_is_picked_up(version, redis_counter):
    r = redis_counter
    r.add(version.pk, b"someone")
    # A flusher moved a batch aside and died before writing it.
    r._take(keys=[r.pending_key, r.batches_key], args=[r.prefix + "flushing:dead"])
    r.add(version.pk, b"someone else")
    assert r.flush() == 2
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1102


@pytest.mark.redis
def test_views_through_the_site_with_redis(version, redis_counter, settings, monkeypatch):
    monkeypatch.setattr(buffer, "_counter", redis_counter)
    monkeypatch.setattr(buffer, "_counter_pid", os.getpid())
    for i in range(4):
        Client(HTTP_USER_AGENT=f"{BROWSER} {i}").get("/release/1548606/")
    Client(HTTP_USER_AGENT=f"{BROWSER} 0").get("/release/1548606/")  # again: not counted
    assert buffer.flush() == 4
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1104


def test_behind_the_proxy_readers_are_told_apart_by_the_header(version, settings):
    """The proxy is every request's REMOTE_ADDR; its X-Forwarded-For entry is the reader."""
    settings.PRESSROOM = {**settings.PRESSROOM, "CLIENT_IP_HEADER": "X-Forwarded-For"}

    def view(xff):
        Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="127.0.0.1",
               HTTP_X_FORWARDED_FOR=xff).get("/release/1548606/")

    view("203.0.113.1")
    view("203.0.113.2")
    view("1.1.1.1, 203.0.113.1")  # a made-up entry in front does not make a new reader
    assert buffer.flush() == 2
