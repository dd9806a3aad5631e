"""The search modules again, for real, on PostgreSQL.

Django's database is fixed for a test run, so when this run is on SQLite (the default) this
test runs test_index, test_sync, test_views (and itself) in a child pytest pointed at PostgreSQL
(``PRESSROOM_TEST_POSTGRES_URL``, default postgres://postgres@127.0.0.1:5432/pressroom_search;
Django creates and drops ``test_pressroom_search``). It skips, saying why, when no server
answers. A run started with ``DATABASE_URL=postgres://...`` runs every module on PostgreSQL
directly, and this test checks that the PostgreSQL backend is the one in use.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from pressroom.search import engine, postgres_backend

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

# A database name of this run's own: two test runs at once (another `make test` on the
# machine) would otherwise create and drop the same test database under each other.
URL = os.environ.get("PRESSROOM_TEST_POSTGRES_URL",
                     f"postgres://postgres@127.0.0.1:5432/pressroom_search_{os.getpid()}")
HERE = Path(__file__).resolve().parent
MODULES = ["test_index.py", "test_sync.py", "test_views.py", "test_pg_plans.py", "test_postgres.py"]


def reachable(url: str) -> str | None:
    """None when a PostgreSQL server answers at ``url``, else why not."""
    import psycopg

    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except Exception as e:  # noqa: BLE001 - any failure means: skip, and say why
        return f"{e.__class__.__name__}: {str(e).strip()[:200]}"
    return None


def test_search_on_postgresql(db, tmp_path):
    if connection.vendor == "postgresql":
        assert engine.backend() is postgres_backend
        return
    why = reachable(URL)
    if why:
        pytest.skip(f"PostgreSQL not reachable at {URL} ({why}); set PRESSROOM_TEST_POSTGRES_URL "
                    "or run with DATABASE_URL=postgres://... to test search on PostgreSQL")
    env = {**os.environ, "DATABASE_URL": URL, "PRESSROOM_DATA": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore",
         *[str(HERE / m) for m in MODULES]],
        cwd=HERE.parents[3], env=env, capture_output=True, text=True, timeout=1200)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    passed = re.search(r"(\d+) passed", out)
    assert passed and int(passed.group(1)) >= 40, out[-2000:]
