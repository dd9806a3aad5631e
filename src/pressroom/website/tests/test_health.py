"""/healthz and the check registry apps add to (pressroom.health)."""

import pytest

from pressroom import health


@pytest.fixture
def extra_check():
    """Register a check for one test and take it away after."""
    saved = dict(health._checks)

    def add(name, check):
        health.register(name, check)

    yield add
    health._checks.clear()
    health._checks.update(saved)


def test_core_checks_are_registered_and_pass(client, db):
    assert {"database", "cache"} <= set(health.registered())
    r = client.get("/healthz")
    body = r.json()
    assert r.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["database"]["detail"] in ("sqlite", "postgresql")
    assert body["checks"]["cache"]["ok"] is True
    assert "no-cache" in r["Cache-Control"] and "max-age=0" in r["Cache-Control"]


def test_an_app_check_that_fails_makes_healthz_503(client, db, extra_check):
    extra_check("search", lambda: "12 documents")

    def broken():
        raise ConnectionError("counter store unreachable")

    extra_check("counters", broken)
    r = client.get("/healthz")
    body = r.json()
    assert r.status_code == 503 and body["status"] == "error"
    assert body["checks"]["search"] == {"ok": True, "detail": "12 documents",
                                        "ms": body["checks"]["search"]["ms"]}
    assert body["checks"]["counters"]["ok"] is False
    assert "counter store unreachable" in body["checks"]["counters"]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_healthz_checks_search_and_counters(client, db):
    checks = client.get("/healthz").json()["checks"]
    assert checks["search"]["ok"] and checks["counters"]["ok"]
    assert checks["search"]["detail"].startswith(("sqlite", "postgresql"))
