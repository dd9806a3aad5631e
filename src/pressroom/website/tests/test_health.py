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


def test_healthz_detail_only_for_staff_or_this_machine(db, extra_check, django_user_model):
    from django.test import Client

    def redis_down():
        raise ConnectionError("Error 111 connecting to 10.0.0.7:6379. Connection refused.")

    extra_check("counters", redis_down)
    for meta in ({"REMOTE_ADDR": "203.0.113.9"},
                 # A proxy on this machine: the peer is local, the reader is not.
                 {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
                 {"REMOTE_ADDR": "::1", "HTTP_X_REAL_IP": "203.0.113.9"},
                 {"REMOTE_ADDR": "not an address"}):
        r = Client(**meta).get("/healthz")
        assert r.status_code == 503, meta
        body = r.json()
        assert body["status"] == "error"
        assert body["checks"]["counters"] == {"ok": False}, meta
        assert body["checks"]["database"] == {"ok": True}, meta
        assert "6379" not in r.content.decode() and "10.0.0.7" not in r.content.decode()

    local = Client(REMOTE_ADDR="127.0.0.1").get("/healthz").json()
    assert "10.0.0.7:6379" in local["checks"]["counters"]["error"]
    assert local["checks"]["database"]["detail"] in ("sqlite", "postgresql")

    staff = django_user_model.objects.create_user("ops", password="x-long-password", is_staff=True)
    officer = django_user_model.objects.create_user("officer", password="x-long-password")
    remote = Client(REMOTE_ADDR="203.0.113.9")
    remote.force_login(officer)
    assert remote.get("/healthz").json()["checks"]["counters"] == {"ok": False}
    remote.force_login(staff)
    assert "10.0.0.7:6379" in remote.get("/healthz").json()["checks"]["counters"]["error"]
