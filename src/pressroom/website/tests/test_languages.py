"""Every script rendered right: lang/dir on each version, fonts served by the site, NFC."""

import json
import re
import unicodedata
from pathlib import Path

import pytest

from pressroom.releases.languages import LANGUAGES
from pressroom.releases.models import LanguageVersion, Ministry

STATIC = Path(__file__).resolve().parents[1] / "static" / "website"
# A real bundle of the sample archive with fourteen language versions.
BUNDLE = 1611208


@pytest.mark.parametrize("code,direction", [("hi", "ltr"), ("ur", "rtl"), ("ta", "ltr"),
                                            ("bn", "ltr"), ("ml", "ltr")])
def test_each_version_carries_its_lang_and_dir(reader, sample_archive, code, direction):
    version = LanguageVersion.objects.get(release_id=BUNDLE, language_id=code)
    html = reader.get(f"/release/{BUNDLE}/{code}/").content.decode()
    assert f'<article class="release" lang="{code}" dir="{direction}">' in html
    article = html[html.index("<article"):html.index("</article>")]
    assert f">{version.title}</h1>" in article
    # The page around it stays in the interface language.
    assert re.search(r'<html lang="en" dir="ltr">', html)
    # The switcher names every language in its own script, marked with its lang.
    for native, lang in (("हिन्दी", "hi"), ("اردو", "ur"), ("தமிழ்", "ta"), ("বাংলা", "bn"),
                         ("മലയാളം", "ml")):
        assert re.search(rf'lang="{lang}"[^>]*>{native}<', html)


def test_listing_titles_carry_lang_and_dir(reader, sample_archive):
    html = reader.get("/releases/?lang=ur").content.decode()
    titles = re.findall(r'<h3 class="release-item__title"><a [^>]*lang="(\w+)" dir="(\w+)"', html)
    assert titles and all(t == ("ur", "rtl") for t in titles)


def test_listing_names_ministry_and_bureau_in_each_versions_language(
        reader, sample_archive, django_assert_max_num_queries):
    """A Hindi listing shows each release's ministry and bureau in Hindi where the record
    knows the name (marked lang="hi"), English otherwise (lang="en"); the names cost two
    queries, not two per release."""
    with django_assert_max_num_queries(12):  # 48 when each release asked for its names
        html = reader.get("/releases/?lang=hi").content.decode()
    ministries = re.findall(r'<p class="release-item__ministry" lang="(\w+)">([^<]+)</p>', html)
    assert len(ministries) >= 5
    for lang, name in ministries:
        assert lang in ("hi", "en")
        assert (lang == "hi") == any("\u0900" <= ch <= "\u097f" for ch in name), name
    assert any(lang == "hi" for lang, _ in ministries)
    bureaus = re.findall(r'</time> · <span lang="(\w+)">([^<]+)</span>', html)
    assert len(bureaus) == len(ministries)
    for lang, name in bureaus:
        assert (lang == "hi") == any("\u0900" <= ch <= "\u097f" for ch in name), name


def _font_faces():
    css = (STATIC / "fonts" / "fonts.css").read_text()
    return re.findall(r'font-family: "([^"]+)";.*?src: url\("([^"]+)"\).*?unicode-range: ([^;]+);',
                      css, re.S)


def test_fonts_are_served_by_the_site_itself():
    faces = _font_faces()
    assert len(faces) >= 20
    for _family, url, urange in faces:
        assert not re.match(r"\w+:", url), f"{url} is not on this site"
        assert (STATIC / "fonts" / url).read_bytes()[:4] == b"wOF2"
        assert urange.startswith("U+")
    for css in ("site.css", "fonts/fonts.css"):
        text = (STATIC / css).read_text()
        assert "://" not in text and "@import" not in text
    total = sum(f.stat().st_size for f in (STATIC / "fonts").glob("*.woff2"))
    assert total < 6_000_000
    assert "Open Font License" in (STATIC / "fonts" / "NOTICE").read_text()


def test_every_language_has_a_font_for_its_script():
    """site.css picks a family per language; fonts.css defines it with a unicode-range."""
    site = (STATIC / "site.css").read_text()
    families = {family for family, _, _ in _font_faces()}
    rules = dict(re.findall(r"((?::lang\(\w+\),?\s*)+)\{ font-family: \"([^\"]+)\"", site))
    by_lang = {}
    for selectors, family in rules.items():
        for code in re.findall(r":lang\((\w+)\)", selectors):
            by_lang[code] = family
    for code, _, native, script, _ in LANGUAGES:
        if script == "Latn":
            continue
        assert by_lang.get(code) in families, f"no font for {code}"
        # The family's face covers the language's own name: its unicode-range holds it.
        ranges = [urange for family, _, urange in _font_faces() if family == by_lang[code]]
        assert any(_in_range(native[0], r) for r in ranges), code


def _in_range(char, unicode_range):
    cp = ord(char)
    for part in unicode_range.split(","):
        lo, _, hi = part.strip().removeprefix("U+").partition("-")
        if int(lo, 16) <= cp <= int(hi or lo, 16):
            return True
    return False


# Decomposed letters as some keyboards and converters produce them: न + nukta (ऩ), Bengali
# ে + া (ো), Tamil ெ + ா (ொ), e + combining acute (é). NFC composes each into one code point.
NFD_TITLE = "\u0928\u093c \u0995\u09c7\u09be \u0b95\u0bc6\u0bbe cafe\u0301"
NFC_TITLE = "\u0929 \u0995\u09cb \u0b95\u0bca caf\u00e9"


def test_json_import_is_normalised_to_nfc(import_paths, tmp_path):
    assert unicodedata.normalize("NFC", NFD_TITLE) == NFC_TITLE != NFD_TITLE
    record = {"prid": 4242, "title": NFD_TITLE,
              "ministry": {"id": 9, "name": "Ministry of Cafe\u0301"},
              "body_text": "\u0b95\u0bc6\u0bbe\nदूसरा",
              "release_datetime": "2026-01-05T10:00:00"}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record, ensure_ascii=False))
    import_paths(path)
    v = LanguageVersion.objects.get(release_id=4242)
    assert v.title == NFC_TITLE
    assert "\u0bca" in v.body_text and "\u0bca" in v.body_html
    assert unicodedata.is_normalized("NFC", v.body_text) and unicodedata.is_normalized("NFC", v.body_html)
    assert Ministry.objects.filter(name="Ministry of Caf\u00e9").exists()


def test_jsonl_import_is_normalised_to_nfc(import_paths, tmp_path):
    line = {"release_id": 4343, "language": "hi", "original": True, "ministry": "Ministry of Defence",
            "bureau": "PIB Delhi", "posted_at": "2018-10-04T17:19:00+05:30",
            "title": NFD_TITLE, "subtitles": ["\u0995\u09c7\u09be"],
            "body_text": "\u0928\u093c", "body_html": "<p>\u0928\u093c</p>"}
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n")
    import_paths(path)
    v = LanguageVersion.objects.get(release_id=4343)
    assert v.title == NFC_TITLE and v.subtitles == "\u0995\u09cb"
    assert "\u0929" in v.body_html and "\u0929" in v.body_text
