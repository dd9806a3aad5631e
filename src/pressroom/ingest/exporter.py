"""Writing the record back out: PIB plain text and Pressroom's JSONL."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Prefetch

from pressroom.releases import mediaio
from pressroom.releases.models import LanguageVersion, Release
from pressroom.releases.pibtext import (
    IST,
    ParsedRelease,
    ParsedVersion,
    render_release_text,
    render_translation_text,
)


def releases(release_ids=None, chunk: int = 1000) -> Iterator[Release]:
    """Releases in Release ID order with their versions, fetched in chunks."""
    qs = Release.objects.select_related("ministry", "bureau").prefetch_related(
        Prefetch("versions", queryset=LanguageVersion.objects.select_related("language")
                 .prefetch_related("photos__file", "attachments__file")))
    if release_ids:
        qs = qs.filter(release_id__in=release_ids)
    last = -1
    while True:
        page = list(qs.filter(release_id__gt=last).order_by("release_id")[:chunk])
        if not page:
            return
        yield from page
        last = page[-1].release_id


def to_parsed(release: Release) -> ParsedRelease:
    versions = sorted(release.versions.all(), key=lambda v: (not v.is_original, v.language.position))
    return ParsedRelease(
        release.release_id, release.ministry.name, release.bureau.name, release.posted_at,
        [ParsedVersion(
            language=v.language.name, title=v.as_received("title"),
            subtitles=[s for s in v.as_received("subtitles").split("\n") if s],
            paragraphs=[p for p in v.as_received("body_text").split("\n") if p],
            separator=v.as_received("separator"), sign_off=v.as_received("sign_off"),
            pib_id=v.pib_id, visitor_count=v.visitor_count,
        ) for v in versions],
    )


def pib_text(release: Release, language: str | None = None) -> str:
    """One version in the canonical PIB layout; the original unless a language is asked."""
    parsed = to_parsed(release)
    if language is None or parsed.versions[0].language == language:
        return render_release_text(parsed)
    for v in parsed.versions[1:]:
        if v.language == language:
            return render_translation_text(release.release_id, v)
    raise KeyError(language)


def bundle_files(release: Release) -> dict[str, str]:
    """A release as a translation bundle: {'English.txt': text, 'Hindi.txt': text, ...}."""
    parsed = to_parsed(release)
    files = {f"{parsed.versions[0].language}.txt": render_release_text(parsed)}
    for v in parsed.versions[1:]:
        files[f"{v.language}.txt"] = render_translation_text(release.release_id, v)
    return files


def jsonl_records(release: Release) -> list[dict]:
    """Pressroom's JSONL schema: one record per language version, the original first.

    See README.md ("JSONL export schema").
    """
    versions = sorted(release.versions.all(), key=lambda v: (not v.is_original, v.language.position))
    codes = [v.language_id for v in versions]
    return [
        {
            "release_id": release.release_id,
            "language": v.language_id,
            "language_name": v.language.name,
            "original": v.is_original,
            "pib_id": v.pib_id,
            "ministry": release.ministry.name,
            "bureau": release.bureau.name,
            "posted_at": release.posted_at.astimezone(IST).isoformat(),
            # Text as received: NFC made the stored copy; export gives back every byte.
            "title": v.as_received("title"),
            "subtitles": [s for s in v.as_received("subtitles").split("\n") if s],
            "body_text": v.as_received("body_text"),
            "body_html": v.body_html,
            "separator": v.as_received("separator"),
            "sign_off": v.as_received("sign_off"),
            "visitor_count": v.visitor_count,
            "revision": v.revision,
            "status": release.status,
            "versions": [c for c in codes if c != v.language_id],
            # Photos and documents, where the version has any (releases/mediaio.py).
            **(mediaio.manifest_of(v) or {}),
        }
        for v in versions
    ]


def jsonl_lines(release: Release) -> Iterator[str]:
    for record in jsonl_records(release):
        yield json.dumps(record, ensure_ascii=False) + "\n"


def bundle_media(release, folder) -> None:
    """A bundle's attachments/: the versions' files and media.json saying which is which."""
    import json

    versions = sorted(release.versions.all(), key=lambda v: (not v.is_original, v.language.position))
    manifest = {v.language.name: m for v in versions
                if (m := mediaio.manifest_of(v, prefix="attachments/"))}
    if not manifest:
        return
    (folder / "attachments").mkdir(exist_ok=True)
    for v in versions:
        mediaio.copy_files(v, folder, prefix="attachments/")
    (folder / "attachments" / mediaio.MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def jsonl_media_files(release, folder) -> None:
    """The originals a JSONL export refers to (media/ab/<sha256>.<ext> beside the file)."""
    for v in release.versions.all():
        mediaio.copy_files(v, folder)
