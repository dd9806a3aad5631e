"""Photos and documents on the public site: the release page, gallery, photos index, files,
feeds, API and metadata."""

import json
import re

import pytest

from pressroom.releases import store
from pressroom.releases.models import LanguageVersion
from pressroom.releases.tests import mediasamples as samples

SAMPLE_ID = 1610907  # the sample bundle: English original with Hindi, Urdu, Tamil and more


@pytest.fixture
def with_media(sample_archive):
    english = LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="en")
    files = [store.store_file(samples.jpeg(1600, 1200, color=(i * 40, 90, 200), gps=True),
                              f"p{i}.jpg") for i in range(3)]
    for i, f in enumerate(files):
        store.attach_photo(english, store.PhotoSpec(f, f"Alt {i}", f"Caption {i}", "PIB"))
    doc = store.store_file(samples.pdf(2), "statement.pdf")
    store.attach_document(english, store.AttachmentSpec(doc, "Joint statement", "en"))
    hindi = LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="hi")
    store.attach_photo(hindi, store.PhotoSpec(files[0], "वैकल्पिक पाठ", "हिन्दी कैप्शन"))
    return files, doc


def test_release_page_shows_photos_with_srcset_and_lazy_loading(client, with_media):
    html = client.get(f"/release/{SAMPLE_ID}/").content.decode()
    imgs = [i for i in re.findall(r"<img [^>]+>", html) if "qr.svg" not in i]  # the QR: print only
    assert len(imgs) == 3
    assert 'loading="eager"' in imgs[0] and 'fetchpriority="high"' in imgs[0]
    assert all('loading="lazy"' in i for i in imgs[1:])
    assert all(re.search(r'width="\d+" height="\d+"', i) for i in imgs)
    assert 'type="image/webp"' in html and " 480w" in html and " 1600w" in html
    assert 'alt="Alt 0"' in html and "Caption 1" in html and "(Photo: PIB)" in html
    assert "data-lightbox" in html and "lightbox.js" in html
    assert 'property="og:image"' in html
    article = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html,
                                   re.S).group(1))
    assert len(article["image"]) == 3 and article["image"][0].startswith("http")
    assert "Joint statement" in html and "PDF, " in html and "2 pages" in html
    assert f"/release/{SAMPLE_ID}/en.pdf" in html


def test_a_translation_has_its_own_captions_or_the_originals(client, with_media):
    hindi = client.get(f"/release/{SAMPLE_ID}/hi/").content.decode()
    assert "हिन्दी कैप्शन" in hindi and "Caption 0" not in hindi
    tamil = client.get(f"/release/{SAMPLE_ID}/ta/").content.decode()
    # No Tamil captions yet: the original's photos, their captions marked as English.
    assert re.search(r'<figure class="release-photo release-photo--lead" lang="en" dir="ltr"', tamil)
    assert "Caption 0" in tamil


def test_public_copies_are_served_clean_and_cached(client, with_media):
    files, doc = with_media
    html = client.get(f"/release/{SAMPLE_ID}/").content.decode()
    src = re.search(r'<img src="([^"]+)"', html).group(1)
    r = client.get(src)
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert r["X-Content-Type-Options"] == "nosniff" and "immutable" in r["Cache-Control"]
    body = b"".join(r.streaming_content)
    assert b"GPS" not in body and b"TestCam" not in body
    # The originals are not under MEDIA_URL at all.
    assert client.get(f"/media/{files[0].original_name_in_storage}").status_code == 404
    assert client.get("/media/../secret_key").status_code == 404


def test_documents_download_with_their_type(client, with_media):
    files, doc = with_media
    html = client.get(f"/release/{SAMPLE_ID}/").content.decode()
    url = re.search(r'href="(/files/[^"]+)"', html).group(1)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment;") and "joint-statement.pdf" in r[
        "Content-Disposition"]
    assert r["X-Content-Type-Options"] == "nosniff"
    # A name cannot make the PDF pass for something else.
    assert client.get(url.replace(".pdf", ".html")).status_code == 404
    assert client.get(f"/files/{files[0].sha256}/x.jpg").status_code == 404


def test_gallery_and_photos_index(client, with_media):
    r = client.get(f"/release/{SAMPLE_ID}/photos/")
    assert r.status_code == 200 and r.content.decode().count("<figure") == 3
    assert "Download full size" in r.content.decode()
    assert client.get(f"/release/{SAMPLE_ID}/hi/photos/").status_code == 200
    assert client.get("/release/1548606/photos/").status_code == 404  # no photos
    index = client.get("/photos/").content.decode()
    assert index.count("<figure") == 3 and "Caption 2" in index
    assert client.get("/photos/?ministry=nothing-like-it").status_code == 400
    assert client.get("/photos/?date=2001-01-01").content.decode().count("<figure") == 0


def test_feeds_carry_photos_and_documents_as_enclosures(client, with_media):
    import feedparser

    files, doc = with_media
    atom = feedparser.parse(client.get("/feeds/latest.atom").content)
    entry = next(e for e in atom.entries if str(SAMPLE_ID) in e.link)
    enclosures = [link for link in entry.links if link.rel == "enclosure"]
    assert len(enclosures) == 4
    assert enclosures[0].type == "image/jpeg" and enclosures[0].href.startswith("http://")
    assert enclosures[-1].type == "application/pdf"
    rss = feedparser.parse(client.get("/feeds/latest.rss").content)
    item = next(e for e in rss.entries if str(SAMPLE_ID) in e.link)
    assert len(item.enclosures) == 1 and item.enclosures[0].type == "image/jpeg"


def test_api_lists_photos_and_documents(client, with_media):
    files, doc = with_media
    data = client.get(f"/api/v1/releases/{SAMPLE_ID}").json()
    english = next(v for v in data["versions"] if v["language"] == "en")
    assert [p["caption"] for p in english["photos"]] == ["Caption 0", "Caption 1", "Caption 2"]
    assert english["photos"][0]["sha256"] == files[0].sha256
    assert {s["format"] for s in english["photos"][0]["sizes"]} >= {"webp", "jpeg"}
    assert english["attachments"][0]["pages"] == 2
    assert english["pdf_url"].endswith(f"/release/{SAMPLE_ID}/en.pdf")
    tamil = next(v for v in data["versions"] if v["language"] == "ta")
    assert tamil["photos"] == []  # the API says what each version holds itself


def test_interface_text_in_hindi(client, with_media):
    client.cookies["django_language"] = "hi"
    page = client.get(f"/release/{SAMPLE_ID}/photos/").content.decode()
    assert "पूरे आकार में डाउनलोड करें" in page
    release = client.get(f"/release/{SAMPLE_ID}/").content.decode()
    assert "दस्तावेज़" in release and "2 पृष्ठ" in release
