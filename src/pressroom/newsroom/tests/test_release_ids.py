"""Release IDs allocated at publication: unique, increasing, above every known ID, never
reused, and safe when officers publish at the same moment (SQLite and PostgreSQL)."""

import json
import os
import subprocess
import sys
import threading

import pytest
from django.db import connection
from django.test import Client

from conftest import SEED
from pressroom.releases.models import LanguageVersion, Release

from ..models import Draft
from .conftest import BROWSER

S = Draft.State
PG_SERVER = os.environ.get("PRESSROOM_TEST_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = f"pressroom_newsroom_race_{os.getpid()}"  # runs side by side must not share it


def publish(client, draft):
    return client.post(f"/newsroom/drafts/{draft.pk}/publish/")


def test_first_new_id_is_above_the_highest_imported_one(import_paths, as_press, make_draft):
    import_paths(SEED)  # Release ID 1548606
    draft = make_draft(S.APPROVED)
    publish(as_press, draft)
    draft.refresh_from_db()
    assert draft.release_id == 1548607
    # PIB's own IDs for translations count as known IDs too.
    LanguageVersion.objects.filter(release_id=1548606).update(pib_id=1600000)
    draft = make_draft(S.APPROVED)
    publish(as_press, draft)
    draft.refresh_from_db()
    assert draft.release_id == 1600001


def test_ids_increase_and_are_never_reused(as_press, make_draft):
    first, second, third = (make_draft(S.APPROVED) for _ in range(3))
    publish(as_press, first)
    publish(as_press, second)
    second.refresh_from_db()
    # Even if the newest release were deleted outright, its number is not handed out again.
    Draft.objects.filter(pk=second.pk).update(release=None)
    Release.objects.filter(pk=second.release_id).delete()
    publish(as_press, third)
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.release_id < second.release_id < third.release_id


@pytest.mark.django_db(transaction=True)
def test_officers_publishing_at_the_same_moment_get_distinct_ids(languages, import_paths, press,
                                                                make_draft):
    import_paths(SEED)
    drafts = [make_draft(S.APPROVED, title=f"Release {i}") for i in range(8)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def officer_publishes(draft):
        try:
            c = Client(HTTP_USER_AGENT=BROWSER)
            c.force_login(press)
            barrier.wait()
            assert publish(c, draft).status_code == 302
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=officer_publishes, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    ids = sorted(Draft.objects.exclude(release=None).values_list("release_id", flat=True))
    assert len(ids) == 8 and len(set(ids)) == 8
    assert ids[0] > 1548606 and ids == list(range(ids[0], ids[0] + 8))


def _pg_admin():
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=2)
    except psycopg.OperationalError as e:
        pytest.skip(f"no PostgreSQL server at {PG_SERVER} ({str(e).strip()[:80]})")


@pytest.mark.postgres
def test_concurrent_publication_on_postgresql(tmp_path):
    admin = _pg_admin()
    admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    env = {**os.environ, "DATABASE_URL": f"{PG_SERVER}/{PG_DATABASE}",
           "PRESSROOM_DATA": str(tmp_path)}
    try:
        subprocess.run([sys.executable, "-m", "pressroom.cli", "migrate", "-v", "0"], env=env,
                       check=True, timeout=300)
        out = subprocess.run([sys.executable, "-m", "pressroom.newsroom.tests.publish_race", "12"],
                             env=env, check=True, timeout=300, capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        admin.close()
    assert result["vendor"] == "postgresql" and result["errors"] == []
    assert result["ids"] == list(range(1548607, 1548607 + 12 * 5))
