"""Public pages and files for photos and documents: files under MEDIA_URL, documents as
downloads, a gallery per release, and the photos index (PIB's photo section)."""

import posixpath
import re

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from pressroom.releases.models import Language, LanguageVersion, Ministry, Photo, Release, StoredFile
from pressroom.releases.pibtext import IST
from pressroom.releases.queries import ListingFilter

from . import caching, pagecache
from .media import photo_view, photos_for

PUBLIC_PATH = re.compile(r"(photos/[0-9a-f]{2}/[0-9a-f]{64}/(?:full|\d{1,5})\.(?:jpg|webp|avif)"
                         r"|documents/[0-9a-f]{2}/[0-9a-f]{64}\.(?:pdf|docx|xlsx|odt|ods))")
TYPES = {"jpg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}
YEAR = 365 * 24 * 3600


def _serve(name: str, content_type: str, *, download_as: str | None = None):
    try:
        f = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such file") from None
    response = FileResponse(f, content_type=content_type, as_attachment=download_as is not None,
                            filename=download_as or "")
    response["X-Content-Type-Options"] = "nosniff"
    # Named by their content's hash: they never change.
    patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    return response


@require_safe
def media_file(request, path):
    """Public copies (photo sizes, documents) by their content-addressed names. A front
    server or object storage can serve MEDIA_URL instead (docs/deploy.md)."""
    if not PUBLIC_PATH.fullmatch(path):
        raise Http404("No such file")
    ext = posixpath.splitext(path)[1][1:]
    if path.startswith("documents/"):
        stored = StoredFile.objects.filter(sha256=posixpath.basename(path).split(".")[0]).first()
        if stored is None:
            raise Http404("No such file")
        return _serve(path, stored.content_type, download_as=posixpath.basename(path))
    return _serve(path, TYPES[ext])


@require_safe
def attachment(request, sha256, filename):
    """A release's document, downloaded under a readable name (its extension must be the
    file's own: the name cannot make a PDF pass for something else)."""
    stored = StoredFile.objects.filter(sha256=sha256, kind=StoredFile.Kind.DOCUMENT).first()
    if stored is None or not filename.endswith(f".{stored.extension}") or not stored.attachments.exclude(
            version__release__status=Release.Status.REMOVED).exists():
        raise Http404("No such document")
    name = re.sub(r"[^\w.-]", "-", filename)[:100]
    return _serve(stored.variants[0]["name"], stored.content_type, download_as=name)


@require_safe
def gallery(request, release_id, lang=None):
    versions = list(LanguageVersion.objects.filter(release_id=release_id)
                    .select_related("release__ministry", "release__bureau", "language"))
    if not versions or versions[0].release.status == Release.Status.REMOVED:
        raise Http404("No release with that ID")
    version = next((v for v in versions if (v.language_id == lang if lang else v.is_original)), None)
    if version is None:
        raise Http404("No such language version")
    photos = photos_for(version, versions)
    if not photos:
        raise Http404("This release has no photos")
    return caching.cache_public(render(request, "website/media_gallery.html", {
        "release": version.release, "version": version, "photos": photos,
        "versions": [v for v in versions if v != version]}), max_age=300)


@require_safe
@pagecache.kept_while_record_unchanged
def photos_index(request):
    """Photos of releases, newest first, by date and ministry (PIB's photo section)."""
    f = ListingFilter.from_query(request.GET)
    releases = f.releases()
    photos = (Photo.objects.filter(version__is_original=True, version__release__in=releases)
              .select_related("file", "version__release__ministry", "version__language")
              .order_by("-version__release__posted_at", "-version__release_id", "position"))
    page = Paginator(photos, 48).get_page(request.GET.get("page"))
    items = []
    for p in page.object_list:
        view = photo_view(p, p.version.language)
        view.release = p.version.release
        view.version = p.version
        items.append(view)
    days = {}
    for item in items:
        days.setdefault(item.release.posted_at.astimezone(IST).date(), []).append(item)
    query = "&".join(f"{k}={v}" for k, v in f.as_query().items())
    return caching.cache_public(render(request, "website/media_photos.html", {
        "filter": f, "page": page, "days": list(days.items()), "query": query,
        "ministries": Ministry.objects.all(), "languages": Language.objects.all(),
    }, status=400 if f.errors else 200))


