"""The bulk path of a large import (issue 12, item 1): new versions are indexed from the
fields the writer has in hand, in the batch's transaction, and give the same index as
indexing them from the record; progress is counted in bytes."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from conftest import ROOT, SAMPLE
from pressroom.ingest.importer import input_bytes
from pressroom.releases.models import LanguageVersion
from pressroom.search import engine
from pressroom.search.models import SearchEntry


def index_snapshot():
    entries = sorted(SearchEntry.objects.values_list(
        "key", "version_id", "release_id", "ministry_id", "bureau_id", "language", "year",
        "withdrawn"))
    with connection.cursor() as c:
        if connection.vendor == "sqlite":  # every word, in how many versions, how often
            c.execute("SELECT term, doc, cnt FROM search_fts_vocab ORDER BY term")
        else:
            c.execute("SELECT key, doc::text FROM search_searchentry ORDER BY key")
        words = c.fetchall()
    return entries, words


def test_bulk_indexed_import_equals_indexing_from_the_record(import_paths):
    report = import_paths(SAMPLE)
    assert report.counts["added"] > 30 and not report.rejects
    bulk = index_snapshot()
    assert len(bulk[0]) == LanguageVersion.objects.count() and len(bulk[1]) > 100
    assert not any(engine.drift().values())
    engine.clear()
    engine.index(list(LanguageVersion.objects.values_list("pk", flat=True)), fresh=True)
    assert index_snapshot() == bulk


def test_new_versions_are_not_read_back_to_be_indexed(import_paths, monkeypatch):
    def no(*args, **kwargs):
        raise AssertionError("new versions were read back from the database to be indexed")

    monkeypatch.setattr(engine, "documents", no)
    report = import_paths(SAMPLE, parallel=False)
    assert report.counts["added"] > 30 and not report.rejects
    assert SearchEntry.objects.count() == LanguageVersion.objects.count()
    monkeypatch.undo()  # drift() rebuilds a few documents itself, to compare names
    assert not any(engine.drift().values())


def test_progress_is_bytes_and_adds_up_to_the_input(import_paths, tmp_path):
    f = tmp_path / "big.jsonl"
    body = "word " * 1000
    f.write_text("".join(json.dumps({
        "release_id": 10 + i, "language": "en", "ministry": "Ministry of Defence",
        "bureau": "PIB Delhi", "title": f"Release {i}", "posted_at": "2020-01-01T10:00:00+05:30",
        "body_text": body}) + "\n" for i in range(600)))
    (tmp_path / "bad.txt").write_text("not a release\n")
    got = []
    import_paths(tmp_path, progress=got.append)
    total = f.stat().st_size + (tmp_path / "bad.txt").stat().st_size
    assert sum(got) == total == input_bytes([tmp_path])
    assert len([n for n in got if n]) >= 3  # a long file reports as it goes


@pytest.mark.slow
def test_import_bench_runs_at_a_tiny_size(tmp_path):
    """The bench runs in CI at a size of seconds, so a schema change that breaks it is red."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "import_bench.py"), "--n", "30",
                          "--rounds", "1", "--rss", "--work", str(tmp_path)], env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    for line in ("ratio importer/baseline:", "ratio importer/(baseline + FTS5):",
                 "peak RSS of `pressroom import` alone:"):
        assert line in out.stdout, out.stdout


def test_a_bulk_import_builds_the_near_duplicate_index_once_at_the_end(import_paths):
    from pressroom.releases.store import versions_changed
    from pressroom.trust import neardup
    from pressroom.trust.models import Shingle

    seen = []

    def during(sender, **kwargs):
        seen.append(neardup.index_present())

    versions_changed.connect(during, dispatch_uid="test.during")
    try:
        report = import_paths(SAMPLE, bulk=True)
    finally:
        versions_changed.disconnect(dispatch_uid="test.during")
    assert report.counts["added"] > 30 and not report.rejects
    assert seen and not any(seen)  # no index upkeep while the batches were written
    assert neardup.index_present()
    built = set(Shingle.objects.values_list("hash", "version_id"))
    neardup.rebuild()  # from the record: the same shingles as the reading process made
    assert set(Shingle.objects.values_list("hash", "version_id")) == built and len(built) > 1000
    text = LanguageVersion.objects.order_by("pk").first()
    found = neardup.candidates(set(neardup.shingles_of(text.title, text.subtitles, text.body_text)))
    assert found and found[0][0] == text.pk


def test_an_import_after_a_killed_bulk_import_restores_the_index(import_paths):
    from pressroom.trust import neardup

    neardup.suspend_index()  # as a bulk import killed before its end leaves it
    assert not neardup.index_present()
    import_paths(SAMPLE, bulk=False)
    assert neardup.index_present()


