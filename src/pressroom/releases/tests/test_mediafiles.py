"""Reading uploads safely: types from content, hostile files refused, photos cleaned."""

import io

import pytest
from PIL import Image

from pressroom.releases import mediafiles
from pressroom.releases.mediafiles import MediaError

from . import mediasamples as samples


def test_types_are_read_from_content_not_the_name():
    assert mediafiles.detect(samples.jpeg(), "photo.pdf").content_type == "image/jpeg"
    assert mediafiles.detect(samples.png(), "x.jpg").extension == "png"
    assert mediafiles.detect(samples.pdf(1), "notes.docx").extension == "pdf"
    assert mediafiles.detect(samples.docx(), "a.pdf").extension == "docx"
    assert mediafiles.detect(samples.odt(), "a").extension == "odt"


def test_html_named_pdf_is_refused_as_a_web_page():
    with pytest.raises(MediaError, match="web page"):
        mediafiles.detect(samples.HTML_AS_PDF, "gazette.pdf")


def test_svg_with_script_is_refused():
    with pytest.raises(MediaError, match="SVG"):
        mediafiles.detect(samples.SVG_WITH_SCRIPT, "logo.jpg")


def test_programs_are_refused():
    with pytest.raises(MediaError, match="program"):
        mediafiles.detect(samples.EXE, "photo.jpg")
    with pytest.raises(MediaError, match="program"):
        mediafiles.detect(b"#!/bin/sh\nrm -rf /\n", "run.pdf")


def test_unknown_and_empty_files_say_what_is_accepted():
    with pytest.raises(MediaError, match="JPEG, PNG, WebP"):
        mediafiles.detect(b"just some text", "notes.txt")
    with pytest.raises(MediaError, match="empty"):
        mediafiles.detect(b"", "nothing.jpg")


def test_office_files_with_macros_or_zip_bombs_are_refused(monkeypatch):
    with pytest.raises(MediaError, match="macros"):
        mediafiles.detect(samples.docx(macros=True), "speech.docx")
    monkeypatch.setattr(mediafiles, "ZIP_MAX_UNPACKED", 1024 * 1024)
    with pytest.raises(MediaError, match="zip bomb"):
        mediafiles.detect(samples.zip_bomb(2 * 1024 * 1024), "speech.docx")


def test_a_plain_zip_is_not_a_document():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("evil.exe", samples.EXE)
    with pytest.raises(MediaError, match="not a Word"):
        mediafiles.detect(out.getvalue(), "report.docx")


def test_page_counts():
    pdf = samples.pdf(3)
    assert mediafiles.page_count(pdf, mediafiles.detect(pdf)) == 3
    doc = samples.docx(pages=7)
    assert mediafiles.page_count(doc, mediafiles.detect(doc)) == 7
    assert mediafiles.page_count(samples.odt(), mediafiles.detect(samples.odt())) == 4


def test_a_broken_pdf_is_refused():
    bad = b"%PDF-1.7\n<html>not really</html>"
    with pytest.raises(MediaError, match="cannot be read"):
        mediafiles.page_count(bad, mediafiles.detect(bad), "bad.pdf")


def test_decompression_bomb_is_refused_before_decoding():
    bomb = samples.bomb_png(20000)
    assert len(bomb) < 200_000  # tiny on disk, 400 megapixels when opened
    with pytest.raises(MediaError, match="decompression bomb"):
        mediafiles.process_image(bomb, "bomb.png", max_pixels=50_000_000)


def test_gps_and_exif_are_stripped_from_every_public_copy():
    original = samples.jpeg(2000, 1500, gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the sample has GPS
    processed = mediafiles.process_image(original, "field.jpg")
    assert processed.taken_at is not None and processed.taken_at.year == 2026
    assert processed.variants
    for v in processed.variants:
        img = Image.open(io.BytesIO(v.data))
        assert (img.width, img.height) == (v.width, v.height)
        assert not img.getexif(), f"{v.format} {v.width} keeps EXIF"
        assert b"TestCam" not in v.data and b"Exif" not in v.data[:200]


def test_variants_cover_widths_and_formats_without_upscaling():
    processed = mediafiles.process_image(samples.jpeg(1000, 750), "x.jpg")
    widths = {(v.format, v.width) for v in processed.variants if not v.full}
    for fmt in mediafiles.FORMATS:
        assert (fmt, 480) in widths and (fmt, 800) in widths and (fmt, 1000) in widths
        assert (fmt, 1200) not in widths
    full = [v for v in processed.variants if v.full]
    assert len(full) == 1 and full[0].format == "jpeg" and full[0].width == 1000


def test_orientation_is_applied_and_transparency_flattened():
    turned = mediafiles.process_image(samples.jpeg(400, 300, orientation=6), "turned.jpg")
    assert (turned.width, turned.height) == (300, 400)
    flat = mediafiles.process_image(samples.png(alpha=True), "logo.png")
    assert Image.open(io.BytesIO(flat.variants[0].data)).mode == "RGB"


def test_size_limits_have_clear_messages():
    mediafiles.check_size(10, "a.jpg", 100)
    with pytest.raises(MediaError, match="at most 1 MB"):
        mediafiles.check_size(3 * 1024 * 1024, "big.jpg", 1024 * 1024)
    with pytest.raises(MediaError, match="limit per release is 5 MB"):
        mediafiles.check_size(2 * 2**20, "more.pdf", 10 * 2**20, total=4 * 2**20,
                              total_limit=5 * 2**20)
