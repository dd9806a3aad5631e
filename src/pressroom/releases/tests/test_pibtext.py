"""The PIB text format: parsing both layouts, tolerating real files, rejecting non-releases."""

import os
from datetime import datetime

import pytest

from pressroom.releases.pibtext import (
    IST,
    PibTextError,
    format_posted_on,
    parse_release_text,
    parse_translation_text,
    render_release_text,
    render_translation_text,
    split_body,
)

COMPACT = """Ministry of Health and Family Welfare
Manual on Home Made Masks to prevent COVID-19
Posted On: 04 APR 2020 12:53PM by PIB Delhi
First paragraph.
Second paragraph.
****
VRRK/MV
"""


def test_seed_fields(seed_bytes):
    r = parse_release_text(seed_bytes, "seed")
    v = r.versions[0]
    assert r.release_id == 1548606
    assert r.ministry == "Ministry of Defence"
    assert r.bureau == "PIB Delhi"
    assert r.posted_at == datetime(2018, 10, 4, 17, 19, tzinfo=IST)
    assert v.title.startswith("India and Kazakhstan agree to boost Defence")
    assert v.subtitles == []
    assert len(v.paragraphs) == 5
    assert v.sign_off == "SRR/Nampi/DK/Rajib"
    assert v.separator == ""
    assert v.visitor_count == 1100


def test_seed_renders_byte_for_byte(seed_bytes):
    assert render_release_text(parse_release_text(seed_bytes, "seed")).encode() == seed_bytes


def test_compact_layout():
    r = parse_release_text(COMPACT, "c.txt", release_id=1610960)
    v = r.versions[0]
    assert r.release_id == 1610960
    assert v.paragraphs == ["First paragraph.", "Second paragraph."]
    assert (v.separator, v.sign_off) == ("****", "VRRK/MV")
    assert v.visitor_count is None


def test_tolerates_bom_crlf_nbsp_indentation_and_trailing_blank_lines():
    messy = "\ufeff" + COMPACT.replace("\n", "\r\n").replace("First", "\u00a0  First") + "\r\n\r\n"
    clean = parse_release_text(COMPACT, "c", release_id=1)
    assert parse_release_text(messy.encode(), "m", release_id=1).versions == clean.versions


def test_subtitles_are_lines_between_title_and_posted_on():
    text = ("  Ministry of Finance\n\n  A title\n  First highlight\n  Second highlight\n"
            "  Posted On: 01 JAN 2021 12:05AM by PIB Mumbai\n\nBody.\n(Release ID: 42)")
    r = parse_release_text(text, "t")
    assert r.versions[0].subtitles == ["First highlight", "Second highlight"]
    assert r.posted_at == datetime(2021, 1, 1, 0, 5, tzinfo=IST)
    assert r.bureau == "PIB Mumbai" and r.release_id == 42


def test_trailer_without_visitor_counter():
    r = parse_release_text(COMPACT + "(Release ID: 99)\n", "t")
    assert r.release_id == 99 and r.versions[0].visitor_count is None


@pytest.mark.parametrize("text, line, expected", [
    ("Just some notes\nabout nothing\n", 1, "Posted On"),
    ("", 1, "empty file"),
    ("Ministry\nTitle\nPosted On: 31 FEB 2020 1:00PM by PIB Delhi\nBody\n(Release ID: 5)", 3,
     "impossible date"),
    ("Ministry\nTitle\nPosted On: yesterday by PIB Delhi\nBody\n(Release ID: 5)", 3,
     "expected 'Posted On: DD MON YYYY"),
    ("Title only\nPosted On: 01 JAN 2020 1:00PM by PIB Delhi\nBody\n(Release ID: 5)", 2,
     "ministry and the title"),
    (COMPACT, 8, "no Release ID"),
])
def test_not_a_release_names_file_line_and_expectation(text, line, expected):
    with pytest.raises(PibTextError) as e:
        parse_release_text(text, "bad.txt")
    assert e.value.source == "bad.txt"
    assert e.value.line == line
    assert expected in str(e.value)
    assert str(e.value).startswith(f"bad.txt:{line}: ")


def test_not_utf8_is_an_error_naming_the_file():
    with pytest.raises(PibTextError, match="bad.txt: not UTF-8"):
        parse_release_text(b"\xff\xfe\x00M", "bad.txt")


def test_translation_takes_title_body_signoff_and_own_id():
    v = parse_translation_text("शीर्षक\n\nपहला अनुच्छेद।\n*****\nवीआरआरके/केपी\n(Release ID: 777)\n",
                               "Hindi", 1598342, "Hindi.txt")
    assert v.title == "शीर्षक"
    assert v.paragraphs == ["पहला अनुच्छेद।"]
    assert v.sign_off == "वीआरआरके/केपी"
    assert v.pib_id == 777


def test_empty_translation_is_none():
    assert parse_translation_text("\n  \n", "Tamil", 1, "Tamil.txt") is None


def test_translation_round_trip_keeps_subtitles():
    v = parse_translation_text("Titre\nBody one\nBody two\n", "Hindi", 5)
    v.subtitles = ["a highlight"]
    again = parse_translation_text(render_translation_text(5, v), "Hindi", 5)
    assert again.subtitles == ["a highlight"]
    assert again.paragraphs == ["Body one", "Body two"]


def test_sign_off_without_separator_only_when_it_looks_like_initials():
    assert split_body(["Text.", "SBS/AC"]) == (["Text."], "", "SBS/AC")
    assert split_body(["Text.", "Delhi and/or Mumbai will host the event."])[2] == ""
    assert split_body(["***", "A", "***", "X/Y"]) == (["***", "A"], "***", "X/Y")


def test_format_posted_on_is_pib_style_in_ist():
    assert format_posted_on(datetime(2018, 10, 4, 11, 49, tzinfo=IST).astimezone(
        IST).replace(hour=17, minute=19)) == "04 OCT 2018 5:19PM"
    assert format_posted_on(datetime(2020, 1, 3, 0, 5, tzinfo=IST)) == "03 JAN 2020 12:05AM"


@pytest.mark.slow
def test_every_corpus_file_survives_render_and_reparse(shared_corpus):
    n = 0
    for d in sorted((shared_corpus / "pib-2020").iterdir()):
        rid = int(d.name)
        release = parse_release_text((d / "English.txt").read_bytes(), str(d), rid)
        again = parse_release_text(render_release_text(release), str(d), rid)
        release.versions[0].visitor_count = release.versions[0].visitor_count or 0
        assert again == release, d
        for f in d.iterdir():
            if f.name == "English.txt":
                continue
            v = parse_translation_text(f.read_bytes(), f.stem, rid, str(f))
            if v is None:
                continue
            v.visitor_count = v.visitor_count or 0
            assert parse_translation_text(render_translation_text(rid, v), f.stem, rid) == v, f
            n += 1
    assert n > 1000, os.fspath(shared_corpus)


def test_translated_posted_on_label_is_read():
    text = ("रक्षा मंत्रालय\nभारत और कजाकिस्तान\nप्रविष्टि तिथि: 04 OCT 2018 5:19PM by PIB Delhi\n"
            "पहला अनुच्छेद।\n(Release ID: 1548700)")
    r = parse_release_text(text, "hi.txt")
    assert r.ministry == "रक्षा मंत्रालय" and r.bureau == "PIB Delhi" and r.release_id == 1548700
