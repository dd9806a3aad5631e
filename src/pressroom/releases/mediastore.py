"""Keeping files: content-addressed, through Django's storage API, each stored once.

Originals go to the ``originals`` storage (private: staff only, they may carry GPS data);
the copies readers get go to the default storage (``MEDIA_ROOT``/``MEDIA_URL``, or object
storage: docs/deploy.md). Files are written before their row and named by their hash, so a
transaction rolled back leaves at most an unreferenced file, never a row without its file.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages

from .media import Attachment, Photo, StoredFile


def public_storage():
    return default_storage


def originals_storage():
    return storages["originals"]


def limits() -> dict:
    p = settings.PRESSROOM
    return {"file": p["MEDIA_MAX_FILE_MB"] * 1024 * 1024,
            "release": p["MEDIA_MAX_RELEASE_MB"] * 1024 * 1024,
            "pixels": p["MEDIA_MAX_PIXELS"]}


def _put(storage, name: str, data: bytes) -> None:
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(data))
        if saved != name:  # another process wrote the same content at the same moment
            storage.delete(saved)


def photo_name(sha256: str, suffix: str) -> str:
    return f"photos/{sha256[:2]}/{sha256}/{suffix}"


def document_name(sha256: str, extension: str) -> str:
    return f"documents/{sha256[:2]}/{sha256}.{extension}"


def store_file(data: bytes, name: str = "") -> StoredFile:
    """Check a file, make its public copies and keep it; the same bytes again are the
    same StoredFile. Raises mediafiles.MediaError with a message for the sender."""
    from . import mediafiles  # Pillow: loaded when a file comes, not by every process

    lim = limits()
    mediafiles.check_size(len(data), name or "the file", lim["file"])
    sha = hashlib.sha256(data).hexdigest()
    found = StoredFile.objects.filter(sha256=sha).first()
    if found is not None:
        return found
    detected = mediafiles.detect(data, name)
    row = StoredFile(sha256=sha, kind=detected.kind, content_type=detected.content_type,
                     extension=detected.extension, size=len(data), original_name=name[:255])
    if detected.kind == "image":
        processed = mediafiles.process_image(data, name, max_pixels=lim["pixels"])
        row.width, row.height = processed.width, processed.height
        if processed.taken_at:
            from django.utils import timezone

            row.taken_at = timezone.make_aware(processed.taken_at)
        for v in processed.variants:
            key = photo_name(sha, v.name_suffix)
            _put(public_storage(), key, v.data)
            row.variants.append({"format": v.format, "width": v.width, "height": v.height,
                                 "name": key, "bytes": len(v.data), "full": v.full})
            if v.full:
                row.public_sha256 = hashlib.sha256(v.data).hexdigest()
    else:
        row.page_count = mediafiles.page_count(data, detected, name)
        key = document_name(sha, detected.extension)
        _put(public_storage(), key, data)
        row.variants = [{"format": detected.extension, "name": key, "bytes": len(data),
                         "width": 0, "height": 0}]
        row.public_sha256 = sha
    _put(originals_storage(), row.original_name_in_storage, data)
    row.save()
    return row


def original_bytes(stored: StoredFile) -> bytes:
    with originals_storage().open(stored.original_name_in_storage, "rb") as f:
        return f.read()


def manifest(version) -> dict:
    """A version's photos and documents as the record's history keeps them (hashes,
    captions), in order. Equal manifests mean unchanged media."""
    photos = Photo.objects.filter(version=version).select_related("file").order_by("position", "id")
    attachments = (Attachment.objects.filter(version=version).select_related("file")
                   .order_by("position", "id"))
    return {
        "photos": [{"sha256": p.file.sha256, "caption": p.caption, "alt_text": p.alt_text,
                    "credit": p.credit,
                    "taken_at": p.taken_at.isoformat() if p.taken_at else None} for p in photos],
        "attachments": [{"sha256": a.file.sha256, "title": a.title, "language": a.language_id}
                        for a in attachments],
    }


def release_bytes(release_id, exclude_version=None) -> int:
    """Bytes of the distinct files a release's versions hold (for the per-release limit)."""
    files = set()
    for model in (Photo, Attachment):
        qs = model.objects.filter(version__release_id=release_id)
        if exclude_version is not None:
            qs = qs.exclude(version=exclude_version)
        files.update(qs.values_list("file__sha256", "file__size"))
    return sum(size for _, size in files)
