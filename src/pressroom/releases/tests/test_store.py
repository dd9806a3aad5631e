"""The store itself: the one writer of the record, and the signal what follows it hears."""

import unicodedata
from datetime import datetime

import pytest
from django.db import transaction

from pressroom.releases import store
from pressroom.releases.models import Bureau, LanguageVersion, Ministry, Release, Revision
from pressroom.releases.pibtext import IST, ParsedRelease, ParsedVersion

POSTED = datetime(2018, 10, 4, 17, 19, tzinfo=IST)


def parsed(release_id=7100001, title="India and Kazakhstan agree", body="Defence ties grow.",
           languages=("English",), ministry="Ministry of Defence", posted=POSTED, visitors=0):
    return ParsedRelease(release_id=release_id, ministry=ministry, bureau="PIB Delhi",
                         posted_at=posted, versions=[
                             ParsedVersion(language=lang, title=title if i == 0 else f"{title} {lang}",
                                           paragraphs=[body], sign_off="SRR/DK", visitor_count=visitors)
                             for i, lang in enumerate(languages)])


def write(*releases):
    writer = store.RecordWriter()
    return writer.write([(p, writer.check(p)) for p in releases])


@pytest.fixture
def heard():
    """Every versions_changed the store sends: (reason, new, version ids, other details)."""
    calls = []

    def listen(sender, version_ids, reason, new=False, **details):
        details.pop("signal", None)
        calls.append((reason, new, sorted(version_ids), details))

    store.versions_changed.connect(listen, dispatch_uid="test_store")
    yield calls
    store.versions_changed.disconnect(dispatch_uid="test_store")


@pytest.fixture
def defence(languages):
    return (Ministry.objects.get_or_create(name="Ministry of Defence")[0],
            Bureau.objects.get_or_create(name="PIB Delhi")[0])


def test_a_new_release_is_added_whole(languages, heard):
    assert write(parsed(languages=("English", "Hindi"))) == [store.ADDED]
    release = Release.objects.get(pk=7100001)
    assert release.ministry.name == "Ministry of Defence" and release.bureau.name == "PIB Delhi"
    versions = {v.language_id: v for v in release.versions.all()}
    assert set(versions) == {"en", "hi"} and versions["en"].is_original
    assert versions["en"].body_html.strip() == "<p>Defence ties grow.</p>" and versions["en"].revision == 1
    assert heard == [(store.IMPORT, True, sorted(v.pk for v in versions.values()), {})]


def test_the_same_release_again_is_unchanged(languages, heard):
    write(parsed())
    heard.clear()
    assert write(parsed()) == [store.UNCHANGED]
    assert Revision.objects.count() == 0 and heard == []


def test_higher_visitor_counts_are_taken_without_a_revision(languages, heard):
    write(parsed(visitors=10))
    heard.clear()
    assert write(parsed(visitors=25)) == [store.UNCHANGED]
    assert LanguageVersion.objects.get().visitor_count == 25 and heard == []
    write(parsed(visitors=3))  # a lower count never takes counted views away
    assert LanguageVersion.objects.get().visitor_count == 25


def test_a_changed_release_keeps_the_old_text_as_a_revision(languages, heard):
    write(parsed())
    heard.clear()
    assert write(parsed(title="India and Kazakhstan agree to boost ties")) == [store.UPDATED]
    version = LanguageVersion.objects.get()
    assert version.revision == 2 and version.title.endswith("boost ties")
    old = version.revisions.get()
    assert old.number == 1 and old.reason == Revision.Reason.IMPORT
    assert old.content["title"] == "India and Kazakhstan agree"
    assert old.release_fields["ministry"] == "Ministry of Defence"
    assert heard == [(store.IMPORT, False, [version.pk], {})]


def test_a_new_ministry_or_time_is_a_change_of_every_version(languages):
    write(parsed(languages=("English", "Hindi")))
    assert write(parsed(languages=("English", "Hindi"), ministry="Ministry of External Affairs")) == [
        store.UPDATED]
    assert set(LanguageVersion.objects.values_list("revision", flat=True)) == {2}
    assert Release.objects.get().ministry.name == "Ministry of External Affairs"


def test_text_is_stored_in_nfc_and_exported_as_received(languages):
    decomposed = unicodedata.normalize("NFD", "Café in Kyiv, क़ानून")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    write(parsed(title=decomposed))
    version = LanguageVersion.objects.get()
    assert version.title == unicodedata.normalize("NFC", decomposed)
    assert version.as_received("title") == decomposed
    assert write(parsed(title=decomposed)) == [store.UNCHANGED]  # the same input, the same record


