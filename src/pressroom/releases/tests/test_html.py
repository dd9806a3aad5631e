"""Body HTML sanitising: remote images (tracking pixels) go, this site's media stays."""

import pytest

from pressroom.releases.html import is_own_media, sanitise_html


@pytest.mark.parametrize("src", [
    "https://tracker.example/pixel.gif", "http://static.pib.gov.in/x.jpg", "HTTPS://x.example/",
    "//tracker.example/p.gif", "/\\tracker.example/p.gif", "  https://tracker.example/p.gif",
    "data:image/gif;base64,R0lGODlhAQABAAAAACw=", "javascript:alert(1)",
])
def test_remote_images_are_dropped_whole(src):
    clean = sanitise_html(f'<p>Before<img src="{src}" alt="a>b" width="1">after</p>', media_url="/media/")
    assert clean == "<p>Beforeafter</p>"


@pytest.mark.parametrize("src", ["/media/releases/1/chart.png", "chart.png", "../media/x.png"])
def test_this_sites_media_stays(src):
    clean = sanitise_html(f'<figure><img src="{src}" alt="Chart"></figure>', media_url="/media/")
    assert clean == f'<figure><img src="{src}" alt="Chart"></figure>'


def test_an_absolute_media_url_a_cdn_keeps_only_its_own_images():
    html = ('<img src="https://cdn.pressroom.example/media/a.png">'
            '<img src="https://cdn.pressroom.example.evil/media/a.png"><img src="/media/b.png">')
    assert sanitise_html(html, media_url="https://cdn.pressroom.example/media/") == (
        '<img src="https://cdn.pressroom.example/media/a.png">')


def test_several_images_across_lines_and_links_untouched():
    html = ('<p>One<img\nsrc="https://t.example/1.gif">\ntwo <a href="https://pib.gov.in/">PIB</a>'
            '<img src="/media/ok.png" alt="ok"></p>\n<p><img src="https://t.example/2.gif"></p>')
    assert sanitise_html(html, media_url="/media/") == (
        '<p>One\ntwo <a href="https://pib.gov.in/" rel="noopener noreferrer nofollow">PIB</a>'
        '<img src="/media/ok.png" alt="ok"></p>\n<p></p>')


def test_is_own_media():
    assert is_own_media("/media/a.png") and is_own_media("a.png")
    assert not is_own_media("") and not is_own_media("//x/a.png") and not is_own_media("/\\x")
    assert not is_own_media("https://x/a.png")
    assert is_own_media("https://cdn/media/a.png", "https://cdn/media/")


def test_the_settings_media_url_is_the_default(settings):
    settings.MEDIA_URL = "https://cdn.example/m/"
    assert sanitise_html('<img src="https://cdn.example/m/a.png">') == '<img src="https://cdn.example/m/a.png">'


def test_an_imported_body_keeps_no_tracking_pixel(import_paths, tmp_path, client):
    import json
    f = tmp_path / "x.jsonl"
    f.write_text(json.dumps({
        "release_id": 76, "language": "en", "ministry": "Ministry of Defence", "bureau": "PIB Delhi",
        "title": "Pixel", "posted_at": "2020-01-01T10:00:00+05:30", "body_text": "Text",
        "body_html": '<p>Text<img src="https://tracker.example/p.gif?r=76"></p>'}) + "\n")
    import_paths(f)
    page = client.get("/release/76/").content.decode()
    assert "tracker.example" not in page
    assert "tracker.example" not in client.get("/release/76.json").content.decode()
