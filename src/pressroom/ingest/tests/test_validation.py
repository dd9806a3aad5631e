"""Every record checked field by field: a bad one is rejected with file, line and field,
and every good record of the same file is imported (issue 10, fault 1)."""

import csv
import json

import pytest
from django.core.management import call_command

from pressroom.ingest import schema
from pressroom.ingest.sources import Reject, _lines, read_jsonl
from pressroom.releases.limits import (
    BUREAU_NAME_MAX,
    MINISTRY_NAME_MAX,
    SEPARATOR_MAX,
    SIGN_OFF_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from pressroom.releases.models import Bureau, LanguageVersion, Ministry, Release

GOOD = {"release_id": 1, "language": "en", "ministry": "Ministry of Defence", "bureau": "PIB Delhi",
        "title": "A title", "posted_at": "2020-01-01T10:00:00+05:30", "body_text": "A paragraph.",
        "separator": "***", "sign_off": "AB/CD"}


def line(**changes) -> str:
    return json.dumps({**GOOD, **changes}, ensure_ascii=False)


def import_lines(import_paths, tmp_path, *lines, name="x.jsonl"):
    f = tmp_path / name
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return import_paths(f), f


def only_reject(report):
    assert len(report.rejects) == 1, report.rejects
    return report.rejects[0]


@pytest.mark.parametrize(("changes", "field", "says"), [
    ({"separator": 5}, "separator", "expected text, found 5"),
    ({"sign_off": ["x"]}, "sign_off", "expected text, found a list"),
    ({"title": 7}, "title", "expected text"),
    ({"ministry": {"name": "M"}}, "ministry", "expected text, found an object"),
    ({"subtitles": [1, 2]}, "subtitles[0]", "expected text"),
    ({"visitor_count": "12"}, "visitor_count", "expected a whole number"),
    ({"original": "yes"}, "original", "expected true or false"),
    ({"language": "xx"}, "language", "unknown language"),
    ({"body_html": 3}, "body_html", "expected text"),
])
def test_a_wrongly_typed_field_rejects_its_line_only(import_paths, tmp_path, changes, field, says):
    report, f = import_lines(import_paths, tmp_path, line(release_id=1), line(release_id=2, **changes),
                             line(release_id=3))
    reject = only_reject(report)
    assert (reject.source, reject.line) == (str(f), 2)
    assert reject.reason.startswith(f"field {field!r}: ") and says in reject.reason, reject.reason
    assert sorted(Release.objects.values_list("release_id", flat=True)) == [1, 3]


def test_deeply_nested_json_is_a_reject_not_a_crash(import_paths, tmp_path):
    report, f = import_lines(import_paths, tmp_path, line(release_id=1), "[" * 200000,
                             line(release_id=2, sign_off=[[[[["x"]]]]]),
                             json.dumps({**GOOD, "release_id": 3, "deep": [[[[[[[[1]]]]]]]]}))
    assert [(r.line, r.reason.split(":")[0]) for r in report.rejects] == [
        (2, "not valid JSON"), (3, "field 'sign_off'")]
    assert "nest" in report.rejects[0].reason or "recursion" in report.rejects[0].reason
    # An unknown field is ignored, however deep.
    assert sorted(Release.objects.values_list("release_id", flat=True)) == [1, 3]


def test_deeply_nested_scraper_json_is_a_reject(import_paths, tmp_path):
    (tmp_path / "deep.json").write_text("[" * 200000)
    (tmp_path / "good.json").write_text(json.dumps({
        "prid": 1700001, "title": "T", "subtitle": None, "body_text": "Text.",
        "ministry": {"id": 1, "name": "Ministry of Culture"}, "pib_office": "PIB Delhi",
        "release_datetime": "2026-08-01T10:00:00"}))
    report = import_paths(tmp_path)
    reject = only_reject(report)
    assert reject.source.endswith("deep.json") and "not valid JSON" in reject.reason
    assert Release.objects.filter(release_id=1700001).exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"posted_at": "0001-01-01T00:00:00+05:30"}, "posted_at"),
    ({"posted_at": "9999-12-31T23:59:59-12:00"}, "posted_at"),
    ({"posted_at": "1899-12-31T23:00:00"}, "posted_at"),
    ({"release_id": 10**30}, "release_id"),
    ({"release_id": 2**63}, "release_id"),
    ({"release_id": -5}, "release_id"),
    ({"pib_id": 10**20}, "pib_id"),
    ({"pib_id": 0}, "pib_id"),
    ({"visitor_count": -1}, "visitor_count"),
    ({"visitor_count": 10**19}, "visitor_count"),
])
def test_out_of_range_dates_and_ids_name_their_field(import_paths, tmp_path, changes, field):
    report, _ = import_lines(import_paths, tmp_path, line(release_id=1),
                             line(**{"release_id": 2, **changes}))
    reject = only_reject(report)
    assert reject.line == 2
    assert reject.reason.startswith(f"field {field!r}: out of range"), reject.reason
    assert list(Release.objects.values_list("release_id", flat=True)) == [1]


