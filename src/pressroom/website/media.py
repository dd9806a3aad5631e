"""Photos and documents as the public pages show them: srcsets, sizes, labels. Plain code.

A translation without photos of its own shows the original's, captioned in the original's
language (and marked with its ``lang``), until it is given its own captions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import slugify

from pressroom.releases import mediafiles
from pressroom.releases.models import Attachment, Photo
from pressroom.releases.queries import versions_with_media
from pressroom.urlcache import reverse_cached

# The release column is 42em wide (site.css); on a phone, the screen less the margins.
LEAD_SIZES = "(min-width: 720px) 672px, calc(100vw - 30px)"
GRID_SIZES = "(min-width: 720px) 330px, calc(50vw - 23px)"
FORMAT_ORDER = ("avif", "webp")
PUBLIC_PREFIXES = ("photos/", "documents/")  # tried in this order; JPEG is the <img> itself


@dataclass
class PhotoView:
    photo: object
    lang: str
    dir: str
    sources: list  # [(mime, srcset)]
    src: str
    srcset: str
    width: int
    height: int
    full_url: str
    full_width: int
    full_height: int
    index: int = 0

    @property
    def caption(self):
        return self.photo.caption

    @property
    def alt(self):
        return self.photo.alt_text

    @property
    def credit(self):
        return self.photo.credit

    @property
    def taken_at(self):
        return self.photo.taken_at


def photo_view(photo, language, index=0) -> PhotoView:
    f = photo.file
    sources = []
    for fmt in FORMAT_ORDER:
        widths = f.widths(fmt)
        if widths:
            sources.append((mediafiles.MIME[fmt],
                            ", ".join(f"{f.url(v)} {v['width']}w" for v in widths)))
    jpegs = [v for v in f.widths("jpeg") if not v.get("full")]
    default = next((v for v in jpegs if v["width"] >= 800), jpegs[-1] if jpegs else None)
    full = f.variant("jpeg") if not any(v.get("full") for v in f.variants) else next(
        v for v in f.variants if v.get("full"))
    return PhotoView(
        photo=photo, lang=language.code, dir=language.direction, sources=sources,
        src=f.url(default) if default else "", srcset=", ".join(
            f"{f.url(v)} {v['width']}w" for v in jpegs),
        width=default["width"] if default else f.width, height=default["height"] if default else f.height,
        full_url=f.url(full) if full else "", full_width=full["width"] if full else f.width,
        full_height=full["height"] if full else f.height, index=index)


def photos_for(version, versions=(), present=None) -> list[PhotoView]:
    """The photos a version shows: its own, or the original's when it has none. `present`:
    the ids of the versions known to have photos (releases.queries.versions_with_media)."""
    if not version.pk:
        return []
    shown, language = _own_or_original(version, versions, Photo, present)
    return [photo_view(p, language, i) for i, p in enumerate(shown)]


def _own_or_original(version, versions, model, present=None):
    def rows_of(v):
        if present is not None and v.pk not in present:
            return []
        return list(model.objects.filter(version=v).select_related("file"))

    rows = rows_of(version)
    if rows or version.is_original:
        return rows, version.language
    original = next((v for v in versions if v.is_original), None)
    if original is None or not original.pk:
        return [], version.language
    return rows_of(original), original.language


@dataclass
class AttachmentView:
    attachment: object
    url: str
    label: str
    size: str
    pages: int | None
    language: object

    @property
    def title(self):
        return self.attachment.title


def attachment_url(attachment) -> str:
    f = attachment.file
    name = (slugify(attachment.title)[:80] or "document") + f".{f.extension}"
    return reverse("website:attachment", args=[f.sha256, name])


def attachments_for(version, versions=(), present=None) -> list[AttachmentView]:
    if not version.pk:
        return []
    rows, _ = _own_or_original(version, versions, Attachment, present)
    return [AttachmentView(a, attachment_url(a), mediafiles.DOCUMENT_TYPES.get(
        a.file.extension, ("", a.file.extension.upper()))[1], mediafiles.human_size(a.file.size),
        a.file.page_count, a.language) for a in rows]


def preview_photos(draft) -> list[PhotoView]:
    """A draft's photos shaped like a published version's, for the newsroom's preview."""
    return [photo_view(p, draft.language, i)
            for i, p in enumerate(draft.photos.select_related("file").order_by("position", "id"))]


