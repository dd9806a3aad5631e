"""What /healthz checks: a registry each app adds its checks to.

An app registers in its AppConfig.ready():

    from pressroom import health
    health.register("search", lambda: search_backend().ping())

A check is a callable with no arguments that raises when the part is unwell; what it returns
(if anything) is shown as its detail. /healthz runs every check, reports each with its time,
and answers 503 if any failed. Checks must be quick: load balancers call /healthz every few
seconds.
"""

import ipaddress
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections

_checks: dict[str, Callable[[], object]] = {}


def register(name: str, check: Callable[[], object]) -> None:
    """Add (or replace) the check called `name`."""
    _checks[name] = check


def registered() -> list[str]:
    return list(_checks)


def run_checks() -> dict[str, dict]:
    """Every registered check: {"name": {"ok": bool, "ms": float, "detail"|"error": str}}."""
    results = {}
    for name, check in _checks.items():
        start = time.perf_counter()
        try:
            detail = check()
            result = {"ok": True}
            if detail is not None:
                result["detail"] = str(detail)
        except Exception as e:  # noqa: BLE001 - a health check reports, never raises
            result = {"ok": False, "error": f"{e.__class__.__name__}: {str(e)[:200]}"}
        result["ms"] = round((time.perf_counter() - start) * 1000, 1)
        results[name] = result
    return results


def database_check(alias: str) -> Callable[[], str]:
    def check():
        with connections[alias].cursor() as c:
            c.execute("SELECT 1")
            c.fetchone()
        return connections[alias].vendor
    return check


def cache_check() -> str:
    if hasattr(cache, "check"):  # pressroom.cache.ResilientRedisCache: says when Redis is away
        return cache.check()
    key = "pressroom:healthz"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def register_core_checks() -> None:
    """The database (primary and each replica) and the cache; apps add their own."""
    for alias in settings.DATABASES:
        register("database" if alias == "default" else f"database:{alias}", database_check(alias))
    register("cache", cache_check)


# Who may read each check's detail and error: they name hosts, ports and versions (a
# Redis error says "connecting to 10.0.0.7:6379"). Staff, and a request made on this
# machine not through a proxy; load balancers and everyone else get ok/fail per check.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def may_see_detail(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_active and user.is_staff:
        return True
    # The peer itself, never a header a client can write. A proxy on this machine makes
    # every peer 127.0.0.1, but it sends X-Forwarded-For (docs/deploy.md's nginx does).
    try:
        local = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
    return local and not any(request.META.get(h) for h in PROXY_HEADERS)


def visible(results: dict[str, dict], request) -> dict[str, dict]:
    """run_checks() as this request may see it."""
    if may_see_detail(request):
        return results
    return {name: {"ok": r["ok"]} for name, r in results.items()}
