"""Import and export: idempotence, revisions, rejects, round trips, the shared corpus."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import SAMPLE, SEED
from pressroom.ingest import exporter
from pressroom.releases.models import LanguageVersion, Release, Revision

GOOD = """Ministry of Finance
Budget session begins
Posted On: 31 JAN 2020 11:00AM by PIB Delhi
The session began today.
***
AB/CD
(Release ID: 1600001) Visitor Counter : 12
"""


def export(fmt, *ids):
    out = io.StringIO()
    args = ["export", "--format", fmt]
    for i in ids:
        args += ["--release-id", str(i)]
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything the record says, as comparable data."""
    return [r for release in exporter.releases() for r in exporter.jsonl_records(release)]


def test_seed_round_trip_byte_for_byte(import_paths):
    report = import_paths(SEED)
    assert report.counts["added"] == 1
    assert export("pib-text", 1548606).encode() == SEED.read_bytes()


def test_second_import_changes_nothing(import_paths):
    import_paths(SAMPLE)
    before = snapshot()
    report = import_paths(SAMPLE)
    assert report.counts["added"] == report.counts["updated"] == 0
    assert report.counts["unchanged"] > 30
    assert snapshot() == before
    assert not Revision.objects.exists()


def test_changed_input_updates_and_keeps_a_revision(import_paths, tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(GOOD)
    import_paths(f)
    f.write_text(GOOD.replace("The session began today.", "The session began on Friday."))
    report = import_paths(f)
    assert report.counts["updated"] == 1
    v = LanguageVersion.objects.get(release_id=1600001)
    assert v.body_text == "The session began on Friday." and v.revision == 2
    old = v.revisions.get()
    assert old.content["body_text"] == "The session began today."
    assert old.reason == "import" and old.number == 1


def test_bad_files_rejected_with_reasons_good_ones_imported(tmp_path, capsys, db):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "notes.txt").write_text("Shopping list\nmilk\n")
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "noid.json").write_text(json.dumps({"title": "x"}))
    bundle = tmp_path / "1600002"
    bundle.mkdir()
    (bundle / "English.txt").write_text(GOOD.replace("(Release ID: 1600001) Visitor Counter : 12",
                                                     ""))
    (bundle / "Klingon.txt").write_text("Title\nBody\n")
    report_file = tmp_path / "rejects.csv"
    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(tmp_path), "--reject-report", str(report_file), "--quiet")
    assert exit_.value.code == 1
    out = capsys.readouterr()
    assert "added 1, updated 0, unchanged 0, rejected 4" in out.out
    rows = list(csv.DictReader(report_file.open()))
    reasons = {Path(r["source"]).name: r["reason"] for r in rows}
    assert "Posted On" in reasons["notes.txt"]
    assert rows[[Path(r["source"]).name for r in rows].index("notes.txt")]["line"] == "1"
    assert "not valid JSON" in reasons["broken.json"]
    assert "'prid'" in reasons["noid.json"]
    assert "unknown language 'Klingon'" in reasons["Klingon.txt"]
    assert list(Release.objects.values_list("release_id", flat=True)) == [1600001]


def test_exit_status_zero_when_nothing_rejected(tmp_path, db, capsys):
    (tmp_path / "good.txt").write_text(GOOD)
    call_command("import", str(tmp_path))  # would raise SystemExit(1) on a reject
    assert "added 1" in capsys.readouterr().out


def test_a_release_that_cannot_be_stored_does_not_take_its_batch_with_it(tmp_path, import_paths):
    # Two releases claiming the same version PIB ID: the database refuses the second.
    for rid in (1600010, 1600011):
        d = tmp_path / str(rid)
        d.mkdir()
        (d / "English.txt").write_text(GOOD.replace("(Release ID: 1600001) Visitor Counter : 12",
                                                    ""))
        (d / "Hindi.txt").write_text("शीर्षक\nपाठ\n(Release ID: 1700000)\n")
    (tmp_path / "good.txt").write_text(GOOD)
    report = import_paths(tmp_path)
    assert report.counts["added"] == 2 and report.counts["rejected"] == 1
    assert "could not be stored" in report.rejects[0].reason
    assert Release.objects.count() == 2


