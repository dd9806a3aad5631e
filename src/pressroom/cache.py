"""Redis that may go away: a breaker, and the cache backend used when REDIS_URL is set.

Everything Pressroom keeps in Redis can be done without it for a while: the cache only
saves work (a miss means computing from the database), visitor counts fall back to the
process's own buffer (counters/buffer.py). So a Redis outage must cost speed, never pages.

One backend rather than a try/except at every ``cache.get``: the cache is read in several
apps (listings, sitemaps, search statistics) and any new call site would be a new 500 in
waiting. ``ResilientRedisCache`` is Django's RedisCache whose every operation, when Redis
cannot be reached, answers as an empty cache would (a miss, a write that keeps nothing) and
logs it. A ``Breaker`` then skips Redis for RETRY_SECONDS, so that while it is down a page
does not wait for a connection timeout on each of its cache reads. /healthz still says the
truth: its checks call ``check()``, which raises.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

# Errors that mean "Redis is not there": not a wrong command or a full memory (those are bugs
# or configuration, and should be seen).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
RETRY_SECONDS = 5.0
# Short timeouts: a Redis that does not answer in this long is treated as away.
CLIENT_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 2.0}


class Breaker:
    """Remembers that Redis failed, so callers skip it until RETRY_SECONDS have passed."""

    def __init__(self, name: str, retry_seconds: float = RETRY_SECONDS):
        self.name = name
        self.retry_seconds = retry_seconds
        self.down_until = 0.0
        self.error = ""
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        """True while Redis is believed down (calls should not try it)."""
        return time.monotonic() < self.down_until

    def failed(self, error: BaseException) -> None:
        with self._lock:
            first = not self.error
            self.down_until = time.monotonic() + self.retry_seconds
            self.error = error.__class__.__name__
        if first:
            log.warning("%s: Redis unreachable (%s); carrying on without it, retrying every %g s",
                        self.name, self.error, self.retry_seconds)

    def succeeded(self) -> None:
        if self.error:
            with self._lock:
                self.error, self.down_until = "", 0.0
            log.warning("%s: Redis is back", self.name)


_MISSING = object()


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, acting as an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**CLIENT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self.breaker = Breaker("cache")

    def _guard(self, call, fallback):
        if self.breaker.open:
            return fallback
        try:
            result = call()
        except UNREACHABLE as e:
            self.breaker.failed(e)
            return fallback
        self.breaker.succeeded()
        return result

    def check(self) -> str:
        """For /healthz: raises when Redis does not answer (whatever the breaker says)."""
        try:
            self._cache.get_client(write=True).ping()
        except UNREACHABLE as e:
            self.breaker.failed(e)
            raise RuntimeError(f"Redis unreachable ({e.__class__.__name__}): pages are served "
                               "without the cache") from None
        self.breaker.succeeded()
        return "RedisCache"

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
                           False)

    def get(self, key, default=None, version=None):
        found = self._guard(lambda: super(ResilientRedisCache, self).get(key, _MISSING, version),
                            _MISSING)
        return default if found is _MISSING else found

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
                           False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        found = self._guard(lambda: super(ResilientRedisCache, self).incr(key, delta, version),
                            _MISSING)
        if found is _MISSING:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return found

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
                           list(data))

    def delete_many(self, keys, version=None):
        self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard(lambda: super(ResilientRedisCache, self).clear(), False)


class FileCache(FileBasedCache):
    """Django's file cache (the shared cache of one box without Redis), which lists its
    whole folder only on one write in CULL_CHECK_EVERY, not on every write.

    Django's `set` lists every file of the folder to learn whether it is over MAX_ENTRIES:
    1.4 ms at 1,000 entries, 19 ms at 20,000 (bench/cache_bench.py), on every listing page
    that counts its matches afresh. The folder may now pass MAX_ENTRIES by up to
    CULL_CHECK_EVERY writes per process before the check culls it as Django does."""

    CULL_CHECK_EVERY = 100
    _writes = itertools.count()  # one count for every thread's instance in the process

    def _cull(self):
        if next(self._writes) % self.CULL_CHECK_EVERY == 0:
            super()._cull()
