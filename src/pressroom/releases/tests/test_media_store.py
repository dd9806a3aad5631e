"""Photos and documents in the record: stored once by hash, ordered, in the history."""

import pytest
from django.core.files.storage import default_storage, storages

from conftest import SEED
from pressroom.releases import store
from pressroom.releases.mediafiles import MediaError
from pressroom.releases.models import LanguageVersion, Photo, Revision, StoredFile

from . import mediasamples as samples


@pytest.fixture
def version(import_paths):
    import_paths(SEED)
    return LanguageVersion.objects.get(release_id=1548606, language_id="en")


def test_a_file_is_stored_once_by_its_hash(db):
    data = samples.jpeg(900, 600, gps=True)
    first = store.store_file(data, "a.jpg")
    again = store.store_file(data, "copy-of-a.jpg")
    assert first.pk == again.pk and StoredFile.objects.count() == 1
    assert first.width == 900 and first.kind == "image" and first.taken_at is not None
    # The original (with GPS) only in private storage; readers' copies in the public one.
    assert storages["originals"].exists(first.original_name_in_storage)
    assert not default_storage.exists(first.original_name_in_storage)
    for v in first.variants:
        assert default_storage.exists(v["name"])
        with default_storage.open(v["name"]) as f:
            assert b"GPS" not in f.read()


def test_hostile_files_are_never_stored(db):
    for data, name in ((samples.HTML_AS_PDF, "g.pdf"), (samples.SVG_WITH_SCRIPT, "l.svg"),
                       (samples.bomb_png(20000), "b.png")):
        with pytest.raises(MediaError):
            store.store_file(data, name)
    assert not StoredFile.objects.exists()


def test_file_size_limit(db, settings):
    settings.PRESSROOM = {**settings.PRESSROOM, "MEDIA_MAX_FILE_MB": 1}
    with pytest.raises(MediaError, match="at most 1 MB"):
        store.store_file(b"%PDF-" + b"0" * (2 * 1024 * 1024), "huge.pdf")


def test_photos_in_order_with_their_hashes_in_the_history(version):
    calls = []
    store.versions_changed.connect(lambda **kw: calls.append(kw), weak=False,
                                   dispatch_uid="test-media")
    try:
        a = store.store_file(samples.jpeg(640, 480, color=(1, 2, 3)), "a.jpg")
        b = store.store_file(samples.jpeg(640, 480, color=(200, 2, 3)), "b.jpg")
        doc = store.store_file(samples.pdf(2), "notification.pdf")
        store.attach_photo(version, store.PhotoSpec(a, "Ministers meeting", "The meeting"),
                           note="Photo added")
        store.attach_photo(version, store.PhotoSpec(b, "Signing", credit="PIB"))
        store.attach_document(version, store.AttachmentSpec(doc, "Joint statement", "en"))
        store.reorder_media(version, "photos", [1, 0])
    finally:
        store.versions_changed.disconnect(dispatch_uid="test-media")
    version.refresh_from_db()
    assert [p.file_id for p in version.photos.all()] == [b.pk, a.pk]
    assert version.revision == 5  # each change kept the one before
    assert [c["reason"] for c in calls] == [store.MEDIA] * 4
    latest = version.revisions.first()
    assert latest.reason == Revision.Reason.MEDIA
    assert [p["sha256"] for p in latest.media["photos"]] == [a.sha256, b.sha256]
    assert latest.media["attachments"][0]["sha256"] == doc.sha256
    assert store.media_manifest(version)["photos"][0]["sha256"] == b.sha256
    assert doc.page_count == 2


def test_unchanged_media_is_not_a_revision(version):
    a = store.store_file(samples.jpeg(320, 200), "a.jpg")
    store.attach_photo(version, store.PhotoSpec(a, "x"))
    version.refresh_from_db()
    revision = version.revision
    photos, attachments = store._specs(version)
    store.set_media(version, photos=photos, attachments=attachments)
    version.refresh_from_db()
    assert version.revision == revision


def test_photos_need_alt_text_and_kinds_must_fit(version):
    a = store.store_file(samples.jpeg(320, 200), "a.jpg")
    doc = store.store_file(samples.docx(), "s.docx")
    with pytest.raises(store.RecordError, match="alt text"):
        store.attach_photo(version, store.PhotoSpec(a, "  "))
    with pytest.raises(store.RecordError, match="not a photo"):
        store.attach_photo(version, store.PhotoSpec(doc, "a document"))
    with pytest.raises(store.RecordError, match="not a document"):
        store.attach_document(version, store.AttachmentSpec(a, "a photo"))
    assert not Photo.objects.exists()


def test_release_size_limit(version, settings):
    a = store.store_file(samples.jpeg(900, 600), "a.jpg")
    settings.PRESSROOM = {**settings.PRESSROOM, "MEDIA_MAX_RELEASE_MB": 0}
    with pytest.raises(store.RecordError, match="limit per release"):
        store.attach_photo(version, store.PhotoSpec(a, "x"))


def test_a_correction_keeps_the_media_it_had(version):
    a = store.store_file(samples.jpeg(320, 200), "a.jpg")
    store.attach_photo(version, store.PhotoSpec(a, "x"))
    fields = store.content_fields(title="Corrected title", body_html="<p>New</p>")
    store.correct_version(version, fields=fields, note="Title fixed")
    assert version.revisions.first().media["photos"][0]["sha256"] == a.sha256
