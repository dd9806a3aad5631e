"""Backup while the site serves (readers reading and being counted), then restore."""

import shutil
import threading
import urllib.request

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pressroom.ops.backup import kind_of_file
from pressroom.ops.fingerprint import fingerprint, total_visitors
from pressroom.releases.models import Release


def read_pages_until(stop: threading.Event, base: str, seen: list):
    """A reader: release pages and listings, counted as views, until told to stop."""
    urls = [base + "/", base + "/releases/", base + "/release/1548606/",
            base + "/release/1610907/hi/"]
    request_headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}
    while not stop.is_set():
        for url in urls:
            with urllib.request.urlopen(urllib.request.Request(url, headers=request_headers),
                                        timeout=60) as r:
                seen.append(r.status)


@pytest.mark.slow
def test_backup_during_reads_restores_the_same_archive(transactional_db, live_server,
                                                       sample_archive, tmp_path):
    if connection.vendor == "postgresql":
        if not shutil.which("pg_dump"):
            pytest.skip("pg_dump not installed (apt-get install postgresql-client)")
    before = fingerprint(include_live=False)
    stop, seen = threading.Event(), []
    reader = threading.Thread(target=read_pages_until, args=(stop, live_server.url, seen))
    reader.start()
    try:
        while len(seen) < 8:  # the site is busy before the backup starts
            stop.wait(0.05)
        visitors_at_start = total_visitors()
        call_command("backup", str(tmp_path / "archive.backup"))
        visitors_at_end = total_visitors()
        reads_during = len(seen)
    finally:
        stop.set()
        reader.join(timeout=180)
    assert seen and set(seen) == {200}, "reads failed while the backup ran"
    assert reads_during >= 8
    assert kind_of_file(tmp_path / "archive.backup") == connection.vendor

    # Lose everything, then restore.
    Release.objects.all().delete()
    assert fingerprint()["counts"]["releases.Release"] == 0
    call_command("restore", str(tmp_path / "archive.backup"), interactive=False)

    after = fingerprint(include_live=False)
    assert after == before
    # Counts taken by readers during the backup are in it up to the moment it was consistent.
    assert visitors_at_start <= total_visitors() <= visitors_at_end
    with urllib.request.urlopen(live_server.url + "/release/1548606/") as r:
        assert r.status == 200 and b"India and Kazakhstan" in r.read()


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    with pytest.raises(CommandError, match="neither a SQLite database nor a pg_dump archive"):
        call_command("restore", str(junk), interactive=False)


def test_restore_refuses_a_backup_of_the_other_kind(db, tmp_path):
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0f\x00" + b"\x00" * 64)
    else:
        import sqlite3
        sqlite3.connect(other).execute("create table t(x)").connection.close()
    with pytest.raises(CommandError, match="move between kinds"):
        call_command("restore", str(other), interactive=False)