@pytest.mark.parametrize("value", [0, True, False, 1.0, "7", None])
def test_release_id_zero_true_and_other_non_ids_are_refused(import_paths, tmp_path, value):
    report, _ = import_lines(import_paths, tmp_path, line(release_id=value), line(release_id=9))
    assert only_reject(report).reason.startswith("field 'release_id': ")
    assert list(Release.objects.values_list("release_id", flat=True)) == [9]


@pytest.mark.parametrize("prid", [0, True, -1, 10**30, "0", "١٢٣"])
def test_scraper_prid_zero_true_and_out_of_range_are_refused(import_paths, tmp_path, prid):
    (tmp_path / "r.json").write_text(json.dumps({
        "prid": prid, "title": "T", "body_text": "x", "ministry": {"id": 1, "name": "M"},
        "release_datetime": "2026-08-01T10:00:00"}, ensure_ascii=False, indent=1))
    reject = only_reject(import_paths(tmp_path))
    assert reject.reason.startswith("field 'prid': ") and reject.line == 2  # the line of "prid"
    assert not Release.objects.exists()


def test_scraper_fields_are_checked_and_named_as_the_scraper_names_them(import_paths, tmp_path):
    base = {"prid": 1700001, "title": "T", "subtitle": None, "body_text": "x",
            "ministry": {"id": 1, "name": "Ministry of Culture"}, "pib_office": "PIB Delhi",
            "release_datetime": "2026-08-01T10:00:00"}
    records = [base, {**base, "prid": 1700002, "subtitle": ["x"]},
               {**base, "prid": 1700003, "ministry": {"id": "one", "name": "M"}},
               {**base, "prid": 1700004, "release_datetime": "0001-01-01T00:00:00"},
               {**base, "prid": 1700005, "body_text": "x\n" + "*" * 60 + "\nAB/CD"},
               {**base, "prid": 1700006, "pib_office": "PIB\u202e Delhi"}]
    (tmp_path / "list.json").write_text(json.dumps(records))
    report = import_paths(tmp_path)
    got = {r.source.rsplit("[", 1)[1]: r.reason.split(":")[0] for r in report.rejects}
    assert got == {"1]": "field 'subtitle'", "2]": "field 'ministry.id'",
                   "3]": "field 'release_datetime'", "4]": "field 'body_text (its *** line)'",
                   "5]": "field 'pib_office'"}
    assert list(Release.objects.values_list("release_id", flat=True)) == [1700001]


@pytest.mark.parametrize(("field", "limit"), [
    ("title", TITLE_MAX), ("ministry", MINISTRY_NAME_MAX), ("bureau", BUREAU_NAME_MAX),
    ("sign_off", SIGN_OFF_MAX), ("separator", SEPARATOR_MAX), ("body_text", TEXT_MAX),
    ("body_html", TEXT_MAX),
])
def test_oversized_fields_are_refused_at_the_newsrooms_limits(import_paths, tmp_path, field, limit):
    fill = "*" if field == "separator" else "x"
    report, _ = import_lines(import_paths, tmp_path, line(release_id=1, **{field: fill * limit}),
                             line(release_id=2, **{field: fill * (limit + 1)}))
    reject = only_reject(report)
    assert reject.line == 2
    assert reject.reason == (f"field {field!r}: too long: {limit + 1:,} characters, "
                             f"at most {limit:,}")
    assert list(Release.objects.values_list("release_id", flat=True)) == [1]


def test_the_limits_are_the_newsrooms_and_the_models_own():
    from pressroom.newsroom.forms import DraftForm
    from pressroom.newsroom.models import Draft

    assert DraftForm.base_fields["title"].max_length == TITLE_MAX
    assert DraftForm.base_fields["sign_off"].max_length == SIGN_OFF_MAX
    assert Draft._meta.get_field("sign_off").max_length == SIGN_OFF_MAX
    assert Ministry._meta.get_field("name").max_length == MINISTRY_NAME_MAX
    assert Bureau._meta.get_field("name").max_length == BUREAU_NAME_MAX
    assert LanguageVersion._meta.get_field("separator").max_length == SEPARATOR_MAX
    from django.conf import settings
    assert TEXT_MAX == settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_an_empty_jsonl_says_so(import_paths, tmp_path, content):
    f = tmp_path / "empty.jsonl"
    f.write_text(content)
    reject = only_reject(import_paths(f))
    assert reject.source == str(f) and reject.reason.startswith("empty file")


