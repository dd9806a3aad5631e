"""Files for media tests, made in the test: real photos, documents, and hostile files."""

import io
import struct
import zipfile
import zlib

from PIL import Image

GPS_LATITUDE = (28.0, 36.0, 50.0)


def jpeg(width=1200, height=900, color=(30, 120, 200), gps=False, quality=90, orientation=None):
    img = Image.new("RGB", (width, height), color)
    # Something that is not flat, so sizes are realistic.
    for x in range(0, width, 40):
        img.paste((x % 255, 80, 255 - x % 255), (x, 0, x + 20, height))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0132] = "2026:11:30 10:15:00"  # DateTime
    if orientation:
        exif[0x0112] = orientation
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = GPS_LATITUDE
        gps_ifd[3] = "E"
        gps_ifd[4] = (77.0, 12.0, 33.0)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def png(width=64, height=48, alpha=False):
    img = Image.new("RGBA" if alpha else "RGB", (width, height), (200, 10, 10, 128))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(side=20000):
    """A real decompression bomb: side×side 1-bit pixels of zeros, a few tens of KB on disk."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


SVG_WITH_SCRIPT = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
                   b'height="10"><script>alert(document.cookie)</script><rect width="10" '
                   b'height="10"/></svg>')
HTML_AS_PDF = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script>Gazette</body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program"


def pdf(pages=2, text="Gazette notification"):
    """A small real PDF (WeasyPrint makes it)."""
    import weasyprint

    html = "".join(f'<p style="page-break-after: always">{text} {n}</p>' for n in range(pages))
    return weasyprint.HTML(string=html).write_pdf()


def docx(pages=3, macros=False):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        z.writestr("docProps/app.xml", f"<Properties><Pages>{pages}</Pages></Properties>")
        if macros:
            z.writestr("word/vbaProject.bin", b"\x00" * 10)
    return out.getvalue()


def odt():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("meta.xml", '<office:meta><meta:document-statistic meta:page-count="4"/>'
                               "</office:meta>")
    return out.getvalue()


def zip_bomb(unpacked=300 * 1024 * 1024):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00" * unpacked)
    return out.getvalue()
