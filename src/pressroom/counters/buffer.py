"""Buffered visitor counting: remember views in memory (or Redis), write them in batches.

A view costs a dictionary update (or one Redis round trip); `flush()` turns everything
pending into one transaction: `visitor_count += n` per version and `views += n` per version
and day in DailyViews. Flushes happen every COUNTER_FLUSH_SECONDS (5 s) from a background
thread in each process, at process exit (atexit) and in gunicorn's worker_exit hook, so a
graceful shutdown loses nothing. A crash (SIGKILL, power cut) loses what was pending:
in-process, at most one flush interval of that process's views; with Redis, nothing that
reached Redis. A Redis batch is written at most once: its name is recorded (FlushedBatch) in
the transaction that adds its counts, so a flusher that dies between the commit and deleting
the batch from Redis does not count it twice.

When Redis is unreachable, counting goes on in the process's own buffer (a reader's re-read
landing on another worker then counts again, as without Redis) and those counts are written
straight to the database by the same flushes; what was pending in Redis is written when it
returns. Pages never wait for it: a breaker skips Redis for a few seconds after it failed.

One reader, one count per version per 30 minutes: the reader is known only by
hash(daily salt + IP + User-Agent + version), kept in memory (or in Redis with a 30-minute
expiry). The salt is random, made per day, held only in memory (or Redis, expiring after
two days), so yesterday's hashes cannot be linked to anybody. No cookies, no addresses stored.
Without Redis the 30-minute memory is per process: with several workers a re-read that lands
on another worker counts again; set REDIS_URL for one memory across workers and machines.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import secrets
import threading
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from pressroom.releases.pibtext import IST

log = logging.getLogger(__name__)

REPEAT_WINDOW = 30 * 60  # seconds in which a reader's re-reads of a version count once


def today() -> date:
    return datetime.now(IST).date()


def apply_counts(counts: dict[tuple[int, date], int], batch: str | None = None) -> int:
    """Add pending counts to the record in one transaction; returns the views written.

    The versions' counters go through the record's writer (releases.store.add_views); the
    daily counts are this app's own. Versions deleted since the view are skipped. ``batch``
    names a Redis batch: one already written is skipped, so it never counts twice.
    """
    if not counts:
        return 0
    from pressroom.releases import store

    from .models import DailyViews, FlushedBatch

    per_version: Counter = Counter()
    for (vid, _), n in counts.items():
        per_version[vid] += n
    daily_table = DailyViews._meta.db_table
    with transaction.atomic(), connection.cursor() as c:
        if batch is not None:  # one statement: recorded now, or written before
            table = FlushedBatch._meta.db_table
            c.execute(f"INSERT INTO {table} (name, at) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING "
                      f"RETURNING id", [batch, connection.ops.adapt_datetimefield_value(timezone.now())])
            if c.fetchone() is None:
                return 0
        live = store.add_views(per_version)
        if live:
            c.executemany(
                f"INSERT INTO {daily_table} (version_id, day, views) VALUES (%s, %s, %s) "
                f"ON CONFLICT (version_id, day) DO UPDATE SET views = {daily_table}.views + excluded.views",
                [(vid, day, n) for (vid, day), n in sorted(counts.items()) if vid in live])
    return sum(per_version[vid] for vid in live)


class MemoryCounter:
    """Pending counts and the 30-minute memory in this process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending: Counter = Counter()
        self.seen: dict[bytes, float] = {}
        self.salt_day: date | None = None
        self.salt = b""
        self.next_prune = 0.0

    def _salt(self) -> bytes:
        day = today()
        if day != self.salt_day:  # a new day: a new salt, and yesterday's is forgotten
            self.salt_day, self.salt = day, secrets.token_bytes(16)
        return self.salt

    def add(self, version_id: int, reader: bytes) -> bool:
        now = time.monotonic()
        with self.lock:
            key = hashlib.blake2b(b"%d\0%s" % (version_id, reader), key=self._salt(),
                                  digest_size=16).digest()
            if self.seen.get(key, 0) > now:
                return False
            self.seen[key] = now + REPEAT_WINDOW
            self.pending[(version_id, self.salt_day)] += 1
            if now > self.next_prune:
                self.seen = {k: t for k, t in self.seen.items() if t > now}
                self.next_prune = now + 60
        return True

    def take(self) -> Counter:
        with self.lock:
            pending, self.pending = self.pending, Counter()
        return pending

    def give_back(self, counts: Counter):
        with self.lock:
            self.pending.update(counts)

    def flush(self) -> int:
        counts = self.take()
        try:
            return apply_counts(counts)
        except Exception:
            self.give_back(counts)  # the database was busy or away: try again next time
            raise

    def forget(self):
        with self.lock:
            self.pending.clear()
            self.seen.clear()