def test_jsonl_export_then_import_into_empty_database_gives_same_records(import_paths, tmp_path,
                                                                         django_db_blocker):
    import_paths(SAMPLE)
    before = snapshot()
    out = tmp_path / "all.jsonl"
    call_command("export", "--format", "jsonl", "--out", str(out))
    Release.objects.all().delete()
    report = import_paths(out)
    assert report.counts["rejected"] == 0
    assert snapshot() == before


def test_pib_text_bundles_export_then_import_gives_same_records(import_paths, tmp_path):
    import_paths(SAMPLE)
    before = snapshot()
    call_command("export", "--format", "pib-text", "--out", str(tmp_path / "b"))
    Release.objects.all().delete()
    report = import_paths(tmp_path / "b")
    assert report.counts["rejected"] == 0
    after = snapshot()
    for a, b in zip(before, after, strict=True):
        # body_html is made again from the text; everything else is kept.
        assert {k: v for k, v in a.items() if k != "body_html"} == {
            k: v for k, v in b.items() if k != "body_html"}


def test_jsonl_fields(import_paths):
    import_paths(SEED)
    record = json.loads(export("jsonl", 1548606))
    assert record["release_id"] == 1548606
    assert record["posted_at"] == "2018-10-04T17:19:00+05:30"
    assert record["ministry"] == "Ministry of Defence" and record["bureau"] == "PIB Delhi"
    assert record["sign_off"] == "SRR/Nampi/DK/Rajib" and record["visitor_count"] == 1100
    for key in ("title", "subtitles", "body_text", "body_html", "versions", "language"):
        assert key in record


def test_jsonl_bad_lines_name_line_and_field(tmp_path, import_paths):
    good = {"release_id": 5, "language": "en", "ministry": "M", "bureau": "PIB Delhi",
            "title": "T", "posted_at": "2020-01-01T10:00:00+05:30", "body_text": "x"}
    lines = [good, {**good, "release_id": 6, "posted_at": "soon"}, {**good, "release_id": 7,
                                                                    "title": ""}]
    f = tmp_path / "x.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n{oops\n")
    report = import_paths(f)
    assert report.counts["added"] == 1
    got = [(r.line, r.reason.split(":")[0]) for r in report.rejects]
    assert got == [(2, "field 'posted_at'"), (3, "field 'title'"), (4, "not valid JSON")]


def test_export_unknown_release_is_a_clear_error(db):
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="no release with Release ID 42"):
        export("pib-text", 42)


def test_html_in_input_is_sanitised(tmp_path, import_paths):
    record = {"release_id": 9, "language": "en", "ministry": "M", "bureau": "PIB Delhi",
              "title": "<script>alert(1)</script>", "posted_at": "2020-01-01T10:00:00+05:30",
              "body_text": "x", "body_html": '<p onclick="x()">ok<script>bad()</script>'
              '<a href="javascript:evil()">l</a><table><tr><td>1</td></tr></table></p>'}
    f = tmp_path / "x.jsonl"
    f.write_text(json.dumps(record))
    import_paths(f)
    v = LanguageVersion.objects.get()
    assert "script" not in v.body_html and "onclick" not in v.body_html
    assert "javascript" not in v.body_html and "<td>1</td>" in v.body_html


@pytest.mark.slow
def test_whole_shared_corpus_imports_with_zero_rejects(shared_corpus, import_paths):
    report = import_paths(shared_corpus / "pib-2020", shared_corpus / "pib-2026")
    assert report.counts["rejected"] == 0, report.rejects[:5]
    assert report.counts["added"] == 560
    assert LanguageVersion.objects.count() == 400 + 1335 - len(report.notices)
    assert len(report.notices) == 14  # translation files that are empty in the corpus