def test_an_empty_scraper_list_says_so(import_paths, tmp_path):
    (tmp_path / "none.json").write_text("[]")
    assert "no records" in only_reject(import_paths(tmp_path)).reason


@pytest.mark.parametrize(("field", "char"), [
    ("ministry", "\u202e"), ("ministry", "\x00"), ("ministry", "\u2066"), ("ministry", "\u200f"),
    ("ministry", "\u200e"), ("ministry", "\u200b"), ("bureau", "\u202d"), ("bureau", "\x00"),
    ("title", "\u202e"), ("title", "\x00"), ("title", "\u2067"), ("sign_off", "\u202b"),
    ("body_text", "\x00"),
])
def test_nul_and_bidi_controls_are_refused_never_a_look_alike(import_paths, tmp_path, field, char):
    value = {"ministry": "Ministry of Defence", "bureau": "PIB Delhi", "title": "A title",
             "sign_off": "AB/CD", "body_text": "A paragraph."}[field]
    spoof = value[:5] + char + value[5:]
    report, _ = import_lines(import_paths, tmp_path, line(release_id=1),
                             line(release_id=2, **{field: spoof}))
    reject = only_reject(report)
    assert reject.line == 2 and reject.reason.startswith(f"field {field!r}: contains U+")
    assert f"U+{ord(char):04X}" in reject.reason and char not in str(reject)
    assert list(Ministry.objects.values_list("name", flat=True)) == ["Ministry of Defence"]
    assert list(Bureau.objects.values_list("name", flat=True)) == ["PIB Delhi"]
    assert list(Release.objects.values_list("release_id", flat=True)) == [1]


def test_direction_marks_stay_in_right_to_left_titles(import_paths, tmp_path):
    # RLM/LRM are what Urdu text uses to place numbers and Latin words; only names refuse them.
    report, _ = import_lines(import_paths, tmp_path, line(release_id=1, language="ur",
                                                          title="وزیر اعظم \u200f2026\u200f"))
    assert not report.rejects
    assert LanguageVersion.objects.get().title == "وزیر اعظم \u200f2026\u200f"


def test_spacing_does_not_make_a_second_ministry(import_paths, tmp_path):
    import_lines(import_paths, tmp_path, line(release_id=1),
                 line(release_id=2, ministry="Ministry  of\u00a0Defence "),
                 line(release_id=3, ministry="Ministry of\r\nDefence"))
    assert list(Ministry.objects.values_list("name", flat=True)) == ["Ministry of Defence"]
    assert Release.objects.count() == 3


def test_deeply_nested_body_html_is_refused_quickly(import_paths, tmp_path):
    report, _ = import_lines(import_paths, tmp_path, line(release_id=1, body_html="<div>" * 200000),
                             line(release_id=2, body_html="<div><p>fine</p></div>"))
    reject = only_reject(report)
    assert reject.reason == f"field 'body_html': HTML nested more than {schema.HTML_DEPTH_MAX} deep"
    assert list(Release.objects.values_list("release_id", flat=True)) == [2]


def test_html_depth_counts_nesting_not_length():
    assert schema.html_depth("<p>a</p>" * 10000) == 1
    assert schema.html_depth("<ul>" + "<li>x" * 5000 + "</ul>") == 2
    assert schema.html_depth("<table><tr><td>1<td>2<tr><td>3</table>") == 3
    assert schema.html_depth("<div>" * 50) == 50
    assert schema.html_depth("<div>" * 10**6) == schema.HTML_DEPTH_MAX + 1


def test_a_translation_whose_original_was_rejected_is_not_imported_alone(import_paths, tmp_path):
    report, f = import_lines(import_paths, tmp_path, line(release_id=1, separator=5),
                             line(release_id=1, language="hi", original=False, title="शीर्षक"),
                             line(release_id=2))
    assert [(r.line, r.reason.split(",")[0]) for r in report.rejects] == [
        (1, "field 'separator': expected text"), (2, "release 1: not imported")]
    assert list(Release.objects.values_list("release_id", flat=True)) == [2]


