"""With REDIS_URL set and Redis unreachable, pages stay up and go on counting in-process;
/healthz says Redis is down; when it returns, every count is written once."""

import os

import pytest
import redis
from django.test import Client

from conftest import SEED
from pressroom.counters import buffer
from pressroom.counters.models import DailyViews, FlushedBatch
from pressroom.releases.models import LanguageVersion

from .test_counting import BROWSER

# A port nothing listens on: connections are refused at once, as when Redis is down.
DOWN = "redis://127.0.0.1:1/0"
REDIS_TEST_URL = os.environ.get("PRESSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
PAGES = ["/", "/release/1548606/", "/release/1548606.txt", "/release/1548606.json", "/ministries/",
         "/releases/", "/releases/?ministry=ministry-of-defence", "/search/?q=defence",
         "/feeds/latest.atom", "/sitemap.xml", "/newsroom/login/", "/admin/login/",
         "/api/v1/releases", "/api/v1/ministries"]


@pytest.fixture
def version(import_paths):
    import_paths(SEED)
    return LanguageVersion.objects.get(release_id=1548606)


@pytest.fixture
def redis_down(settings, monkeypatch):
    """Settings as a deployment with REDIS_URL has them, the server being away."""
    settings.PRESSROOM = {**settings.PRESSROOM, "REDIS_URL": DOWN}
    settings.CACHES = {alias: {"BACKEND": "pressroom.cache.ResilientRedisCache", "LOCATION": DOWN}
                       for alias in ("default", "shared")}  # as settings.py makes them
    monkeypatch.setattr(buffer, "_counter", None)  # this process's counter made anew, for Redis
    yield
    monkeypatch.setattr(buffer, "_counter", None)


def test_pages_and_sign_in_answer_while_redis_is_unreachable(version, redis_down, media_user):
    for path in PAGES:
        r = Client(HTTP_USER_AGENT=BROWSER).get(path)
        assert r.status_code == 200, (path, r.status_code)
    c = Client(HTTP_USER_AGENT=BROWSER)
    assert c.post("/newsroom/login/", {"username": "officer", "password": "wrong"}).status_code == 200
    r = c.post("/newsroom/login/", {"username": "officer", "password": "pressroom-test-pw"})
    assert r.status_code == 302 and "_auth_user_id" in c.session


def test_views_are_counted_in_process_and_written_while_redis_is_away(version, redis_down):
    for i in range(3):
        assert Client(HTTP_USER_AGENT=f"{BROWSER} {i}").get("/release/1548606/").status_code == 200
    Client(HTTP_USER_AGENT=f"{BROWSER} 0").get("/release/1548606/")  # a re-read: not again
    assert isinstance(buffer.counter(), buffer.RedisCounter)
    assert buffer.flush() == 3
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1103
    assert DailyViews.objects.get(version=version).views == 3


def test_healthz_says_redis_is_down(db, redis_down):
    r = Client().get("/healthz")
    assert r.status_code == 503
    checks = r.json()["checks"]
    assert checks["database"]["ok"] is True
    for name in ("cache", "counters"):
        assert checks[name]["ok"] is False and "Redis unreachable" in checks[name]["error"]
        assert "127.0.0.1:1" not in checks[name]["error"]  # where Redis lives is nobody's business


def test_the_cache_acts_empty_and_skips_redis_for_a_while(redis_down):
    from django.core.cache import cache

    cache.set("k", 1)
    assert cache.get("k") is None and cache.get("k", "d") == "d" and cache.add("k", 1) is False
    assert cache.get_many(["k"]) == {} and not cache.has_key("k")
    assert cache.get_or_set("k", 5) == 5
    with pytest.raises(ValueError):
        cache.incr("k")
    assert cache.breaker.open  # the next calls do not even try until RETRY_SECONDS pass
    cache.delete("k")
    cache.clear()


@pytest.fixture
def media_user(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("officer", password="pressroom-test-pw")


# --- recovery, against the real Redis --------------------------------------------------------


@pytest.fixture
def real_redis_counter():
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {REDIS_TEST_URL}: recovery after an outage is not tested")
    counter = buffer.RedisCounter(REDIS_TEST_URL, prefix="pressroom:test-outage:")
    counter.forget()
    yield counter
    counter.forget()


def _outage(counter):
    """Redis goes away: the client's connections now go to a port nothing listens on."""
    up = counter.redis.connection_pool
    counter.redis.connection_pool = redis.ConnectionPool.from_url(DOWN, socket_connect_timeout=1)
    return up


def _back(counter, up):
    counter.redis.connection_pool = up
    counter.breaker.down_until = 0  # the retry interval has passed


@pytest.mark.redis
def test_counts_made_before_during_and_after_an_outage_are_each_written_once(
        version, real_redis_counter):
    r = real_redis_counter
    for i in range(3):  # into Redis
        assert r.add(version.pk, f"before {i}".encode())
    up = _outage(r)
    for i in range(2):  # Redis away: this process's buffer
        assert r.add(version.pk, f"during {i}".encode())
    assert not r.add(version.pk, b"during 0")
    assert r.breaker.open
    assert r.flush() == 2  # what was counted here goes straight to the database
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1102
    _back(r, up)
    assert r.add(version.pk, b"after")
    assert r.flush() == 4  # Redis's three from before the outage, and the one after
    assert r.flush() == 0
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1106
    assert DailyViews.objects.get(version=version).views == 6


@pytest.mark.redis
def test_a_batch_written_but_not_deleted_from_redis_is_not_counted_twice(
        version, real_redis_counter):
    r = real_redis_counter
    r.add(version.pk, b"someone")
    r.add(version.pk, b"someone else")
    # A flusher moved the batch aside and wrote it, then lost Redis (or died) before deleting it.
    name = r.prefix + "flushing:written"
    r._take(keys=[r.pending_key, r.batches_key], args=[name])
    assert buffer.apply_counts({(version.pk, buffer.today()): 2}, batch=name) == 2
    assert FlushedBatch.objects.filter(name=name).exists()
    assert r.flush() == 0
    assert not r.redis.exists(name) and not r.redis.smembers(r.batches_key)
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1102


@pytest.mark.redis
def test_a_flush_that_loses_redis_midway_keeps_the_batch_for_later(version, real_redis_counter,
                                                                   monkeypatch):
    r = real_redis_counter
    r.add(version.pk, b"someone")
    real_hgetall = r.redis.hgetall

    def gone(key):
        raise redis.exceptions.ConnectionError("Redis went away")

    monkeypatch.setattr(r.redis, "hgetall", gone)
    assert r.flush() == 0 and r.breaker.open
    monkeypatch.setattr(r.redis, "hgetall", real_hgetall)
    r.redis.delete(*r.redis.keys(r.prefix + "flushing:*:owner"))  # or its 60 s lease runs out
    r.breaker.down_until = 0
    assert r.flush() == 1
    assert LanguageVersion.objects.get(pk=version.pk).visitor_count == 1101
