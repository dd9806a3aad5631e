"""Backups of the whole database, taken while the site serves.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot page
by page while readers and writers go on; the backup is itself a SQLite file.
PostgreSQL: `pg_dump -Fc` (one consistent snapshot; readers and writers go on) and
`pg_restore --clean --if-exists --single-transaction`.
A backup restores only into the same kind of database; to move between kinds, export to JSONL
and import (docs/deploy.md).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


def _database(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def kind_of_file(path: Path) -> str:
    """'sqlite' or 'postgresql' by the file's first bytes."""
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump archive")


def _kind(db: dict) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"backups of {engine} are not supported")


def _pg_env(db: dict) -> dict:
    """libpq's variables for the database, so no password shows in a process list."""
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                     ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} not found: install PostgreSQL's client tools "
                          "(Debian: apt-get install postgresql-client)")
    return path


def backup(path: Path, alias: str = "default") -> str:
    """Write a backup of the database to `path` (replaced if it exists); returns its kind."""
    db = _database(alias)
    kind = _kind(db)
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    if kind == "sqlite":
        source = sqlite3.connect(db["NAME"], timeout=30)
        target = sqlite3.connect(tmp)
        try:
            # Pages at a time, so a long backup lets writers in between steps.
            source.backup(target, pages=1024)
        finally:
            target.close()
            source.close()
    else:
        result = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner",
                                 "--no-privileges", "--file", str(tmp)],
                                env=_pg_env(db), capture_output=True, text=True)
        if result.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    tmp.replace(path)  # a backup that is there is whole
    return kind


def restore(path: Path, alias: str = "default") -> str:
    """Replace the database's contents with the backup at `path`; returns its kind."""
    db = _database(alias)
    kind = _kind(db)
    found = kind_of_file(path)
    if found != kind:
        raise BackupError(f"{path} is a {found} backup but the database is {kind}: move between "
                          "kinds with `pressroom export --format jsonl` and `pressroom import`")
    connections[alias].close()
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(db["NAME"], timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        result = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                                 "--no-privileges", "--single-transaction", "--exit-on-error",
                                 "--dbname", db["NAME"], str(path)],
                                env=_pg_env(db), capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    return kind
