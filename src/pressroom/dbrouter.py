"""Reads go to read replicas, writes to the primary (`DATABASE_REPLICA_URLS`, docs/deploy.md).

Replicas lag the primary by a little. So that nobody reads older data than they just wrote,
reads go to the primary:
- inside a transaction on the primary (a publish reading back what it wrote);
- during an unsafe request (POST, ...) and, for that browser, a few seconds after it
  (`PinPrimaryMiddleware`: the redirect after a newsroom form shows the new draft);
- inside `with use_primary():` (management commands, jobs that need the latest data).
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections, router

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
        return random.choice(self.replicas)

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
