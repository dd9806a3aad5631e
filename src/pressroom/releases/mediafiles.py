"""Reading uploaded files safely. Pure functions: bytes in, facts and public copies out.

The type is read from the content, never from the name or the browser's word for it, and
only an allow-list gets through: JPEG, PNG, WebP photos (decoded by Pillow, which must manage
to) and PDF, DOCX, XLSX, ODT, ODS documents (a ``%PDF-`` header that pypdf can read; a zip
with the OOXML or OpenDocument structure, no macros, not a zip bomb). Hand-written checks
rather than libmagic/``filetype``: those name what a file looks like, while this has to say
yes only to files that open as what they claim, and name what it refused (SVG, HTML,
programs) in words an officer understands.

Photos are opened with a pixel limit (a decompression bomb is refused before it is decoded),
turned upright, and re-encoded without EXIF/GPS or any other metadata, once, in every size
and format the site serves.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from PIL import Image, ImageOps, features

# Widths served in srcset (never wider than the photo), and the largest "full" copy.
WIDTHS = (480, 800, 1200, 1600)
FULL_MAX = 4000
FORMATS = ("avif", "webp", "jpeg") if features.check("avif") else ("webp", "jpeg")
QUALITY = {"jpeg": 80, "webp": 78, "avif": 60}
MIME = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif", "png": "image/png"}
EXTENSION = {"jpeg": "jpg", "webp": "webp", "avif": "avif", "png": "png"}

DOCUMENT_TYPES = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"),
}
ALLOWED = "photos (JPEG, PNG, WebP) and documents (PDF, DOCX, XLSX, ODT, ODS)"

# A zip's members may not unpack to more than this (zip bombs), nor be more than this many.
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_MEMBERS = 5000


class MediaError(ValueError):
    """A file that is refused, with a message for the person who sent it."""


@dataclass
class Detected:
    kind: str  # "image" or "document"
    content_type: str
    extension: str
    label: str = ""


@dataclass
class Variant:
    format: str
    width: int
    height: int
    data: bytes
    full: bool = False

    @property
    def name_suffix(self) -> str:
        return f"{'full' if self.full else self.width}.{EXTENSION[self.format]}"


@dataclass
class ProcessedImage:
    width: int
    height: int
    taken_at: datetime | None
    variants: list[Variant] = field(default_factory=list)


def _refusal(data: bytes, name: str) -> str:
    """Why a file is not on the allow-list, in words, for the types people try."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    called = f"“{name}” " if name else "The file "
    if head.startswith((b"mz", b"\x7felf", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe",
                        b"\xfe\xed\xfa")):
        return f"{called}is a program; programs are never accepted."
    if b"<svg" in head:
        return f"{called}is an SVG drawing; SVG can carry scripts, so it is not accepted: " \
               "send the photo as JPEG or PNG."
    if re.search(rb"<(!doctype html|html|script|body|head|iframe)\b", head):
        return f"{called}is a web page (HTML), whatever its name says; it is not accepted."
    return f"{called}is not one of the types accepted: {ALLOWED}."


def detect(data: bytes, name: str = "") -> Detected:
    """What the bytes are, from the bytes. Raises MediaError for anything not allowed."""
    if not data:
        raise MediaError(f"“{name}” is empty." if name else "The file is empty.")
    if data.startswith(b"\xff\xd8\xff"):
        return Detected("image", "image/jpeg", "jpg", "JPEG")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Detected("image", "image/png", "png", "PNG")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Detected("image", "image/webp", "webp", "WebP")
    if data.startswith(b"%PDF-"):
        return Detected("document", *_doc("pdf"))
    if data.startswith(b"PK\x03\x04"):
        return _office(data, name)
    raise MediaError(_refusal(data, name))


def _doc(ext):
    content_type, label = DOCUMENT_TYPES[ext]
    return content_type, ext, label


def _office(data: bytes, name: str) -> Detected:
    called = f"“{name}”" if name else "The file"
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise MediaError(f"{called} is a damaged zip file ({e}).") from e
    if len(infos) > ZIP_MAX_MEMBERS or sum(i.file_size for i in infos) > ZIP_MAX_UNPACKED:
        raise MediaError(f"{called} unpacks to more than {ZIP_MAX_UNPACKED // 2**20} MB "
                         "(a zip bomb?); it is not accepted.")
    names = {i.filename for i in infos}
    if any(n.lower().endswith("vbaproject.bin") or n.lower().startswith("basic/") for n in names):
        raise MediaError(f"{called} contains macros; save it without macros (DOCX, XLSX).")
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return Detected("document", *_doc("docx"))
        if "xl/workbook.xml" in names:
            return Detected("document", *_doc("xlsx"))
    if "mimetype" in names:
        mimetype = z.read("mimetype")[:100].decode("ascii", "replace").strip()
        for ext in ("odt", "ods"):
            if mimetype == DOCUMENT_TYPES[ext][0]:
                return Detected("document", *_doc(ext))
    raise MediaError(f"{called} is a zip file but not a Word, Excel or OpenDocument file; "
                     f"accepted: {ALLOWED}.")


