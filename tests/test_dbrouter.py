"""The primary/replica router: reads to replicas, writes and read-your-writes to the primary."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from pressroom import dbrouter
from pressroom.releases.models import Release

BIN = Path(sys.executable).parent


def test_reads_go_to_a_replica_and_writes_to_the_primary():
    router = dbrouter.PrimaryReplicaRouter(replicas=["replica1", "replica2"])
    assert {router.db_for_read(Release) for _ in range(50)} == {"replica1", "replica2"}
    assert router.db_for_write(Release) == "default"
    assert router.allow_migrate("default", "releases") is True
    assert router.allow_migrate("replica1", "releases") is False
    with dbrouter.use_primary():
        assert router.db_for_read(Release) == "default"
    assert router.db_for_read(Release) != "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_see_the_primary():
    router = dbrouter.PrimaryReplicaRouter(replicas=["replica1"])
    with transaction.atomic():
        assert router.db_for_read(Release) == "default"
    assert router.db_for_read(Release) == "replica1"


def test_a_post_and_the_same_browser_shortly_after_read_the_primary():
    router = dbrouter.PrimaryReplicaRouter(replicas=["replica1"])
    seen = []

    def view(request):
        seen.append(router.db_for_read(Release))
        return HttpResponse("ok")

    middleware = dbrouter.PinPrimaryMiddleware(view)
    factory = RequestFactory()
    posted = middleware(factory.post("/newsroom/drafts/"))
    cookie = posted.cookies[dbrouter.PIN_COOKIE]
    assert 0 < cookie["max-age"] <= 60 and cookie["httponly"]
    following = factory.get("/newsroom/drafts/1/")
    following.COOKIES[dbrouter.PIN_COOKIE] = "1"
    middleware(following)
    middleware(factory.get("/releases/"))
    assert seen == ["default", "default", "replica1"]


def run_with_replica(tmp_path, script: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PRESSROOM_DATA=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'primary.db'}",
               DATABASE_REPLICA_URLS=f"sqlite:///{tmp_path / 'replica.db'}")
    result = subprocess.run([str(BIN / "pressroom"), "shell", "-c", script], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # after shell's own notes


def test_with_a_replica_configured_django_routes_for_real(tmp_path):
    """Two real databases: a row written goes to the primary and is not read from the replica
    (which, in this test, nothing replicates to)."""
    for alias in ("default", "replica1"):
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(PRESSROOM_DATA=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / alias}.db")
        subprocess.run([str(BIN / "pressroom"), "migrate", "-v0"], env=env, check=True)
    (tmp_path / "default.db").rename(tmp_path / "primary.db")
    (tmp_path / "replica1.db").rename(tmp_path / "replica.db")
    out = run_with_replica(tmp_path, """
import json
from django.conf import settings
from pressroom.dbrouter import use_primary
from pressroom.releases.models import Ministry
Ministry.objects.create(name="Ministry of Routing", slug="ministry-of-routing")
read = Ministry.objects.filter(slug="ministry-of-routing").exists()
with use_primary():
    pinned = Ministry.objects.filter(slug="ministry-of-routing").exists()
print(json.dumps({"routers": settings.DATABASE_ROUTERS, "from_replica": read,
                  "from_primary": pinned, "aliases": sorted(settings.DATABASES)}))
""")
    assert out["aliases"] == ["default", "replica1"]
    assert out["routers"] == ["pressroom.dbrouter.PrimaryReplicaRouter"]
    assert out == {**out, "from_replica": False, "from_primary": True}