# Adds a view once per reader per window and bumps the pending count, in one round trip.
_REDIS_ADD = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
  return 1
end
return 0
"""


# Renames the pending hash to a new batch and lists the batch, both or neither.
_REDIS_TAKE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], ARGV[1])
  redis.call('SADD', KEYS[2], ARGV[1])
  return 1
end
return 0
"""


class RedisCounter:
    """Pending counts and the 30-minute memory in Redis, shared by every worker and machine;
    this process's own MemoryCounter while Redis is unreachable."""

    def __init__(self, url: str, prefix: str = "pressroom:counters:"):
        import redis

        from pressroom.cache import CLIENT_OPTIONS, Breaker

        self.redis = redis.Redis.from_url(url, **CLIENT_OPTIONS)
        self.prefix = prefix
        self.pending_key = prefix + "pending"
        self.batches_key = prefix + "batches"
        self._add = self.redis.register_script(_REDIS_ADD)
        self._take = self.redis.register_script(_REDIS_TAKE)
        self.local = MemoryCounter()
        self.breaker = Breaker("visitor counts")
        self.next_cleanup = 0.0

    def _salt(self) -> bytes:
        key = f"{self.prefix}salt:{today().isoformat()}"
        self.redis.set(key, secrets.token_bytes(16), nx=True, ex=2 * 86400)
        return self.redis.get(key)

    def add(self, version_id: int, reader: bytes) -> bool:
        from pressroom.cache import UNREACHABLE

        if not self.breaker.open:
            try:
                added = self._add_in_redis(version_id, reader)
            except UNREACHABLE as e:
                self.breaker.failed(e)
            else:
                self.breaker.succeeded()
                return added
        return self.local.add(version_id, reader)

    def _add_in_redis(self, version_id: int, reader: bytes) -> bool:
        day = today()
        digest = hashlib.blake2b(b"%d\0%s" % (version_id, reader), key=self._cached_salt(day),
                                 digest_size=16).hexdigest()
        return bool(self._add(keys=[f"{self.prefix}seen:{digest}", self.pending_key],
                              args=[REPEAT_WINDOW, f"{version_id}:{day.isoformat()}"]))

    def _cached_salt(self, day: date) -> bytes:
        cached = getattr(self, "_salt_cache", None)
        if cached is None or cached[0] != day:
            self._salt_cache = (day, self._salt())
        return self._salt_cache[1]

    def flush(self) -> int:
        """What this process counted while Redis was away (straight to the database), then
        what is pending in Redis, if it answers."""
        from pressroom.cache import UNREACHABLE

        written = self.local.flush()
        if self.breaker.open:
            return written
        try:
            written += self._flush_redis()
        except UNREACHABLE as e:
            self.breaker.failed(e)  # what is left in Redis is written when it returns
        else:
            self.breaker.succeeded()
        return written

    def _flush_redis(self) -> int:
        """Move the pending hash aside (atomically, into a list of batches), write it, drop it.

        Batches left by a flusher that died are written by the next flush.
        """
        self._take(keys=[self.pending_key, self.batches_key],
                   args=[f"{self.prefix}flushing:{uuid.uuid4().hex}"])
        written = 0
        for key in self.redis.smembers(self.batches_key):
            # Only one flusher may own a batch: the one that deletes it after writing.
            if not self.redis.set(key + b":owner", "1", nx=True, ex=60):
                continue
            counts: Counter = Counter()
            for field, n in self.redis.hgetall(key).items():
                vid, day = field.decode().split(":")
                counts[(int(vid), date.fromisoformat(day))] += int(n)
            try:
                written += apply_counts(counts, batch=key.decode())
            except Exception:
                self.redis.delete(key + b":owner")  # the next flush may try this batch again
                raise
            self.redis.pipeline().delete(key, key + b":owner").srem(self.batches_key, key).execute()
        if written and time.monotonic() > self.next_cleanup:
            _forget_old_batches()
            self.next_cleanup = time.monotonic() + 3600
        return written

    def check(self) -> str:
        from pressroom.cache import UNREACHABLE

        try:
            self.redis.ping()
        except UNREACHABLE as e:
            self.breaker.failed(e)
            raise RuntimeError(f"Redis unreachable ({e.__class__.__name__}): counting in each "
                               "process, written to the database directly, until it returns") from None
        self.breaker.succeeded()
        return "redis"

    def forget(self):
        self.local.forget()
        for key in self.redis.scan_iter(match=f"{self.prefix}*"):
            self.redis.delete(key)


