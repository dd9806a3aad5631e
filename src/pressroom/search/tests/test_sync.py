"""The index kept in step with every way the record changes, on the configured database
(SQLite by default; test_postgres.py runs this module again on PostgreSQL)."""

import random
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from pressroom.releases.models import LanguageVersion, Release
from pressroom.releases.pibtext import IST
from pressroom.search import engine
from pressroom.search.models import SearchEntry

from .records import make_release


def ids_for(q):
    return {(h.version.release_id, h.version.language_id) for h in engine.query(q).hits}


def in_step():
    return not any(engine.drift().values())


def test_import_correct_and_reimport_keep_the_index_in_step(db):
    make_release(languages=("English", "Hindi"), pib_ids={"Hindi": 7000009})
    assert ids_for("kazakhstan") == {(7000001, "en"), (7000001, "hi")}
    assert ids_for("7000009") == {(7000001, "hi")}  # a translation's own PIB ID
    make_release(title="Uzbekistan and India agree")  # a correction, re-imported
    assert (7000001, "en") not in ids_for("kazakhstan")
    assert (7000001, "en") in ids_for("uzbekistan")
    assert in_step()


def test_filter_tags_are_not_words(db):
    make_release(languages=("English", "Hindi"))
    entry = SearchEntry.objects.first()
    assert ids_for(f"m{entry.ministry_id}") == set()
    assert ids_for("len") == set() and ids_for("lhi") == set()


def test_moving_a_release_in_time_or_ministry_reindexes_it(db):
    make_release()
    make_release(posted=datetime(2019, 1, 1, 10, 0, tzinfo=IST), ministry="Ministry of Culture")
    r = engine.query("kazakhstan")
    assert [f.value for f in r.facets["year"]] == ["2019"]
    assert [f.value for f in r.facets["ministry"]] == ["ministry-of-culture"]
    assert in_step()


def test_removed_is_not_found_withdrawn_is(db):
    make_release()
    release = Release.objects.get(pk=7000001)
    release.status = Release.Status.WITHDRAWN
    release.save()
    assert ids_for("kazakhstan") == {(7000001, "en")}
    release.status = Release.Status.REMOVED
    release.save()
    assert ids_for("kazakhstan") == set()
    assert ids_for("7000001") == set()
    assert in_step()
    release.status = Release.Status.PUBLISHED
    release.save()
    assert ids_for("kazakhstan") == {(7000001, "en")}
    assert in_step()


def test_deletes_leave_the_index(db):
    make_release(languages=("English", "Hindi"))
    LanguageVersion.objects.get(release_id=7000001, language_id="hi").delete()
    assert ids_for("kazakhstan") == {(7000001, "en")}
    Release.objects.get(pk=7000001).delete()
    assert ids_for("kazakhstan") == set()
    assert SearchEntry.objects.count() == 0
    assert in_step()


def test_a_rolled_back_write_leaves_no_trace(db):
    make_release()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_release(title="Mongolia and India agree")
        assert ids_for("mongolia")  # visible inside the transaction
        raise RuntimeError("the publish failed after writing")
    assert ids_for("mongolia") == set()
    assert ids_for("kazakhstan") == {(7000001, "en")}
    assert in_step()


def test_never_drifts_through_a_seeded_mix_of_changes(db):
    rnd = random.Random(3)
    for step in range(60):
        rid = 7100000 + rnd.randrange(8)
        action = rnd.choice(["write", "write", "status", "delete_version", "delete"])
        if action == "write":
            make_release(rid, title=f"word{rnd.randrange(5)} title", languages=rnd.choice(
                [("English",), ("English", "Urdu"), ("Hindi", "English")]),
                posted=datetime(2020, 1, 1, tzinfo=IST) + timedelta(days=rnd.randrange(900)))
        elif not Release.objects.filter(pk=rid).exists():
            continue
        elif action == "status":
            r = Release.objects.get(pk=rid)
            r.status = rnd.choice(list(Release.Status))
            r.save()
        elif action == "delete_version":
            v = LanguageVersion.objects.filter(release_id=rid, is_original=False).first()
            if v:
                v.delete()
        else:
            Release.objects.get(pk=rid).delete()
        assert in_step(), (step, action, engine.drift())


def test_mantri_and_mitra_in_a_release_of_their_own(db):
    make_release(7000002, title="मित्र देशों की बैठक", body="मित्र", languages=("Hindi",))
    make_release(7000003, title="गृह मंत्री ने कहा", body="मंत्री", languages=("Hindi",))
    assert ids_for("मंत्री") == {(7000003, "hi")}
    assert ids_for("मित्र") == {(7000002, "hi")}


def test_reindex_rebuilds_from_the_record(db):
    make_release()
    SearchEntry.objects.all().delete()  # an index damaged behind the record's back
    assert not in_step()
    call_command("reindex", "--quiet")
    assert in_step()
    assert ids_for("kazakhstan") == {(7000001, "en")}


def test_statistics_name_common_words_and_counts_stay_right(db, monkeypatch):
    from pressroom.search import sqlite_backend
    for i in range(3):
        make_release(7200000 + i, title=f"common words {i}", body="rare" if i == 0 else "plain")
    if connection.vendor != "sqlite":
        call_command("reindex", "--stats")  # ANALYZE runs; nothing else to check
        return
    monkeypatch.setattr(sqlite_backend, "COMMON_DOC_COUNT", 2)
    call_command("reindex", "--stats")
    with connection.cursor() as c:
        c.execute("SELECT term, doc FROM search_termstats ORDER BY term")
        stats = dict(c.fetchall())
    assert stats["common"] == 3 and "rare" not in stats
    assert sqlite_backend.document_frequencies(["common", "rare", "absent"]) == {
        "common": 3, "rare": 1, "absent": 0}


def test_very_common_words_rank_title_matches_first_then_newest(db, monkeypatch):
    from pressroom.search import sqlite_backend
    make_release(7300001, title="Budget speech", body="budget figures",
                 posted=datetime(2020, 1, 1, tzinfo=IST))
    make_release(7300002, title="Rail news", body="budget for rail",
                 posted=datetime(2021, 1, 1, tzinfo=IST))
    make_release(7300003, title="Budget session ends", body="and more",
                 posted=datetime(2019, 1, 1, tzinfo=IST))
    if connection.vendor == "sqlite":  # every word counts as very common
        monkeypatch.setattr(sqlite_backend, "BM25_MAX_MATCHES", 0)
    r = engine.query("budget")
    assert [h.version.release_id for h in r.hits][:2] in ([7300001, 7300003], [7300003, 7300001])
    if connection.vendor == "sqlite":
        assert r.plan == "join+title"
        assert [h.version.release_id for h in r.hits] == [7300001, 7300003, 7300002]