@pytest.mark.slow
def test_scraper_json_title_ministry_time_and_paragraphs_come_back(shared_corpus, import_paths):
    import_paths(shared_corpus / "pib-2026")
    exported = {r["release_id"]: r for release in exporter.releases()
                for r in exporter.jsonl_records(release)}
    for f in sorted((shared_corpus / "pib-2026").glob("*.json")):
        src = json.loads(f.read_text())
        got = exported[src["prid"]]
        assert got["title"] == src["title"]
        # A name is one line: the scraper's 'Ministry of Agriculture &\r\nFarmers Welfare'
        # is the ministry of that name with one space, not a second ministry.
        assert got["ministry"] == " ".join(src["ministry"]["name"].split())
        assert got["posted_at"][:19] == src["release_datetime"] and got["posted_at"].endswith(
            "+05:30")
        lines = [p.strip() for p in src["body_text"].split("\n") if p.strip()]
        tail = ([got["separator"]] if got["separator"] else []) + (
            got["sign_off"].split("\n") if got["sign_off"] else [])
        assert got["body_text"].split("\n") + tail == lines or (
            not got["body_text"] and tail == lines), f
        assert got["subtitles"] == [s.strip() for s in (src["subtitle"] or "").split("\n")
                                    if s.strip()]


@pytest.mark.slow
def test_bundle_from_corpus_shows_as_one_release_with_versions(shared_corpus, import_paths,
                                                               tmp_path):
    shutil.copytree(shared_corpus / "pib-2020" / "1598342", tmp_path / "1598342")
    import_paths(tmp_path)
    release = Release.objects.get(release_id=1598342)
    assert release.original_language_id == "en"
    codes = set(release.versions.values_list("language_id", flat=True))
    assert {"en", "hi", "ur", "ta", "pa", "as"} <= codes


def test_standalone_file_in_another_language_is_imported_as_that_language(tmp_path,
                                                                          import_paths):
    (tmp_path / "release.txt").write_text(
        "रक्षा मंत्रालय\nभारत और कजाकिस्तान रक्षा सहयोग बढ़ाने पर सहमत\n"
        "प्रविष्टि तिथि: 04 OCT 2018 5:19PM by PIB Delhi\nपहला अनुच्छेद।\n(Release ID: 1548700)\n")
    assert import_paths(tmp_path).counts["added"] == 1
    release = Release.objects.get(release_id=1548700)
    assert release.original_language_id == "hi"


def test_bundle_without_english_takes_the_file_with_the_header_as_original(tmp_path,
                                                                          import_paths):
    d = tmp_path / "1600100"
    d.mkdir()
    (d / "Hindi.txt").write_text("रक्षा मंत्रालय\nशीर्षक\nप्रविष्टि तिथि: 04 OCT 2018 5:19PM by PIB Delhi\n"
                                 "पहला अनुच्छेद।\n")
    (d / "Urdu.txt").write_text("عنوان\nپہلا پیراگراف\n")
    assert import_paths(tmp_path).counts["added"] == 1
    release = Release.objects.get(release_id=1600100)
    assert release.original_language_id == "hi"
    assert set(release.versions.values_list("language_id", flat=True)) == {"hi", "ur"}


def test_reading_in_a_second_process_gives_the_same_record_as_reading_here(import_paths):
    report = import_paths(SAMPLE, parallel=False)
    here = snapshot()
    Release.objects.all().delete()
    again = import_paths(SAMPLE, parallel=True)
    assert dict(again.counts) == dict(report.counts)
    assert len(again.notices) == len(report.notices)
    assert snapshot() == here


def test_text_is_stored_nfc_and_exported_as_received(tmp_path, import_paths):
    decomposed = "क\u093c\u0940 \u037e"  # क + nukta + vowel sign, and a Greek question mark
    record = {"prid": 1700001, "title": f"Title {decomposed}", "subtitle": None,
              "body_text": f"First {decomposed}\n***\nAB/CD", "pib_office": "PIB Delhi",
              "ministry": {"id": 1, "name": "Ministry of Culture"},
              "release_datetime": "2026-08-01T10:00:00"}
    f = tmp_path / "r.json"
    f.write_text(json.dumps(record, ensure_ascii=False))
    import_paths(f)
    v = LanguageVersion.objects.get(release_id=1700001)
    import unicodedata
    assert v.body_text == unicodedata.normalize("NFC", f"First {decomposed}") != f"First {decomposed}"
    exported = json.loads(export("jsonl", 1700001))
    assert exported["title"] == record["title"]
    assert exported["body_text"] == f"First {decomposed}"
    # And the export imports back to the same record.
    before = snapshot()
    out = tmp_path / "x.jsonl"
    out.write_text(export("jsonl"))
    Release.objects.all().delete()
    import_paths(out)
    assert snapshot() == before
