"""Reads go to read replicas, writes to the primary (`DATABASE_REPLICA_URLS`, docs/deploy.md).

Replicas lag the primary by a little. So that nobody reads older data than they just wrote,
reads go to the primary:
- inside a transaction on the primary (a publish reading back what it wrote);
- during an unsafe request (POST, ...) and, for that browser, a few seconds after it
  (`PinPrimaryMiddleware`: the redirect after a newsroom form shows the new draft);
- inside `with use_primary():` (management commands, jobs that need the latest data).

A replica that cannot be reached is left out for DOWN_SECONDS (reads go to the others, or
to the primary), and a safe request whose replica failed under it is answered again from the
primary (`ReplicaFallbackMiddleware`): a replica stopped under load costs no reader an error.
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections, router

_pinned: ContextVar[bool] = ContextVar("pressroom_read_primary", default=False)

PIN_COOKIE = "pressroom_primary"


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


@contextmanager
def use_primary() -> Iterator[None]:
    """Within this block every read goes to the primary."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


DOWN_SECONDS = 5.0
_down_until: dict[str, float] = {}  # per process: alias -> monotonic time to try it again


def mark_down(alias: str) -> None:
    _down_until[alias] = time.monotonic() + DOWN_SECONDS
    try:
        connections[alias].close()
    except DatabaseError:
        pass  # it is gone already


def reachable(alias: str) -> bool:
    """Whether reads may go to this replica now. An open connection is taken as it is (if
    its server went away, the query fails and the middleware answers from the primary); a
    closed one is opened here, so that a stopped replica is found before a query needs it."""
    if _down_until.get(alias, 0.0) > time.monotonic():
        return False
    if alias not in connections.settings:  # a router given aliases of its own (tests)
        return True
    conn = connections[alias]
    if conn.connection is not None:
        return True
    try:
        conn.ensure_connection()
    except DatabaseError:
        mark_down(alias)
        return False
    return True


def broken_replicas() -> list[str]:
    """Replicas that cannot answer now (after a request failed): a connection that failed
    under it, or one that its health check closed and could not open again."""
    out = []
    for alias in replica_aliases():
        conn = connections[alias]
        try:
            if conn.connection is None:
                conn.ensure_connection()
            elif conn.errors_occurred and not conn.is_usable():
                out.append(alias)
        except DatabaseError:
            out.append(alias)
    return out


def read_alias(model) -> str:
    """The database alias a read of ``model`` goes to: for plain SQL, which Django's router
    does not see (``connection`` is always the primary)."""
    return router.db_for_read(model)


class PrimaryReplicaRouter:
    def __init__(self, replicas: list[str] | None = None):
        self.replicas = replicas if replicas is not None else replica_aliases()

    def db_for_read(self, model, **hints):
        if not self.replicas or _pinned.get() or connections["default"].in_atomic_block:
            return "default"
        if len(self.replicas) == 1:
            return self.replicas[0] if reachable(self.replicas[0]) else "default"
        for alias in random.sample(self.replicas, len(self.replicas)):
            if reachable(alias):
                return alias
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # replicas get the schema by replication


class PinPrimaryMiddleware:
    """Unsafe requests, and the same browser's requests for REPLICA_LAG_SECONDS after one,
    read from the primary."""

    SAFE = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response
        self.lag = settings.PRESSROOM["REPLICA_LAG_SECONDS"]

    def __call__(self, request):
        unsafe = request.method not in self.SAFE
        if not (unsafe or request.COOKIES.get(PIN_COOKIE)):
            return self.get_response(request)
        token = _pinned.set(True)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if unsafe:
            response.set_cookie(PIN_COOKIE, "1", max_age=self.lag, httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response


class ReplicaFallbackMiddleware:
    """A safe request that failed because its replica went away is answered again, from the
    primary, and that replica is left out for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if (not isinstance(exception, DatabaseError) or _pinned.get()
                or request.method not in PinPrimaryMiddleware.SAFE):
            return None
        failed = broken_replicas()
        if not failed:
            return None
        for alias in failed:
            mark_down(alias)
        match = request.resolver_match
        with use_primary():
            response = match.func(request, *match.args, **match.kwargs)
            if callable(getattr(response, "render", None)):
                response = response.render()
        return response
