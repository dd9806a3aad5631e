"""Moving an archive from SQLite to PostgreSQL: export JSONL, import, same counts and checksum."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
SAMPLE = Path(__file__).resolve().parents[4] / "sample"
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}


def postgres_or_skip():
    try:
        import psycopg
        psycopg.connect(dbname="postgres", connect_timeout=3, **PG).close()
    except Exception as e:  # noqa: BLE001 - any failure means there is no server to use
        pytest.skip(f"no PostgreSQL server at {PG['host']}:{PG['port']} ({e.__class__.__name__}): "
                    "the SQLite -> PostgreSQL move is not tested here")


def pressroom(env, *args) -> str:
    result = subprocess.run([str(BIN / "pressroom"), *args], env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


@pytest.mark.postgres
@pytest.mark.slow
def test_sqlite_archive_moves_to_postgres_with_identical_counts_and_checksum(tmp_path):
    postgres_or_skip()
    import psycopg

    name = f"{os.environ.get('PRESSROOM_TEST_PG_PREFIX', 'pressroom_test')}_move_{os.getpid()}"
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    sqlite_env = {**base, "PRESSROOM_DATA": str(tmp_path / "sqlite")}
    pg_env = {**base, "PRESSROOM_DATA": str(tmp_path / "pg"),
              "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}

    pressroom(sqlite_env, "migrate", "-v0")
    pressroom(sqlite_env, "import", str(SAMPLE), "--quiet")
    pressroom(sqlite_env, "export", "--format", "jsonl", "--out", str(tmp_path / "archive.jsonl"))
    on_sqlite = json.loads(pressroom(sqlite_env, "fingerprint"))

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0 "
                      "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    try:
        pressroom(pg_env, "migrate", "-v0")
        pressroom(pg_env, "import", str(tmp_path / "archive.jsonl"), "--quiet")
        on_postgres = json.loads(pressroom(pg_env, "fingerprint"))
        pressroom(pg_env, "export", "--format", "jsonl", "--out", str(tmp_path / "again.jsonl"))
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    assert on_sqlite["counts"]["releases.Release"] == 35
    assert on_postgres["counts"] == on_sqlite["counts"]
    assert on_postgres["checksum"] == on_sqlite["checksum"]
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "archive.jsonl").read_bytes()