def page_count(data: bytes, detected: Detected, name: str = "") -> int | None:
    """Pages of a document, where the document says (PDF always; DOCX/ODT if saved so)."""
    if detected.extension == "pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return len(PdfReader(io.BytesIO(data)).pages)
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
            raise MediaError(f"“{name or 'The file'}” starts like a PDF but cannot be read as "
                             f"one ({str(e)[:80]}).") from e
    z = zipfile.ZipFile(io.BytesIO(data))
    try:
        if detected.extension == "docx":
            m = re.search(rb"<Pages>(\d+)</Pages>", z.read("docProps/app.xml")[:100_000])
        elif detected.extension in ("odt", "ods"):
            m = re.search(rb'meta:page-count="(\d+)"', z.read("meta.xml")[:100_000])
        else:
            return None
    except KeyError:
        return None
    return int(m.group(1)) if m else None


def open_image(data: bytes, name: str = "", max_pixels: int = 50_000_000) -> Image.Image:
    """Pillow's image, its size checked against ``max_pixels`` before any pixel is decoded."""
    called = f"“{name}”" if name else "The photo"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            w, h = img.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise MediaError(f"{called} claims too many pixels to open safely (a decompression "
                         f"bomb?); the limit is {max_pixels // 1_000_000} megapixels.") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise MediaError(f"{called} cannot be read as a photo ({str(e)[:80]}).") from e
    if w * h > max_pixels:
        raise MediaError(f"{called} is {w}×{h} pixels ({w * h / 1e6:.0f} megapixels), more than "
                         f"the {max_pixels // 1_000_000} megapixels allowed (a decompression "
                         "bomb?). Send a smaller photo.")
    if img.format not in ("JPEG", "PNG", "WEBP"):
        raise MediaError(f"{called} is not a JPEG, PNG or WebP photo.")
    return img


def _taken_at(img) -> datetime | None:
    try:
        exif = img.getexif()
        raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)  # DateTimeOriginal, DateTime
        return datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S") if raw else None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _encode(img: Image.Image, fmt: str, full: bool = False) -> bytes:
    out = io.BytesIO()
    # Nothing of the original's metadata is passed on: no exif=, no text chunks, no XMP.
    # Encoder efforts chosen by bench/media_bench.py: the slower settings saved a few per
    # cent of bytes for twice the time (optimize on a 12 MP JPEG alone is ~0.8 s).
    if fmt == "jpeg":
        img.save(out, "JPEG", quality=85 if full else QUALITY["jpeg"], optimize=not full,
                 progressive=not full)
    elif fmt == "webp":
        img.save(out, "WEBP", quality=QUALITY["webp"], method=2)
    else:
        img.save(out, "AVIF", quality=QUALITY["avif"], speed=10)
    return out.getvalue()


def process_image(data: bytes, name: str = "", max_pixels: int = 50_000_000,
                  widths=WIDTHS, formats=FORMATS) -> ProcessedImage:
    """Every public copy of a photo: each width in each format, and a full-size JPEG."""
    img = open_image(data, name, max_pixels)
    taken = _taken_at(img)
    try:
        img.load()
        img = ImageOps.exif_transpose(img)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as e:
        raise MediaError(f"“{name or 'The photo'}” is damaged ({str(e)[:80]}).") from e
    if img.mode not in ("RGB", "L"):
        # Transparency flattened onto white: photos, not logos.
        rgba = img.convert("RGBA")
        img = Image.new("RGB", rgba.size, "white")
        img.paste(rgba, mask=rgba.getchannel("A"))
    elif img.mode == "L":
        img = img.convert("RGB")
    result = ProcessedImage(img.width, img.height, taken)
    full = img if max(img.size) <= FULL_MAX else ImageOps.contain(img, (FULL_MAX, FULL_MAX),
                                                                     Image.Resampling.LANCZOS)
    result.variants.append(Variant("jpeg", full.width, full.height, _encode(full, "jpeg", True),
                                   True))
    # Largest first, each made from the one before: cheaper than from the original each time.
    source = full
    for width in sorted({min(w, img.width) for w in widths}, reverse=True):
        height = max(1, round(img.height * width / img.width))
        if source.width != width:
            # A box reduction by a whole factor first, then Lanczos: ~3x faster than Lanczos
            # all the way, and indistinguishable at these sizes.
            factor = source.width // (width * 2)
            if factor >= 2:
                source = source.reduce(factor)
            source = source.resize((width, height), Image.Resampling.LANCZOS)
        for fmt in formats:
            result.variants.append(Variant(fmt, width, height, _encode(source, fmt)))
    return result


def check_size(size: int, name: str, limit: int, *, total: int | None = None,
               total_limit: int | None = None) -> None:
    """Refuse a file over ``limit`` bytes, or one that brings a release over ``total_limit``."""
    mb = 1024 * 1024
    if size > limit:
        raise MediaError(f"“{name}” is {size / mb:.1f} MB; a file may be at most {limit // mb} MB.")
    if total is not None and total_limit is not None and total + size > total_limit:
        raise MediaError(f"“{name}” ({size / mb:.1f} MB) would bring this release's files to "
                         f"{(total + size) / mb:.1f} MB; the limit per release is "
                         f"{total_limit // mb} MB.")


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