def test_a_line_too_long_is_skipped_without_holding_it(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_bytes(b"a" * 100 + b"\n" + b"b" * 1000 + b"\n" + b"c" * 10 + b"\n")
    with f.open("rb") as fh:
        got = [(n, raw) for n, raw in _lines(fh, limit=200)]
    assert got == [(1, b"a" * 100 + b"\n"), (2, None), (3, b"c" * 10 + b"\n")]


def test_many_good_lines_with_bad_ones_between_all_good_ones_land(tmp_path, db, languages,
                                                                   capsys):
    bad = [line(separator=5), "[" * 200000, line(sign_off=["x"]), line(release_id=0),
           line(release_id=True), line(posted_at="0001-01-01T00:00:00+05:30"),
           line(ministry="Ministry of Def\u202eecnef"), line(title="x" * (TITLE_MAX + 1)),
           "{oops", line(ministry="Ministry of Defence\x00"), "", line(release_id=10**30)]
    lines, good_ids, bad_lines = [], [], []
    for i in range(600):
        lines.append(line(release_id=1000 + i, title=f"Release {i}"))
        good_ids.append(1000 + i)
        if i % 50 == 7:
            lines.append(bad[(i // 50) % len(bad)])
            if lines[-1]:
                bad_lines.append(len(lines))
    f = tmp_path / "mixed.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report_file = tmp_path / "rejects.csv"
    with pytest.raises(SystemExit):
        call_command("import", str(f), "--reject-report", str(report_file), "--quiet",
                     "--batch-size", "100")
    assert f"added 600, updated 0, unchanged 0, rejected {len(bad_lines)}" in capsys.readouterr().out
    assert sorted(Release.objects.values_list("release_id", flat=True)) == good_ids
    rows = list(csv.DictReader(report_file.open(encoding="utf-8")))
    assert [int(r["line"]) for r in rows] == bad_lines
    assert all(r["source"] == str(f) for r in rows)
    named = [r["reason"] for r in rows if not r["reason"].startswith("not valid JSON")]
    assert named and all(r.startswith("field '") for r in named), named
    assert not any(c in "".join(r["reason"] for r in rows) for c in "\x00\u202e")


def test_jsonl_read_alone_keeps_going_after_a_bad_line(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text("\n".join([line(release_id=1), line(release_id=2, separator=5),
                            line(release_id=3)]))
    got = list(read_jsonl(f))
    assert sorted(x.release_id for x in got if not isinstance(x, Reject)) == [1, 3]
    assert [x.line for x in got if isinstance(x, Reject)] == [2]


# --- The same rules for PIB plain text and bundles -----------------------------------------

TEXT = """Ministry of Finance
Budget session begins
Posted On: 31 JAN 2020 11:00AM by PIB Delhi
The session began today.
***
AB/CD
(Release ID: {rid}) Visitor Counter : 12
"""


@pytest.mark.parametrize(("old", "new", "field", "lineno"), [
    ("Ministry of Finance", "Ministry of Fin\u202eecnan", "ministry", 1),
    ("Ministry of Finance", "Ministry\x00 of Finance", "ministry", 1),
    ("Budget session begins", "Budget \u2066session begins", "title", 2),
    ("by PIB Delhi", "by PIB\u200f Delhi", "bureau (Posted On)", 3),
    ("The session began today.", "The session\x00 began today.", "body", 4),
    ("31 JAN 2020", "31 JAN 0001", "Posted On", 3),
    ("Visitor Counter : 12", "Visitor Counter : 99999999999999999999", "Visitor Counter", 7),
    ("Budget session begins", "B" * (TITLE_MAX + 1), "title", 2),
])
def test_pib_text_follows_the_same_rules(import_paths, tmp_path, old, new, field, lineno):
    (tmp_path / "good.txt").write_text(TEXT.format(rid=1600001))
    (tmp_path / "bad.txt").write_text(TEXT.format(rid=1600002).replace(old, new))
    reject = only_reject(import_paths(tmp_path))
    assert reject.source.endswith("bad.txt") and reject.line == lineno
    assert reject.reason.startswith(f"field {field!r}: "), reject.reason
    assert list(Release.objects.values_list("release_id", flat=True)) == [1600001]
    assert Ministry.objects.count() == 1


def test_pib_text_release_id_out_of_range(import_paths, tmp_path):
    (tmp_path / "bad.txt").write_text(TEXT.format(rid=10**30))
    reject = only_reject(import_paths(tmp_path))
    assert reject.reason.startswith("field 'Release ID': out of range") and reject.line == 7


def test_a_bundle_translation_with_a_bidi_title_names_its_file_and_line(import_paths, tmp_path):
    d = tmp_path / "1600003"
    d.mkdir()
    (d / "English.txt").write_text(TEXT.format(rid=1600003))
    (d / "Hindi.txt").write_text("बजट सत्र\u202e शुरू\nसत्र आज शुरू हुआ।\n")
    (tmp_path / "good.txt").write_text(TEXT.format(rid=1600001))
    reject = only_reject(import_paths(tmp_path))
    assert reject.source == str(d / "Hindi.txt") and reject.line == 1
    assert reject.reason.startswith("field 'title': contains U+202E")
    assert list(Release.objects.values_list("release_id", flat=True)) == [1600001]
