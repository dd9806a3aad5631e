"""Writing the record back out: PIB plain text and Pressroom's JSONL."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Prefetch

from pressroom.releases.models import LanguageVersion, Release
from pressroom.releases.pibtext import (
    IST,
    ParsedRelease,
    ParsedVersion,
    format_posted_on,
    render_release_text,
    render_translation_text,
)


def releases(release_ids=None, chunk: int = 1000) -> Iterator[Release]:
    """Releases in Release ID order with their versions, fetched in chunks."""
    qs = Release.objects.select_related("ministry", "bureau").prefetch_related(
        Prefetch("versions", queryset=LanguageVersion.objects.select_related("language")))
    if release_ids:
        qs = qs.filter(release_id__in=release_ids)
    last = -1
    while True:
        page = list(qs.filter(release_id__gt=last).order_by("release_id")[:chunk])
        if not page:
            return
        yield from page
        last = page[-1].release_id


def updated_note(version) -> str:
    """The latest correction's public note as the text layout prints it ("" if none)."""
    if version.revision <= 1:  # nothing to look up (most versions)
        return ""
    latest = version.revisions.order_by("-number").first()
    if latest is None or latest.reason != "correction" or not latest.note:
        return ""
    return f"Updated On: {format_posted_on(latest.replaced_at)}: {latest.note}"


def to_parsed(release: Release) -> ParsedRelease:
    versions = sorted(release.versions.all(), key=lambda v: (not v.is_original, v.language.position))
    return ParsedRelease(
        release.release_id, release.ministry.name, release.bureau.name, release.posted_at,
        [ParsedVersion(
            language=v.language.name, title=v.as_received("title"),
            subtitles=[s for s in v.as_received("subtitles").split("\n") if s],
            paragraphs=[p for p in v.as_received("body_text").split("\n") if p],
            separator=v.as_received("separator"), sign_off=v.as_received("sign_off"),
            pib_id=v.pib_id, visitor_count=v.visitor_count, body_html=v.body_html,
            updated_note=updated_note(v),
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
        }
        for v in versions
    ]


def jsonl_lines(release: Release) -> Iterator[str]:
    for record in jsonl_records(release):
        yield json.dumps(record, ensure_ascii=False) + "\n"
