"""A PDF of each language version, in PIB's layout, made once per revision and kept.

WeasyPrint sets the page (Pango and HarfBuzz shape every script: Devanagari conjuncts,
Tamil, Bengali, Nastaliq Urdu right to left) with the site's own Noto fonts. It is given
only this site's files: ``fetch`` serves static files and stored photos from local storage
and refuses every other URL, so a link or an image in a body can never make the renderer
reach out. A PDF is named by a digest of everything it shows; a correction, a status change
or new photos make a new name, and the old files go when the record's transaction commits.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import logging
import re
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from pressroom.releases import mediastore, store
from pressroom.releases.models import LanguageVersion

from .media import PUBLIC_PREFIXES, attachments_for, photos_for

log = logging.getLogger(__name__)

# Bump when the template or stylesheet changes what a PDF looks like: every PDF is remade.
RENDERER_VERSION = 5
LOCAL = "file:///__pressroom__/"
STATIC_PREFIX = LOCAL + "static/"
MEDIA_PREFIX = LOCAL + "media/"
FONT_PREFIX = LOCAL + "font/"


class Refused(ValueError):
    pass


MIME = {"css": "text/css", "woff2": "font/woff2", "jpg": "image/jpeg", "png": "image/png",
        "webp": "image/webp", "avif": "image/avif"}


def fetch(url: str) -> tuple[bytes, str]:
    """What the renderer may read: this site's static files and public media, and the QR
    code made here (a data: PNG). Anything else raises Refused."""
    if url.startswith("data:image/png;base64,"):
        return base64.b64decode(url.split(",", 1)[1]), "image/png"
    if url.startswith(STATIC_PREFIX):
        path = unquote(urlsplit(url).path)[len("/__pressroom__/static/"):]
        found = finders.find(path) if ".." not in path else None
        if not found:
            raise Refused(f"no static file {path}")
        with open(found, "rb") as f:
            return f.read(), MIME.get(path.rsplit(".", 1)[-1], "application/octet-stream")
    if url.startswith(FONT_PREFIX):
        name = unquote(urlsplit(url).path)[len("/__pressroom__/font/"):]
        if "/" in name or ".." in name:
            raise Refused(f"no font {name}")
        return font_file(name), "font/ttf"
    if url.startswith(MEDIA_PREFIX):
        name = unquote(urlsplit(url).path)[len("/__pressroom__/media/"):]
        if ".." in name or not name.startswith(PUBLIC_PREFIXES):
            raise Refused(f"not a public media file: {name}")
        with default_storage.open(name, "rb") as f:
            return f.read(), MIME.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    raise Refused(f"the PDF renderer fetches nothing outside the site: {url[:100]}")


@functools.lru_cache(maxsize=32)
def font_file(name: str) -> bytes:
    """A site font (woff2) as plain TrueType: WeasyPrint would decompress it for every PDF.
    (Still variable: instancing Noto Nastaliq whole takes seconds; WeasyPrint instances the
    few glyphs a PDF uses.)"""
    from fontTools.ttLib import TTFont

    found = finders.find(f"website/fonts/{name}")
    if not found:
        raise Refused(f"no font {name}")
    font = TTFont(found)
    font.flavor = None
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def site_only_fetcher():
    """WeasyPrint's fetcher with every request (redirects too) answered by ``fetch``.
    WeasyPrint is imported here, not at start: it loads Pango, which every process (the
    publisher, management commands) would otherwise pay for."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            data, mime = fetch(url)
            return URLFetcherResponse(url, data, {"Content-Type": mime})

    return SiteOnlyFetcher(allowed_protocols=("file", "data"))


def _version(release_id: int, lang: str):
    return (LanguageVersion.objects.select_related("release__ministry", "release__bureau",
                                                   "language", "release__original_language")
            .filter(release_id=release_id, language_id=lang).first())


def digest(version) -> str:
    """What the PDF of this version shows, hashed (its name in storage)."""
    release = version.release
    data = {"r": RENDERER_VERSION, "content": version.content(), "revision": version.revision,
            "status": release.status, "note": release.status_note,
            "ministry": release.ministry.name, "bureau": release.bureau.name,
            "posted_at": release.posted_at.isoformat(), "media": mediastore.manifest(version)}
    if not version.is_original:
        original = LanguageVersion.objects.filter(release_id=release.pk, is_original=True).first()
        data["original_media"] = mediastore.manifest(original) if original else {}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:20]


def cached_digest(version) -> str:
    """``digest``, remembered per update time of the version, its release and its original
    (every change to what a PDF shows moves one of them): the cached path then costs two
    small queries and a read, not the whole manifest."""
    from django.core.cache import cache

    original = list(LanguageVersion.objects.filter(release_id=version.release_id, is_original=True)
                    .values_list("updated_at", flat=True))
    key = "pdf-digest:{}:{}:{}:{}:{}:{}".format(
        RENDERER_VERSION, version.pk, version.revision, version.updated_at.isoformat(),
        version.release.updated_at.isoformat(), original[0].isoformat() if original else "")
    found = cache.get(key)
    if found is None:
        found = digest(version)
        cache.set(key, found, 24 * 3600)
    return found