def test_a_bad_release_is_refused_before_the_database(languages):
    writer = store.RecordWriter()
    for bad, why in ((parsed(languages=("Klingon",)), "unknown language"),
                     (parsed(languages=("English", "English")), "two versions"),
                     (parsed(title="  "), "no title"),
                     (parsed(posted=datetime(2018, 10, 4, 17, 19)), "time zone")):
        with pytest.raises(store.RecordError, match=why):
            writer.check(bad)
    assert not Release.objects.exists()


def test_a_batch_is_all_or_nothing(languages):
    writer = store.RecordWriter()
    good = parsed()
    batch = [(good, writer.check(good)), (good, writer.check(good))]  # the same ID twice
    with pytest.raises(Exception):  # noqa: B017 - the database's own refusal
        writer.write(batch)
    assert not Release.objects.exists()


def test_publish_allocates_an_id_above_every_known_one(defence, heard):
    ministry, bureau = defence
    write(parsed(release_id=7100050))
    heard.clear()
    release = store.publish_release(ministry=ministry, bureau=bureau, language="en", posted_at=POSTED,
                                    fields=store.content_fields(title="  New   release ",
                                                                body_html="<p>Text</p>"))
    assert release.release_id == 7100051
    version = release.versions.get()
    assert version.title == "New release" and version.body_text == "Text" and version.is_original
    assert heard == [(store.PUBLISH, True, [version.pk], {})]


def test_a_correction_keeps_a_revision_with_its_public_note(languages, heard):
    write(parsed())
    version = LanguageVersion.objects.get()
    heard.clear()
    with pytest.raises(store.RecordError, match="change note"):
        store.correct_version(version, fields=store.content_fields(title="Fixed"), note=" ")
    corrected = store.correct_version(version, fields=store.content_fields(title="Fixed title"),
                                      note="Title corrected")
    assert corrected.revision == 2 and LanguageVersion.objects.get().title == "Fixed title"
    old = corrected.revisions.get()
    assert old.reason == Revision.Reason.CORRECTION and old.note == "Title corrected"
    assert corrected.updated_at == old.replaced_at
    assert heard == [(store.CORRECT, False, [version.pk], {})]


def test_a_translation_records_the_revision_it_translates(languages, heard):
    write(parsed())
    release = Release.objects.get()
    heard.clear()
    hindi = store.put_translation(release, language="hi", fields=store.content_fields(title="हिन्दी"))
    assert hindi.translates_revision == 1 and not hindi.is_original and hindi.revision == 1
    again = store.put_translation(release, language="hi",
                                  fields=store.content_fields(title="हिन्दी शीर्षक"))
    assert again.revision == 2 and again.revisions.get().note == "Translation updated"
    assert heard == [(store.TRANSLATE, False, [hindi.pk], {})] * 2
    with pytest.raises(store.RecordError, match="original language"):
        store.put_translation(release, language="en", fields=store.content_fields(title="x"))
    with pytest.raises(store.RecordError, match="unknown language"):
        store.put_translation(release, language="xx", fields=store.content_fields(title="x"))


def test_status_changes_say_which(languages, heard):
    write(parsed(languages=("English", "Hindi")))
    release = Release.objects.get()
    ids = sorted(release.versions.values_list("pk", flat=True))
    heard.clear()
    store.set_status(release, Release.Status.WITHDRAWN, " Issued in error. ")
    release.refresh_from_db()
    assert release.status == "withdrawn" and release.status_note == "Issued in error."
    store.set_status(release, Release.Status.PUBLISHED, "")
    assert heard == [(store.STATUS, False, ids, {"status": "withdrawn"}),
                     (store.STATUS, False, ids, {"status": "published"})]
    with pytest.raises(store.RecordError, match="unknown status"):
        store.set_status(release, "deleted", "")


@pytest.mark.django_db(transaction=True)
def test_the_signal_is_sent_inside_the_writing_transaction(languages):
    """What listens (the search index) writes in the record's transaction: if the listener
    fails, the record is not written either."""
    def fail(**kwargs):
        assert transaction.get_connection().in_atomic_block
        raise RuntimeError("the index could not be written")

    store.versions_changed.connect(fail, dispatch_uid="test_store_fail")
    try:
        with pytest.raises(RuntimeError):
            write(parsed())
    finally:
        store.versions_changed.disconnect(dispatch_uid="test_store_fail")
    assert not Release.objects.exists()
