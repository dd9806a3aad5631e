"""The newsroom's photos-and-documents page for a draft (or a published release's version).

Works without JavaScript: a plain multiple file input, one form for captions and alt text,
buttons to move and remove; ``newsroom/media.js`` adds drag and drop on top. Only people who
may edit the draft (after publication: its press officers) change anything, and the
original uploads (which may carry GPS data) are served to them alone.
"""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from pressroom.releases import mediastore, store
from pressroom.releases.mediafiles import MediaError, human_size
from pressroom.releases.models import Language, LanguageVersion, StoredFile

from .media import draft_bytes, media_for
from .views import _draft_or_404, officer_required

MAX_FILES_PER_UPLOAD = 20


def _parse_time(raw: str):
    raw = raw.strip()
    if not raw:
        return None
    try:
        return timezone.make_aware(datetime.strptime(raw[:16], "%Y-%m-%dT%H:%M"))
    except ValueError:
        return False


@officer_required
def draft_media(request, pk):
    draft = _draft_or_404(request, pk)
    lang = request.GET.get("lang", "")[:8] or None
    media = media_for(request.user, draft, lang)
    if media is None:
        if request.method == "POST":
            raise PermissionDenied("You may not change this release's photos and documents.")
        messages.error(request, "You may not change this release's photos and documents now.")
        return redirect("newsroom:draft", pk=draft.pk)
    here = reverse("newsroom:draft_media", args=[draft.pk]) + (
        f"?lang={media.language_id}" if media.published else "")
    if request.method == "POST":
        photos, attachments = media.specs()
        op = request.POST.get("op", "")
        try:
            changed = OPERATIONS[op](request, media, photos, attachments) if op in OPERATIONS \
                else None
        except (MediaError, store.RecordError) as e:
            messages.error(request, f"{str(e)[:1].upper()}{str(e)[1:]}")
            changed = None
        if changed:
            photos, attachments, done = changed
            try:
                media.save(request.user, photos, attachments, request.POST.get("note", "")[:1000])
            except store.RecordError as e:
                messages.error(request, f"{str(e)[:1].upper()}{str(e)[1:]}.")
            else:
                messages.success(request, done)
        return redirect(here)
    photos, attachments = media.specs()
    versions = (list(LanguageVersion.objects.filter(release_id=draft.release_id)
                     .select_related("language")) if media.published else [])
    return render(request, "newsroom/media_manage.html", {
        "draft": draft, "media": media, "photos": photos, "attachments": attachments,
        "total": human_size(draft_bytes(photos, attachments)), "versions": versions,
        "languages": Language.objects.all(), "here": here,
        "limits": {k: v for k, v in mediastore.limits().items()},
        "missing_alt": sum(1 for p in photos if not p.alt_text.strip()),
    })


def _upload(request, media, photos, attachments):
    files = request.FILES.getlist("files")[:MAX_FILES_PER_UPLOAD]
    if not files:
        raise MediaError("Choose one or more files to upload.")
    limits = mediastore.limits()
    total = draft_bytes(photos, attachments)
    added = []
    for f in files:
        name = (f.name or "file")[:200]
        try:
            if f.size > limits["file"]:
                raise MediaError(f"“{name}” is {f.size / 2**20:.1f} MB; a file may be at most "
                                 f"{limits['file'] // 2**20} MB.")
            stored = store.store_file(f.read(), name)
            if total + stored.size > limits["release"] and stored.sha256 not in {
                    s.file.sha256 for s in [*photos, *attachments]}:
                raise MediaError(f"“{name}” would bring this release's files over the "
                                 f"{limits['release'] // 2**20} MB allowed per release.")
        except MediaError as e:  # one bad file does not cost the others
            messages.error(request, str(e))
            continue
        total += stored.size
        single = len(files) == 1
        if stored.kind == StoredFile.Kind.IMAGE:
            photos.append(store.PhotoSpec(
                stored, request.POST.get("alt_text", "").strip() if single else "",
                request.POST.get("caption", "").strip() if single else "",
                request.POST.get("credit", "").strip(), stored.taken_at))
        else:
            title = request.POST.get("title", "").strip() if single else ""
            attachments.append(store.AttachmentSpec(
                stored, title or name.rsplit(".", 1)[0], request.POST.get("language") or
                media.language_id))
        added.append(name)
    if not added:
        return None
    return photos, attachments, f"Uploaded: {', '.join(added)}."


def _update(request, media, photos, attachments):
    p = request.POST
    for i, spec in enumerate(photos):
        spec.caption = p.get(f"caption-{i}", spec.caption)[:2000]
        spec.alt_text = p.get(f"alt-{i}", spec.alt_text)[:1000]
        spec.credit = p.get(f"credit-{i}", spec.credit)[:200]
        if f"taken-{i}" in p:
            when = _parse_time(p[f"taken-{i}"])
            if when is False:
                raise MediaError(f"Photo {i + 1}: “{p[f'taken-{i}'][:20]}” is not a date and time.")
            spec.taken_at = when
    codes = set(Language.objects.values_list("code", flat=True))
    for i, spec in enumerate(attachments):
        spec.title = p.get(f"title-{i}", spec.title)[:500] or spec.title
        lang = p.get(f"lang-{i}", spec.language or "")
        spec.language = lang if lang in codes else None
    return photos, attachments, "Captions and titles saved."


def _index(request, items):
    try:
        i = int(request.POST.get("index", ""))
    except ValueError:
        raise MediaError("No such item.") from None
    if not 0 <= i < len(items):
        raise MediaError("No such item.")
    return i


def _move(request, media, photos, attachments):
    items = photos if request.POST.get("kind") == "photo" else attachments
    i = _index(request, items)
    j = i - 1 if request.POST.get("direction") == "up" else i + 1
    if not 0 <= j < len(items):
        return None
    items[i], items[j] = items[j], items[i]
    return photos, attachments, "Order changed."


def _remove(request, media, photos, attachments):
    items = photos if request.POST.get("kind") == "photo" else attachments
    del items[_index(request, items)]
    return photos, attachments, "Removed."


def _copy_original(request, media, photos, attachments):
    """A translation starts from the original's photos, to caption them in its language."""
    if not media.published or media.version.is_original:
        return None
    original = LanguageVersion.objects.get(release_id=media.version.release_id, is_original=True)
    theirs, _ = store._specs(original)
    known = {s.file.sha256 for s in photos}
    photos.extend(s for s in theirs if s.file.sha256 not in known)
    return photos, attachments, "The original's photos copied: write their captions."


OPERATIONS = {"upload": _upload, "update": _update, "move": _move, "remove": _remove,
              "copy_original": _copy_original}


@require_safe
@officer_required
def original_file(request, pk, sha256):
    """The file as uploaded (with its EXIF and GPS data): staff working on the draft only."""
    draft = _draft_or_404(request, pk)
    stored = StoredFile.objects.filter(sha256=sha256).first()
    if stored is None or not _belongs(draft, stored):
        raise Http404("No such file")
    f = mediastore.originals_storage().open(stored.original_name_in_storage, "rb")
    response = FileResponse(f, as_attachment=True, content_type=stored.content_type,
                            filename=stored.original_name or f"{sha256[:12]}.{stored.extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _belongs(draft, stored) -> bool:
    if draft.photos.filter(file=stored).exists() or draft.attachments.filter(file=stored).exists():
        return True
    if draft.release_id:
        return (stored.photos.filter(version__release_id=draft.release_id).exists()
                or stored.attachments.filter(version__release_id=draft.release_id).exists())
    return False
