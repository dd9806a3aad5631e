"""Photos and documents in exports and imports: JSONL records and PIB text bundles.

A JSONL line (or a bundle's ``attachments/media.json``) names each file by a path relative
to itself and its SHA-256: ``{"photos": [{"file": "media/ab/<sha256>.jpg", "sha256": ...,
"caption", "alt_text", "credit", "taken_at"}], "attachments": [{"file", "sha256", "title",
"language"}]}``. Exports copy the originals into that folder; imports check every file
(present, hash as stated, an allowed type) before the release is written, and a release
with a bad file is rejected whole, naming the file.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

MANIFEST = "media.json"  # in a bundle's attachments/ folder


class MediaInputError(ValueError):
    pass


def manifest_of(version, prefix: str = "media/") -> dict | None:
    """A version's media for export, file paths under ``prefix``; None when it has none.
    Reads ``version.photos`` / ``.attachments`` (prefetched by the exporter)."""
    photos = sorted(version.photos.all(), key=lambda p: (p.position, p.id))
    attachments = sorted(version.attachments.all(), key=lambda a: (a.position, a.id))
    if not photos and not attachments:
        return None

    def path(f):
        return f"{prefix}{f.sha256[:2]}/{f.sha256}.{f.extension}"

    return {
        "photos": [{"file": path(p.file), "sha256": p.file.sha256, "caption": p.caption,
                    "alt_text": p.alt_text, "credit": p.credit,
                    "taken_at": p.taken_at.isoformat() if p.taken_at else None} for p in photos],
        "attachments": [{"file": path(a.file), "sha256": a.file.sha256, "title": a.title,
                         "language": a.language_id} for a in attachments],
    }


def copy_files(version, folder: Path, prefix: str = "media/") -> int:
    """Write the version's original files under ``folder`` (as ``manifest_of`` names them)."""
    from .mediastore import original_bytes

    n = 0
    for item in [*version.photos.all(), *version.attachments.all()]:
        f = item.file
        target = folder / f"{prefix}{f.sha256[:2]}/{f.sha256}.{f.extension}"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(original_bytes(f))
            n += 1
    return n


def read(data, base: Path, where: str) -> dict:
    """Check a media description from an import; returns it with absolute ``path``s.
    Raises MediaInputError naming the field or file."""
    from . import mediafiles  # Pillow, only when media come

    if not isinstance(data, dict):
        raise MediaInputError(f"{where}: media must be an object with photos and attachments")
    out = {"photos": [], "attachments": []}
    for kind, required in (("photos", ("alt_text",)), ("attachments", ("title",))):
        items = data.get(kind) or []
        if not isinstance(items, list):
            raise MediaInputError(f"{where}: field {kind!r}: expected a list")
        for n, item in enumerate(items, start=1):
            label = f"{where}: {kind}[{n}]"
            if not isinstance(item, dict) or not isinstance(item.get("file"), str):
                raise MediaInputError(f"{label}: expected an object with a 'file' path")
            rel = item["file"]
            path = (base / rel).resolve()
            if ".." in Path(rel).parts or Path(rel).is_absolute() or not path.is_file():
                raise MediaInputError(f"{label}: file {rel!r} not found beside {base}")
            for key in required:
                if not isinstance(item.get(key), str) or not item[key].strip():
                    raise MediaInputError(f"{label} ({rel}): field {key!r} is required")
            raw = path.read_bytes()
            sha = hashlib.sha256(raw).hexdigest()
            if item.get("sha256") and item["sha256"] != sha:
                raise MediaInputError(f"{label}: {rel} does not match its sha256 (damaged or "
                                      "replaced)")
            try:
                detected = mediafiles.detect(raw, rel)
            except mediafiles.MediaError as e:
                raise MediaInputError(f"{label}: {e}") from e
            if (kind == "photos") != (detected.kind == "image"):
                raise MediaInputError(f"{label}: {rel} is a {detected.label} file, not "
                                      f"{'a photo' if kind == 'photos' else 'a document'}")
            taken = item.get("taken_at")
            if taken is not None:
                try:
                    datetime.fromisoformat(taken)
                except (TypeError, ValueError):
                    raise MediaInputError(f"{label}: taken_at {taken!r} is not an ISO time") from None
            out[kind].append({**item, "path": str(path), "sha256": sha})
    return out


def read_bundle(folder: Path, languages: dict[str, str]) -> dict[str, dict]:
    """A bundle's ``attachments/``: {language name: media}. With ``media.json`` it says which
    file goes where, with captions; without, documents go with the original (titled by file
    name) and photos are refused (they need alt text)."""
    from . import mediafiles

    attachments = folder / "attachments"
    if not attachments.is_dir():
        return {}
    manifest = attachments / MANIFEST
    if manifest.exists():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise MediaInputError(f"{manifest}: not valid JSON ({e})") from e
        if not isinstance(data, dict):
            raise MediaInputError(f"{manifest}: expected {{\"<Language>\": {{photos, attachments}}}}")
        return {lang: read(media, folder, f"{manifest} {lang}") for lang, media in data.items()}
    files = sorted(p for p in attachments.iterdir() if p.is_file())
    docs = []
    for p in files:
        try:
            detected = mediafiles.detect(p.read_bytes(), p.name)
        except mediafiles.MediaError as e:
            raise MediaInputError(f"{p}: {e}") from e
        if detected.kind == "image":
            raise MediaInputError(f"{p}: a photo needs alt text: describe it in "
                                  f"attachments/{MANIFEST}")
        docs.append({"file": f"attachments/{p.name}", "title": p.stem.replace("_", " ")})
    original = languages.get("original")
    return {original: read({"attachments": docs}, folder, str(attachments))} if docs and original \
        else {}


def apply(version, media: dict, *, revise: bool) -> bool:
    """Store the files and make the version hold them; True if its media changed."""
    from django.utils import timezone

    from . import store
    from .models import Language

    known = set(Language.objects.values_list("code", flat=True))
    before = store.media_manifest(version)
    photos = [store.PhotoSpec(store.store_file(Path(p["path"]).read_bytes(), Path(p["path"]).name),
                              p["alt_text"], p.get("caption") or "", p.get("credit") or "",
                              _aware(p.get("taken_at"), timezone)) for p in media["photos"]]
    attachments = [store.AttachmentSpec(
        store.store_file(Path(a["path"]).read_bytes(), Path(a["path"]).name), a["title"],
        a.get("language") if a.get("language") in known else None) for a in media["attachments"]]
    store.set_media(version, photos=photos, attachments=attachments, revise=revise,
                    note="Photos or documents changed by a re-import" if revise else "")
    return store.media_manifest(version) != before


def _aware(value, timezone):
    if not value:
        return None
    when = datetime.fromisoformat(value)
    return when if when.tzinfo else timezone.make_aware(when)