def storage_name(version, key: str) -> str:
    return f"pdf/{version.release_id}/{version.language_id}-r{version.revision}-{key}.pdf"


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


# Families per script as site.css picks them; the PDF loads only the ones its page uses
# (WeasyPrint reads every @font-face it is given, and all of them cost seconds).
SCRIPT_FAMILY = {"Deva": "Devanagari", "Beng": "Bengali", "Guru": "Gurmukhi", "Gujr": "Gujarati",
                 "Orya": "Oriya", "Taml": "Tamil", "Telu": "Telugu", "Knda": "Kannada",
                 "Mlym": "Malayalam", "Arab": "Urdu", "Mtei": "Bengali"}
_FONT_FACES: dict[str, str] = {}


def font_faces(families: set[str]) -> str:
    """The @font-face rules of fonts.css for these families, their URLs made local."""
    if not _FONT_FACES:
        with open(finders.find("website/fonts/fonts.css"), encoding="utf-8") as f:
            css = f.read()
        for block in re.findall(r"@font-face\s*\{[^}]*\}", css):
            family = re.search(r'font-family:\s*"([^"]+)"', block).group(1)
            # The woff2 decompressed once per process (``font_file``), not in every PDF.
            block = re.sub(r'url\("([^"]+)"\) format\("woff2"\)',
                           lambda m: f'url("{FONT_PREFIX}{m.group(1)}") format("truetype")', block)
            _FONT_FACES[family] = _FONT_FACES.get(family, "") + block + "\n"
    return "".join(_FONT_FACES.get(f"Pressroom {name}", "") for name in sorted(families))


def families_for(*languages) -> set[str]:
    return {"Sans"} | {SCRIPT_FAMILY[lang.script] for lang in languages
                       if lang.script in SCRIPT_FAMILY}


def html_for(version, url: str) -> str:
    release = version.release
    versions = list(LanguageVersion.objects.filter(release_id=release.pk).select_related("language"))
    photos = photos_for(version, versions)
    for p in photos:  # the renderer reads the 1200 px JPEG from storage, not over HTTP
        f = p.photo.file
        best = next((v for v in f.widths("jpeg") if v["width"] >= 1200), None) or (
            f.widths("jpeg") or [None])[-1]
        p.pdf_src = MEDIA_PREFIX + best["name"] if best else ""
    revisions = list(version.revisions.all()[:1]) if version.revision > 1 else []
    latest = revisions[0] if revisions else None
    return render_to_string("website/release_pdf.html", {
        "release": release, "version": version, "photos": photos,
        "attachments": attachments_for(version, versions), "url": url,
        "qr": qr_data_uri(url), "static": STATIC_PREFIX,
        "font_faces": font_faces(families_for(version.language, *(
            a.language for a in attachments_for(version, versions) if a.language), *(
            v.language for v in versions if photos and v.is_original))),
        "correction": latest if latest and latest.reason == "correction" and latest.note else None,
    })


def render(version, url: str) -> bytes:
    import weasyprint

    html = html_for(version, url)
    return weasyprint.HTML(string=html, base_url=LOCAL,
                           url_fetcher=site_only_fetcher()).write_pdf()


def pdf_for(release_id: int, lang: str, url_for) -> tuple[bytes, str] | None:
    """(the PDF, its key), rendered now if this revision has none yet; None if no version.
    ``url_for(path)`` makes the version's absolute URL for the QR code."""
    version = _version(release_id, lang)
    if version is None:
        return None
    key = cached_digest(version)
    name = storage_name(version, key)
    try:
        with default_storage.open(name, "rb") as f:
            return f.read(), key
    except (FileNotFoundError, OSError):
        pass
    data = render(version, url_for(version.get_absolute_url()))
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # rendered at the same moment elsewhere
            default_storage.delete(saved)
    return data, key


def forget_old(release_id: int, lang: str, keep: str | None = None) -> None:
    """Delete a version's stored PDFs other than ``keep``."""
    folder = f"pdf/{release_id}"
    try:
        _, files = default_storage.listdir(folder)
    except (FileNotFoundError, OSError):
        return
    for name in files:
        if name.startswith(f"{lang}-r") and f"{folder}/{name}" != keep:
            default_storage.delete(f"{folder}/{name}")


def on_versions_changed(sender, version_ids, new=False, **kwargs):
    """A correction, translation, status or media change: the version's PDFs are stale
    (their names no longer match); remove them once the change is committed."""
    if new:
        return
    targets = list(LanguageVersion.objects.filter(pk__in=version_ids)
                   .values_list("release_id", "language_id"))
    # Photos of the original show in translations that have none: theirs go too.
    if kwargs.get("reason") in (store.MEDIA, store.STATUS, store.CORRECT):
        releases = {r for r, _ in targets}
        targets = list(LanguageVersion.objects.filter(release_id__in=releases)
                       .values_list("release_id", "language_id"))

    def clean():
        for release_id, lang in targets:
            try:
                forget_old(release_id, lang)
            except OSError:  # a stale PDF is never served (its name is wrong); log, go on
                log.warning("could not remove old PDFs of %s/%s", release_id, lang)
    transaction.on_commit(clean)


def url_of(release_id, lang):
    return reverse("website:release_pdf", args=[release_id, lang])



