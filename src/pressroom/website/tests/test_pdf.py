"""The PDF of a release version: every script in the site's own fonts, a QR code, made once
per revision, remade after a correction, and never fetching anything outside the site."""

import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from pressroom.releases import store
from pressroom.releases.models import LanguageVersion, Release
from pressroom.releases.tests import mediasamples as samples
from pressroom.website import pdf

SAMPLE_ID = 1610907


def fonts_of(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


@pytest.mark.parametrize("lang,family", [("en", "Pressroom-Sans"), ("hi", "Pressroom-Devanagari"),
                                         ("ur", "Pressroom-Urdu"), ("ta", "Pressroom-Tamil")])
def test_each_script_in_the_sites_own_fonts(client, sample_archive, lang, family):
    r = client.get(f"/release/{SAMPLE_ID}/{lang}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff" and r.content.startswith(b"%PDF-")
    assert family in fonts_of(r.content)
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    assert "Press Information Bureau" in text and str(SAMPLE_ID) in text


def test_pdf_has_photos_qr_and_is_made_once(client, sample_archive, monkeypatch):
    english = LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="en")
    photo = store.store_file(samples.jpeg(800, 600), "p.jpg")
    store.attach_photo(english, store.PhotoSpec(photo, "Alt", "A photo caption", "PIB"))
    first = client.get(f"/release/{SAMPLE_ID}/en.pdf")
    reader = PdfReader(io.BytesIO(first.content))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) >= 2  # the photo and the QR code
    assert "A photo caption" in "".join(p.extract_text() for p in reader.pages)
    assert f"/release/{SAMPLE_ID}/" in "".join(p.extract_text() for p in reader.pages)
    monkeypatch.setattr(pdf, "render", lambda *a: pytest.fail("rendered twice"))
    again = client.get(f"/release/{SAMPLE_ID}/en.pdf")
    assert again.content == first.content
    assert client.get(f"/release/{SAMPLE_ID}/en.pdf",
                      HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_correction_makes_a_new_pdf_and_removes_the_old(client, sample_archive,
                                                         django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    old = client.get(f"/release/{SAMPLE_ID}/en.pdf").content
    assert len(default_storage.listdir(f"pdf/{SAMPLE_ID}")[1]) == 1
    english = LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="en")
    with django_capture_on_commit_callbacks(execute=True):
        store.correct_version(english, fields=store.content_fields(
            title="A corrected title for the PDF", body_html="<p>New text.</p>"),
            note="Title corrected")
    assert default_storage.listdir(f"pdf/{SAMPLE_ID}")[1] == []
    new = client.get(f"/release/{SAMPLE_ID}/en.pdf").content
    assert new != old
    text = PdfReader(io.BytesIO(new)).pages[0].extract_text()
    assert "A corrected title" in text and "Title corrected" in text


def test_missing_and_removed(client, sample_archive):
    assert client.get(f"/release/{SAMPLE_ID}/xx.pdf").status_code == 404
    assert client.get("/release/999999999/en.pdf").status_code == 404
    Release.objects.filter(pk=SAMPLE_ID).update(status=Release.Status.REMOVED)
    assert client.get(f"/release/{SAMPLE_ID}/en.pdf").status_code == 410


def test_the_renderer_fetches_nothing_outside_the_site(sample_archive):
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        outside = f"http://127.0.0.1:{server.server_port}"
        english = LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="en")
        english.body_html = (f'<p>Text <img src="{outside}/tracker.png"></p>'
                             f'<link rel="stylesheet" href="{outside}/x.css">')
        data = pdf.render(english, "http://testserver/release/1/")
        assert data.startswith(b"%PDF-")
    finally:
        server.shutdown()
    assert requests == []
    for url in (f"{outside}/a.png", "file:///etc/passwd", "file:///__pressroom__/static/../../x",
                "file:///__pressroom__/media/originals/ab/x.jpg", "ftp://example.org/x"):
        with pytest.raises(pdf.Refused):
            pdf.fetch(url)