def preview_attachments(draft) -> list[AttachmentView]:
    return [AttachmentView(a, a.file.public_url, mediafiles.DOCUMENT_TYPES.get(
        a.file.extension, ("", a.file.extension.upper()))[1], mediafiles.human_size(a.file.size),
        a.file.page_count, a.language)
        for a in draft.attachments.select_related("file", "language").order_by("position", "id")]


def feed_enclosures(version, request) -> list:
    """Enclosures for a feed item: the version's photos (full size), then its documents."""
    from django.utils.feedgenerator import Enclosure

    out = []
    # version.photos / attachments: a feed prefetches them for all its items (feeds.py).
    for p in version.photos.all():
        full = next((v for v in p.file.variants if v.get("full")), None)
        if full:
            out.append(Enclosure(request.build_absolute_uri(p.file.url(full)), str(full["bytes"]),
                                 "image/jpeg"))
    for a in version.attachments.all():
        out.append(Enclosure(request.build_absolute_uri(attachment_url(a)), str(a.file.size),
                             a.file.content_type))
    return out


def _loaded(version, name: str, model) -> list:
    """The version's photos or documents with their files: as prefetched with it
    (releases.queries.releases_with_versions does), else in one query."""
    prefetched = getattr(version, "_prefetched_objects_cache", {})
    if name in prefetched:
        return list(prefetched[name])
    return list(model.objects.filter(version=version).select_related("file"))


def api_media(version, absolute) -> dict:
    """Photos and documents of a version for the API and the JSON export of a page."""
    photos = [{
        "position": p.position, "caption": p.caption, "alt_text": p.alt_text, "credit": p.credit,
        "taken_at": p.taken_at, "sha256": p.file.sha256, "width": p.file.width,
        "height": p.file.height,
        "url": absolute(p.file.public_url),
        "sizes": [{"format": v["format"], "width": v["width"], "height": v["height"],
                   "bytes": v["bytes"], "url": absolute(p.file.url(v))}
                  for v in p.file.variants if not v.get("full")],
    } for p in _loaded(version, "photos", Photo)]
    attachments = [{
        "position": a.position, "title": a.title, "language": a.language_id,
        "content_type": a.file.content_type, "bytes": a.file.size, "pages": a.file.page_count,
        "sha256": a.file.sha256, "url": absolute(attachment_url(a)),
    } for a in _loaded(version, "attachments", Attachment)]
    return {"photos": photos, "attachments": attachments}


def add_to_context(context: dict, request, photos=None, attachments=None) -> dict:
    """Photos, documents and the PDF link for the release template, added to the context
    ``releases.representations.release_page_context`` made (the preview passes the draft's)."""
    release, version, versions = context["release"], context["version"], context["versions"]
    if photos is None or attachments is None:
        with_photos, with_documents = versions_with_media(
            [version.pk] + [v.pk for v in versions if v.is_original])
        photos = photos_for(version, versions, with_photos) if photos is None else photos
        attachments = (attachments_for(version, versions, with_documents) if attachments is None
                       else attachments)
    published = bool(version.pk)
    if photos and "article" in context:
        context["article"]["image"] = [request.build_absolute_uri(p.full_url) for p in photos]
    context.update({
        "photos": photos, "attachments": attachments,
        "lead_sizes": LEAD_SIZES, "grid_sizes": GRID_SIZES,
        "og_image": request.build_absolute_uri(photos[0].src) if photos else "",
        "gallery_url": reverse_cached("website:gallery", (release.release_id,))
        if version.is_original else
        reverse_cached("website:gallery_version", (release.release_id, version.language_id))
        if photos and published else "",
        "pdf_url": reverse_cached("website:release_pdf", (release.release_id, version.language_id))
        if published else "",
    })
    return context
