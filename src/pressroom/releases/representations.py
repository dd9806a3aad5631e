"""A release as readers get it: every shape of it in one place.

Pages, feeds, sitemaps, the API, search hits, the JSONL export and the PIB text export all
turn releases into their formats here, so a field is named, ordered and timed one way
everywhere. Functions take releases loaded by `queries.releases_with_versions` (ministry,
bureau and versions with their languages at hand) and do no queries of their own.

Sections: the order of versions and a version's modified time; PIB text; the JSONL record
(README "JSONL export schema": keep it byte for byte, import reads it back); the API
payloads; a search hit; a feed item; the release page (context, schema.org, Open Graph).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime

from django.utils.text import Truncator

from pressroom.urlcache import reverse_cached

from . import mediaio
from .models import LanguageVersion, Release
from .names import name_in, names_of
from .pibtext import (
    IST,
    ParsedRelease,
    ParsedVersion,
    format_posted_on,
    render_release_text,
    render_translation_text,
)

# --- Order and time -----------------------------------------------------------------------


def version_order(v: LanguageVersion) -> tuple:
    """The one order of a release's versions: the original, then by the Language table."""
    return (not v.is_original, v.language.position)


def ordered_versions(release: Release) -> list[LanguageVersion]:
    return sorted(release.versions.all(), key=version_order)


def modified_at(release: Release, version: LanguageVersion) -> datetime:
    """When this version last changed for its readers (sitemap lastmod, Atom <updated>,
    article:modified_time, schema.org dateModified), in IST: see `own_time`."""
    return own_time(release.posted_at, release.status, release.updated_at, version.revision,
                    version.translates_revision, version.updated_at)


def own_time(posted_at, status, release_updated_at, revision, translates_revision,
             version_updated_at) -> datetime:
    """The release's own time, not the record's: an imported release nobody changed was last
    modified when it was posted, though its rows were written on the day of the import. A
    correction or changed re-import (a revision), a translation made in the newsroom, or a
    withdrawal is a change, at the time it was made. HTTP validators (ETag, Last-Modified)
    follow the rows' update times instead: they must change whenever the bytes do.
    (Plain values, so a sitemap can work it out from a narrow scan of rows.)
    """
    times = [posted_at]
    if revision > 1 or translates_revision is not None:
        times.append(version_updated_at)
    if status != Release.Status.PUBLISHED:
        times.append(release_updated_at)
    return max(times).astimezone(IST)


def record_updated_at(release: Release, versions) -> datetime:
    """When the record of a release last changed (any row), in IST: the API's `updated_at`,
    for clients that sync changes."""
    return max([release.updated_at] + [v.updated_at for v in versions]).astimezone(IST)


# --- PIB text -----------------------------------------------------------------------------


def to_parsed(release: Release) -> ParsedRelease:
    """The release as pibtext's parsed form, text as it was received."""
    return ParsedRelease(
        release.release_id, release.ministry.name, release.bureau.name, release.posted_at,
        [ParsedVersion(
            language=v.language.name, title=v.as_received("title"),
            subtitles=[s for s in v.as_received("subtitles").split("\n") if s],
            paragraphs=[p for p in v.as_received("body_text").split("\n") if p],
            separator=v.as_received("separator"), sign_off=v.as_received("sign_off"),
            pib_id=v.pib_id, visitor_count=v.visitor_count,
            # For the layout only: lists and tables are written from the HTML, and the
            # latest correction's note is printed.
            body_html=v.body_html, updated_note=updated_note(v),
        ) for v in ordered_versions(release)],
    )


def updated_note(version) -> str:
    """The latest correction's public note as the text layout prints it ("" if none)."""
    if version.revision <= 1:  # nothing to look up (most versions)
        return ""
    latest = version.revisions.order_by("-number").first()
    if latest is None or latest.reason != "correction" or not latest.note:
        return ""
    return f"Updated On: {format_posted_on(latest.replaced_at)}: {latest.note}"


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


# --- The JSONL record ---------------------------------------------------------------------


def jsonl_records(release: Release) -> list[dict]:
    """Pressroom's JSONL schema: one record per language version, the original first.

    See README.md ("JSONL export schema"). `pressroom import` reads these back: change a
    field here and there together.
    """
    versions = ordered_versions(release)
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


# --- The API ------------------------------------------------------------------------------
# `absolute` turns a path into a full URL (request.build_absolute_uri).

Absolute = Callable[[str], str]


def named(obj) -> dict:
    return {"slug": obj.slug, "name": obj.name}


def named_in_languages(obj) -> dict:
    """named() with the name in every language it has (api.schemas.NamedInLanguages)."""
    return {**named(obj), "names": names_of(obj)}


def api_summary(release: Release, absolute: Absolute) -> dict:
    """A release in a list (api.schemas.ReleaseSummary); wants `with_display_versions`."""
    shown = release.shown
    return {
        "release_id": release.release_id, "posted_at": release.posted_at.astimezone(IST),
        "ministry": named(release.ministry), "bureau": named(release.bureau),
        "status": release.status,
        "language": shown.language_id if shown else "", "title": shown.title if shown else "",
        "languages": [lang.code for lang in release.languages],
        "url": absolute(shown.get_absolute_url() if shown else release.get_absolute_url()),
        "api_url": absolute(reverse_cached("api:get_release", (release.release_id,))),
    }


