"""The router against a real PostgreSQL streaming replica (ops/pgcluster.py makes the pair).

A primary and a replica made with ``pg_basebackup -R`` in a folder of their own, Pressroom
configured with both (``DATABASE_URL`` and ``DATABASE_REPLICA_URLS``), and these shown for
real: plain reads come from the replica (a row the replica has not replayed yet is not seen),
a reader who just wrote reads the primary (sees it), and when the primary stops the public
pages keep being served from the replica. Skips where PostgreSQL's server binaries are absent.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom.ops import pgcluster

BIN = Path(sys.executable).parent
SAMPLE = Path(__file__).resolve().parents[1] / "sample"

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def not_here(reason: str):
    """Skip on a laptop without PostgreSQL's server; under CI the replica must be tested."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    if pgcluster.pg_bindir() is None:
        not_here("PostgreSQL server binaries (initdb, pg_basebackup) are not installed: "
                    "the real-replica tests did NOT run")
    root = Path(f"/tmp/pressroom-pglab-{os.getpid()}")
    try:
        made = pgcluster.make_pair(root)
    except pgcluster.ClusterError as exc:
        not_here(f"could not make a primary and a replica here ({exc}): "
                    "the real-replica tests did NOT run")
    try:
        made.primary.psql("CREATE DATABASE pressroom TEMPLATE template0 ENCODING 'UTF8'")
        yield made
    finally:
        made.remove()


def pressroom_env(pair, data: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URLS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(PRESSROOM_DATA=str(data), DATABASE_URL=pair.primary.url("pressroom"),
               DATABASE_REPLICA_URLS=pair.replica.url("pressroom"),
               PRESSROOM_COUNTER_FLUSH_SECONDS="3600")
    return env


def pressroom(env, *args):
    done = subprocess.run([str(BIN / "pressroom"), *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"pressroom {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


# Pages rendered in a shell, without collectstatic (as the test suite's own storage).
PLAIN_STATIC = """
from django.conf import settings
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""


def shell(env, script: str) -> dict:
    out = pressroom(env, "shell", "-c", PLAIN_STATIC + script)
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def site(pair, tmp_path_factory):
    data = tmp_path_factory.mktemp("replica-site")
    env = pressroom_env(pair, data)
    pressroom(env, "migrate", "-v0")
    pressroom(env, "import", str(SAMPLE), "--quiet")
    pressroom(env, "createdemo-users")
    pair.wait_replayed()
    return env


def test_plain_reads_come_from_the_replica_and_pinned_reads_from_the_primary(pair, site):
    pair.replica.psql("SELECT pg_wal_replay_pause()")
    try:
        out = shell(site, """
import json
from pressroom.dbrouter import use_primary
from pressroom.releases.models import Ministry
Ministry.objects.create(name="Ministry of Replication", slug="ministry-of-replication")
plain = Ministry.objects.filter(slug="ministry-of-replication").exists()
with use_primary():
    pinned = Ministry.objects.filter(slug="ministry-of-replication").exists()
print(json.dumps({"plain": plain, "pinned": pinned}))
""")
        assert out == {"plain": False, "pinned": True}  # the replica has not replayed it yet
    finally:
        pair.replica.psql("SELECT pg_wal_replay_resume()")
    pair.wait_replayed()
    out = shell(site, """
import json
from pressroom.releases.models import Ministry
print(json.dumps({"plain": Ministry.objects.filter(slug="ministry-of-replication").exists()}))
""")
    assert out == {"plain": True}


def test_a_reader_who_just_wrote_sees_their_write_while_the_replica_lags(pair, site):
    """Signing in writes a session on the primary; with the replica paused (it has not got
    the session), the next page still knows the officer: that browser reads the primary."""
    pair.replica.psql("SELECT pg_wal_replay_pause()")
    try:
        out = shell(site, """
import json
from django.test import Client
c = Client()
c.get("/newsroom/login/")
signed_in = c.post("/newsroom/login/", {"username": "press", "password": "pressroom-demo"})
dashboard = c.get("/newsroom/")
fresh = Client()
fresh.cookies = c.cookies  # the same browser ...
del fresh.cookies["pressroom_primary"]  # ... once its pin has expired: the replica's view
later = fresh.get("/newsroom/")
print(json.dumps({"login": signed_in.status_code, "dashboard": dashboard.status_code,
                  "later": later.status_code}))
""")
    finally:
        pair.replica.psql("SELECT pg_wal_replay_resume()")
    assert out["login"] == 302
    assert out["dashboard"] == 200  # pinned to the primary: the new session is there
    assert out["later"] == 302  # the lagging replica has no such session yet: sign in again


def test_public_pages_keep_being_served_when_the_primary_stops(pair, site):
    pair.wait_replayed()
    pair.primary.stop("immediate")
    try:
        out = shell(site, """
import json
from django.test import Client
c = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0")
paths = ["/", "/releases/", "/release/1548606/", "/release/1548606.json", "/release/1548606.txt",
         "/ministries/", "/search/?q=defence", "/feeds/latest.atom", "/api/v1/releases?limit=5",
         "/sitemap.xml"]
print(json.dumps({p: c.get(p).status_code for p in paths}))
""")
    finally:
        pair.primary.start()
    assert out == dict.fromkeys(out, 200), out


def test_a_replica_stopped_under_readers_costs_none_of_them_an_error(pair, site):
    """Readers holding open connections to the replica when it stops: each request is
    answered (from the primary); started again, the replica gets the reads back."""
    pair.wait_replayed()
    stop = [*pgcluster._as_owner(), str(pair.replica.bindir / "pg_ctl"), "-D",
            str(pair.replica.datadir), "-m", "immediate", "-w", "stop"]
    try:
        out = shell(site, f"""
import json, subprocess
from django.db import connections
from django.test import Client
from pressroom import dbrouter
c = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0")
paths = ["/", "/releases/", "/release/1548606/", "/release/1548606.json", "/ministries/",
         "/search/?q=defence", "/api/v1/releases?limit=5", "/sitemap.xml"]
before = {{p: c.get(p).status_code for p in paths}}
was_open = connections["replica1"].connection is not None
subprocess.run({stop!r}, check=True, capture_output=True)
during = {{p: c.get(p).status_code for p in paths}}
print(json.dumps({{"before": before, "during": during, "was_open": was_open,
                  "left_out": "replica1" in dbrouter._down_until}}))
""")
        assert out["was_open"] and out["left_out"]
        assert out["before"] == dict.fromkeys(out["before"], 200), out
        assert out["during"] == dict.fromkeys(out["during"], 200), out
    finally:
        pair.replica.start()
    pair.wait_replayed()
    back = shell(site, """
import json
from pressroom import dbrouter
from pressroom.releases.models import Release
print(json.dumps({"alias": dbrouter.PrimaryReplicaRouter().db_for_read(Release),
                  "count": Release.objects.count()}))
""")
    assert back["alias"] == "replica1" and back["count"] > 0