def _forget_old_batches():
    """Names of written batches are kept two days: far longer than any batch lives in Redis."""
    from .models import FlushedBatch

    FlushedBatch.objects.filter(at__lt=timezone.now() - timedelta(days=2)).delete()


_counter = None
_counter_pid = None
_flusher_started = False
_lock = threading.Lock()


def redis_url() -> str:
    return settings.PRESSROOM["REDIS_URL"]


def counter():
    """This process's counter (made again after a fork: buffers are per process)."""
    global _counter, _counter_pid, _flusher_started
    if _counter is None or _counter_pid != os.getpid():
        with _lock:
            if _counter is None or _counter_pid != os.getpid():
                url = redis_url()
                _counter = RedisCounter(url) if url else MemoryCounter()
                _counter_pid = os.getpid()
                _flusher_started = False
    if not _flusher_started:
        _start_flusher()
    return _counter


def _start_flusher():
    global _flusher_started
    _flusher_started = True
    interval = settings.PRESSROOM.get("COUNTER_FLUSH_SECONDS", 5)
    if not interval:
        return  # tests flush by hand

    def loop():
        while True:
            time.sleep(interval)
            try:
                flush()
            except Exception:  # noqa: BLE001 - keep counting; the next flush retries
                log.exception("visitor count flush failed")
            finally:
                connection.close()

    threading.Thread(target=loop, name="counter-flush", daemon=True).start()


_flush_lock = threading.Lock()


def flush() -> int:
    """Write every pending view of this process (or of Redis) to the database.

    One flush at a time: the exit flush waits for the background one to commit, rather than
    the process ending under it with its batch taken but unwritten.
    """
    with _flush_lock:
        if _counter is None or _counter_pid != os.getpid():
            return counter().flush() if redis_url() else 0
        return _counter.flush()


def forget():
    """Drop pending counts and the repeat memory (tests)."""
    if _counter is not None:
        try:
            _counter.forget()
        except Exception:  # noqa: BLE001 - a Redis that is away holds nothing to forget here
            log.warning("could not clear the counters' Redis keys")


@atexit.register
def _flush_at_exit():
    try:
        flush()
    except Exception:  # noqa: BLE001 - exiting anyway; say so
        log.exception("visitor counts pending at exit could not be written")


def health_check() -> str:
    """/healthz: the counter this process counts into answers."""
    c = counter()
    if isinstance(c, RedisCounter):
        return c.check()
    return "in-process buffer"
