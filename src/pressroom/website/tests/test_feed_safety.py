"""Every feed field is text or sanitised HTML: hostile subtitles, titles and bodies reach a
feed reader as words, never as markup it would run."""

import json
from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser
import pytest

EVIL = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
ATOM = "{http://www.w3.org/2005/Atom}"


class Tags(HTMLParser):
    """The elements and attributes an HTML reader would build from a string."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def live_markup(fragment: str) -> list:
    """Scripts, handlers, and images that would load from elsewhere (this site's own
    media, a relative URL, is an image the body may show)."""
    return [(tag, attrs) for tag, attrs in Tags(fragment).tags
            if tag in ("script", "iframe", "object", "embed", "style", "svg")
            or any(name.startswith("on") or name in ("style", "srcset") for name in attrs)
            or (tag == "img" and (":" in (attrs.get("src") or "")
                                  or (attrs.get("src") or "").startswith("//")))]


@pytest.fixture
def hostile(import_paths, tmp_path):
    f = tmp_path / "evil.jsonl"
    f.write_text(json.dumps({
        "release_id": 77, "language": "en", "ministry": "Ministry of Defence",
        "bureau": "PIB Delhi", "title": "Title " + EVIL, "subtitles": ["Highlight " + EVIL],
        "posted_at": "2020-01-01T10:00:00+05:30", "body_text": "Body " + EVIL,
        "body_html": f"<p>Body</p>{EVIL}<p onclick='x()'>more</p>"}) + "\n")
    report = import_paths(f)
    assert report.counts["rejected"] == 0, report.rejects
    return 77


@pytest.mark.parametrize("url", ["/feeds/latest.atom", "/feeds/latest.rss",
                                 "/feeds/ministry/ministry-of-defence.atom",
                                 "/feeds/language/en.rss", "/feeds/search.atom?q=Highlight"])
def test_a_feed_reader_gets_no_live_markup_from_any_field(reader, hostile, url):
    r = reader.get(url)
    assert r.status_code == 200
    # A reader that trusts the feed: feedparser with its own sanitiser off.
    feed = feedparser.parse(r.content, sanitize_html=False)
    assert not feed.bozo, feed.bozo_exception
    entry = next(e for e in feed.entries if e.link.endswith("/release/77/"))
    for detail in [entry.title_detail, entry.get("summary_detail"), *entry.get("content", [])]:
        if detail is None:
            continue
        if detail.type == "text/html":
            assert not live_markup(detail.value), (detail, live_markup(detail.value))
        else:
            assert detail.type == "text/plain", detail
    if url.endswith(".atom"):
        # The subtitle is a summary of words: shown as written, tags and all.
        assert entry.summary_detail.type == "text/html"
        assert Tags(entry.summary).tags == []
        assert entry.summary.startswith("Highlight &lt;img")

    # The same in the raw XML: every element declared HTML (Atom type="html", RSS
    # <description>) holds, once decoded, nothing a browser would run.
    root = ElementTree.fromstring(r.content)
    html_fields = [el for el in root.iter() if el.get("type") == "html" or el.tag == "description"]
    assert html_fields
    for el in html_fields:
        assert not live_markup(el.text or ""), (el.tag, el.text)
    summaries = [el.text for el in root.iter(ATOM + "summary")]
    assert all(not Tags(s or "").tags for s in summaries), summaries


def test_the_summary_keeps_the_subtitle_as_text(reader, hostile):
    feed = feedparser.parse(reader.get("/feeds/latest.atom").content)  # sanitising, as readers do
    entry = next(e for e in feed.entries if e.link.endswith("/release/77/"))
    assert entry.summary == "Highlight " + EVIL.replace("<", "&lt;").replace(">", "&gt;")
    assert entry.title == "Title " + EVIL  # Atom titles are text: the words as written
