"""Photos and documents through export and import: JSONL with a folder of files, bundles
with attachments/, and bad files rejected by name without costing the other releases."""

import json

from django.core.management import call_command

from conftest import SAMPLE
from pressroom.releases import store
from pressroom.releases.models import LanguageVersion, Photo, Release, StoredFile
from pressroom.releases.tests import mediasamples as samples

SAMPLE_ID = 1610907


def add_media():
    english = LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="en")
    hindi = LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="hi")
    photo = store.store_file(samples.jpeg(640, 480, gps=True), "meeting.jpg")
    doc = store.store_file(samples.pdf(2), "order.pdf")
    store.set_media(english, photos=[store.PhotoSpec(photo, "Officials meet", "The meeting", "PIB")],
                    attachments=[store.AttachmentSpec(doc, "Gazette notification", "en")],
                    revise=False)
    store.set_media(hindi, photos=[store.PhotoSpec(photo, "अधिकारी मिलते हैं", "बैठक")],
                    attachments=[], revise=False)
    return photo, doc


def media_state():
    return sorted((p.version.language_id, p.file.sha256, p.caption, p.alt_text)
                  for p in Photo.objects.select_related("version", "file")), sorted(
        (a.version.language_id, a.file.sha256, a.title, a.file.page_count)
        for a in LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="en")
        .attachments.select_related("file"))


def wipe():
    Release.objects.all().delete()
    StoredFile.objects.all().delete()


def test_jsonl_round_trip_carries_photos_and_documents(import_paths, tmp_path):
    import_paths(SAMPLE)
    photo, doc = add_media()
    before = media_state()
    out = tmp_path / "archive.jsonl"
    call_command("export", "--format", "jsonl", "--out", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    english = next(r for r in lines if r["release_id"] == SAMPLE_ID and r["language"] == "en")
    assert english["photos"][0]["sha256"] == photo.sha256
    assert (tmp_path / english["photos"][0]["file"]).read_bytes() == samples.jpeg(640, 480, gps=True)
    assert english["attachments"][0]["title"] == "Gazette notification"
    assert "photos" not in next(r for r in lines if r["release_id"] != SAMPLE_ID)

    wipe()
    report = import_paths(out)
    assert report.counts["rejected"] == 0, report.rejects
    assert media_state() == before
    assert import_paths(out).counts["unchanged"] == report.counts["added"]  # again: no change


def test_bundle_round_trip_with_attachments_folder(import_paths, tmp_path):
    import_paths(SAMPLE)
    add_media()
    before = media_state()
    call_command("export", "--format", "pib-text", "--out", str(tmp_path / "bundles"))
    bundle = tmp_path / "bundles" / str(SAMPLE_ID)
    manifest = json.loads((bundle / "attachments" / "media.json").read_text(encoding="utf-8"))
    assert set(manifest) == {"English", "Hindi"}
    wipe()
    report = import_paths(bundle)
    assert report.counts["rejected"] == 0, report.rejects
    assert media_state() == before


def test_a_bundle_of_documents_without_manifest(import_paths, tmp_path):
    import shutil

    bundle = tmp_path / str(SAMPLE_ID)
    shutil.copytree(SAMPLE / "pib-2020" / str(SAMPLE_ID), bundle)
    (bundle / "attachments").mkdir()
    (bundle / "attachments" / "Gazette_order.pdf").write_bytes(samples.pdf(1))
    report = import_paths(bundle)
    assert report.counts["rejected"] == 0, report.rejects
    english = LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="en")
    assert [a.title for a in english.attachments.all()] == ["Gazette order"]


def test_bad_files_reject_their_release_only_and_say_which(import_paths, tmp_path):
    import shutil

    bad = tmp_path / "in" / str(SAMPLE_ID)
    shutil.copytree(SAMPLE / "pib-2020" / str(SAMPLE_ID), bad)
    (bad / "attachments").mkdir()
    (bad / "attachments" / "gazette.pdf").write_bytes(samples.HTML_AS_PDF)
    shutil.copy(SAMPLE / "seed" / "000_01f5e1dc6ab042ee.txt", tmp_path / "in" / "seed.txt")
    report = import_paths(tmp_path / "in")
    assert report.counts["added"] == 1 and report.counts["rejected"] == 1
    assert "gazette.pdf" in str(report.rejects[0]) and "web page" in str(report.rejects[0])

    lines = tmp_path / "x.jsonl"
    record = {"release_id": 5, "language": "en", "ministry": "M", "bureau": "PIB Delhi",
              "posted_at": "2020-01-01T10:00:00+05:30", "title": "T",
              "photos": [{"file": "media/nothing.jpg", "alt_text": "x"}]}
    ok = dict(record, release_id=6)
    ok.pop("photos")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "p.jpg").write_bytes(samples.jpeg(100, 80))
    no_alt = dict(record, release_id=7, photos=[{"file": "media/p.jpg"}])
    wrong_hash = dict(record, release_id=8, photos=[{"file": "media/p.jpg", "alt_text": "x",
                                                    "sha256": "0" * 64}])
    lines.write_text("\n".join(json.dumps(r) for r in (record, ok, no_alt, wrong_hash)) + "\n")
    report = import_paths(lines)
    messages = " | ".join(str(r) for r in report.rejects)
    assert report.counts["added"] == 1 and report.counts["rejected"] == 3
    assert "media/nothing.jpg" in messages and "not found" in messages
    assert "'alt_text' is required" in messages and "sha256" in messages
    assert ":1:" in messages or "line 1" in messages or "x.jsonl" in messages