def fts_setting(name):
    with connection.cursor() as c:
        c.execute("SELECT v FROM search_fts_config WHERE k = %s", [name])
        row = c.fetchone()
    return row and int(row[0])


def test_a_bulk_import_merges_the_search_index_once_at_the_end(import_paths):
    from pressroom.releases.store import versions_changed

    if connection.vendor != "sqlite":
        pytest.skip("FTS5's merging is SQLite's")
    seen = []
    versions_changed.connect(lambda sender, **kw: seen.append(fts_setting("automerge")),
                             weak=False, dispatch_uid="test.merging")
    try:
        report = import_paths(SAMPLE, bulk=True)
    finally:
        versions_changed.disconnect(dispatch_uid="test.merging")
    assert report.counts["added"] > 30 and not report.rejects
    assert seen and set(seen) == {0}  # no merging while the batches were written
    assert fts_setting("automerge") == 4 and fts_setting("crisismerge") == 16
    assert not engine.backend().bulk_pending()
    bulk = index_snapshot()
    engine.clear()
    engine.index(list(LanguageVersion.objects.values_list("pk", flat=True)), fresh=True)
    assert index_snapshot() == bulk  # merged or not, the same words in the same versions
    assert engine.query("ministry").total > 0


def test_an_import_after_a_killed_bulk_import_merges_the_search_index(import_paths):
    if connection.vendor != "sqlite":
        pytest.skip("FTS5's merging is SQLite's")
    import_paths(SAMPLE, bulk=False)
    engine.begin_bulk()  # as a bulk import killed before its end leaves it
    assert engine.backend().bulk_pending()
    report = import_paths(SAMPLE, bulk=False)
    assert report.counts["added"] == 0  # nothing written, and still finished
    assert not engine.backend().bulk_pending() and fts_setting("automerge") == 4


def test_postgresql_builds_the_search_index_once_at_the_end_of_a_bulk_import(import_paths):
    from pressroom.releases.store import versions_changed

    if connection.vendor != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's")
    b = engine.backend()
    seen = []
    versions_changed.connect(lambda sender, **kw: seen.append(b.gin_present()), weak=False,
                             dispatch_uid="test.gin")
    try:
        report = import_paths(SAMPLE, bulk=True)
    finally:
        versions_changed.disconnect(dispatch_uid="test.gin")
    assert report.counts["added"] > 30 and not report.rejects
    assert seen and not any(seen) and b.gin_present()
    assert engine.query("ministry").total > 0 and not any(engine.drift().values())
    b.begin_bulk()  # as a bulk import killed before its end leaves it
    import_paths(SAMPLE, bulk=False)  # nothing new, and the index is back
    assert b.gin_present()


def test_a_small_import_is_not_a_bulk_import(import_paths):
    from pressroom.releases.store import bulk_import

    phases = []
    bulk_import.connect(lambda sender, phase, **kw: phases.append(phase), weak=False,
                        dispatch_uid="test.phases")
    try:
        import_paths(SAMPLE)
    finally:
        bulk_import.disconnect(dispatch_uid="test.phases")
    assert phases == ["end"]


def test_an_import_that_wrote_refreshes_the_search_statistics_once(import_paths, monkeypatch):
    calls = []
    monkeypatch.setattr(engine.backend(), "analyze", lambda: calls.append(1))
    import_paths(SAMPLE)
    assert calls == [1]
    import_paths(SAMPLE)  # everything unchanged: nothing common changed either
    assert calls == [1]


@pytest.mark.django_db(transaction=True)
def test_a_bulk_import_outside_a_transaction_builds_the_index_in_a_process_of_its_own(monkeypatch):
    """The real path (no test transaction around the import): the index is built by the
    system's SQLite in a subprocess, sorting on disk, and serves lookups afterwards."""
    import subprocess as sp

    from conftest import put_languages
    from pressroom.ingest.importer import Importer
    from pressroom.trust import neardup

    if connection.vendor != "sqlite":
        pytest.skip("the out-of-process build is SQLite's")
    put_languages()
    calls = []
    real_run = sp.run

    def run(cmd, *args, **kwargs):
        done = real_run(cmd, *args, **kwargs)
        calls.append((cmd, done.returncode, done.stderr))
        return done

    monkeypatch.setattr(sp, "run", run)
    report = Importer(bulk=True).run([SAMPLE])
    assert report.counts["added"] > 30 and not report.rejects
    built = [(rc, err) for cmd, rc, err in calls if "CREATE INDEX" in " ".join(map(str, cmd))]
    assert built and built[-1][0] == 0, calls  # by the subprocess, not the in-process fallback
    assert neardup.index_present()
    text = LanguageVersion.objects.order_by("pk").first()
    found = neardup.candidates(set(neardup.shingles_of(text.title, text.subtitles, text.body_text)))
    assert found and found[0][0] == text.pk