def api_release(release: Release, absolute: Absolute, requested_id: int,
                requested: LanguageVersion | None = None) -> dict:
    """One release with every version (api.schemas.ReleaseOut). Times carry the IST offset."""
    versions = ordered_versions(release)
    return {
        "release_id": release.release_id, "requested_id": requested_id,
        "requested_language": requested.language_id if requested else None,
        "posted_at": release.posted_at.astimezone(IST),
        "updated_at": record_updated_at(release, versions),
        "ministry": named_in_languages(release.ministry),
        "bureau": named_in_languages(release.bureau),
        "status": release.status, "status_note": release.status_note,
        "url": absolute(release.get_absolute_url()),
        "text_url": absolute(reverse_cached("website:release_text", (release.release_id,))),
        "versions": [{
            "language": v.language_id, "language_name": v.language.name, "original": v.is_original,
            "pib_id": v.pib_id, "title": v.title, "subtitles": v.subtitle_list,
            "body_text": v.body_text, "body_html": v.body_html, "separator": v.separator,
            "sign_off": v.sign_off, "visitor_count": v.visitor_count, "revision": v.revision,
            "updated_at": v.updated_at.astimezone(IST), "url": absolute(v.get_absolute_url()),
        } for v in versions],
    }


def release_json(release: Release, absolute: Absolute) -> dict:
    """/release/<id>.json: the release's URL and its JSONL records."""
    return {"release_id": release.release_id, "url": absolute(release.get_absolute_url()),
            "versions": jsonl_records(release)}


# --- A search hit -------------------------------------------------------------------------


def search_hit(version: LanguageVersion, absolute: Absolute, *, title_html: str, snippet_html: str,
               id_match: bool) -> dict:
    """One hit of a search (search.api.HitOut); the HTML parts come from search's snippets."""
    r = version.release
    return {
        "release_id": r.release_id, "pib_id": version.pib_id, "language": version.language_id,
        "language_name": version.language.name, "direction": version.language.direction,
        "original": version.is_original, "title": version.title, "title_html": title_html,
        "snippet_html": snippet_html, "ministry": r.ministry.name, "bureau": r.bureau.name,
        "posted_at": r.posted_at.astimezone(IST), "status": r.status, "id_match": id_match,
        "url": absolute(version.get_absolute_url()),
    }


# --- A feed item --------------------------------------------------------------------------


def feed_item(version: LanguageVersion) -> dict:
    """What a feed says of a version (website.feeds makes it XML-safe and picks the flavour)."""
    r = version.release
    return {
        "title": version.title, "link": version.get_absolute_url(),
        "published": r.posted_at.astimezone(IST), "updated": modified_at(r, version),
        # Names as the entry's own language prints them (English where not translated).
        "author": name_in(r.ministry, version.language_id)[0],
        "categories": [name_in(r.ministry, version.language_id)[0],
                       name_in(r.bureau, version.language_id)[0]],
        "language": version.language_id, "body_html": version.body_html,
    }


# --- The release page ---------------------------------------------------------------------

PUBLISHER = "Press Information Bureau, Government of India"


def release_page_context(request, release, version, versions, revisions, modified=None,
                         **extra) -> dict:
    """What the release template (website/release_detail.html) needs. The public page and
    the newsroom's preview both render it from here; `modified` defaults to the version's
    own time (`modified_at`)."""
    original = next((v for v in versions if v.is_original), None)
    for v in versions:
        v.path = v.get_absolute_url()
    canonical = request.build_absolute_uri(version.path)
    version_urls = {v.language_id: request.build_absolute_uri(v.path) for v in versions}
    description = first_words(version.body_text, 40)
    return {
        "release": release, "version": version, "versions": versions, "original": original,
        "revisions": revisions, "canonical_url": canonical, "version_urls": version_urls,
        "modified": modified or modified_at(release, version),
        "visitor_count": version.visitor_count,
        "description": description,
        "text_url": reverse_cached("website:release_text", (release.release_id,)),
        "json_url": reverse_cached("website:release_json", (release.release_id,)),
        "og_locale": open_graph_locale(version),
        "article": news_article(release, version, canonical, version_urls, description),
        **extra,
    }


def first_words(text: str, n: int) -> str:
    """The first n words and "…" where there are more: Truncator(text).words(n), without
    splitting the whole body (a tenth of a release page's first render at 500 words)."""
    words = text.split(None, n)
    if len(words) <= n:
        return " ".join(words)
    return Truncator(" ".join(words[:n]) + " more").words(n)  # n + 1 words: Django's ending


def news_article(release, version, url: str, versions_urls: dict[str, str],
                 description: str = "") -> dict:
    """schema.org NewsArticle (JSON-LD) for one language version.

    The body is on the page already: a description, not `articleBody`, keeps pages small."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "identifier": str(version.pib_id or release.release_id),
        "headline": version.title[:300],
        "inLanguage": version.language_id,
        "datePublished": release.posted_at.astimezone(IST).isoformat(),
        "dateModified": modified_at(release, version).isoformat(),
        "articleSection": release.ministry.name,
        "author": {"@type": "GovernmentOrganization", "name": release.ministry.name},
        "publisher": {"@type": "GovernmentOrganization", "name": PUBLISHER},
        "sourceOrganization": {"@type": "GovernmentOrganization", "name": release.bureau.name},
        "description": description,
    }
    if version.subtitle_list:
        data["alternativeHeadline"] = version.subtitle_list[0]
    if not version.is_original:
        original = versions_urls.get(release.original_language_id)
        if original:
            data["translationOfWork"] = {"@id": original}
    others = [u for code, u in versions_urls.items() if code != version.language_id]
    if others and version.is_original:
        data["workTranslation"] = [{"@id": u} for u in others]
    return data


def open_graph_locale(version) -> str:
    return f"{version.language_id}_IN"
