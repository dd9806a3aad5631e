"""Reading archives: every supported input becomes ParsedRelease records or Rejects.

Supported inputs (files, or folders searched recursively):
- PIB plain text: a standalone ``*.txt`` release with its '(Release ID: N)' trailer;
- translation bundles: a folder ``<release_id>/`` of ``<Language>.txt`` files;
- the public scraper's JSON (``*.json``: one record, or a list of records);
- Pressroom's own export (``*.jsonl``: one language version per line).
No Django here: these are pure readers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pressroom.releases.languages import LANGUAGES, guess_language, language_code
from pressroom.releases.pibtext import (
    IST,
    POSTED_ON,
    ParsedRelease,
    ParsedVersion,
    PibTextError,
    clean_line,
    clean_text,
    parse_release_text,
    parse_translation_text,
    split_body,
)

SUFFIXES = {".txt", ".json", ".jsonl"}
LANGUAGE_NAMES = {code: name for code, name, *_ in LANGUAGES}


@dataclass
class Reject:
    source: str
    line: int | None
    reason: str

    def __str__(self):
        return f"{self.source}:{self.line}: {self.reason}" if self.line else (
            f"{self.source}: {self.reason}")


@dataclass
class Notice:
    """Worth telling, not an error (an empty translation file, say)."""

    source: str
    message: str


def is_bundle(folder: Path) -> bool:
    return folder.name.isdigit() and any(
        f.suffix == ".txt" and language_code(f.stem) for f in folder.iterdir())


def walk(paths: list[Path]) -> Iterator[Path | Reject]:
    """The inputs under the given paths, in a stable order: bundle folders and files."""
    seen = set()
    for path in paths:
        if not path.exists():
            yield Reject(str(path), None, "no such file or folder")
            continue
        if path.is_file():
            folder = path.parent
            if path.suffix == ".txt" and language_code(path.stem) and is_bundle(folder):
                path = folder  # a file of a bundle stands for the whole bundle
            elif path.suffix not in SUFFIXES:
                yield Reject(str(path), None,
                             f"unsupported file type {path.suffix!r}: expected .txt, .json or .jsonl")
                continue
            if path not in seen:
                seen.add(path)
                yield path
            continue
        stack = [path]
        while stack:
            folder = stack.pop()
            if is_bundle(folder):
                if folder not in seen:
                    seen.add(folder)
                    yield folder
                continue
            children = sorted(folder.iterdir(), key=lambda p: p.name, reverse=True)
            for child in children:
                if child.is_dir() and not child.name.startswith("."):
                    stack.append(child)
            for child in reversed(children):
                if child.is_file() and child.suffix in SUFFIXES and child not in seen:
                    seen.add(child)
                    yield child


def read(path: Path) -> Iterator[ParsedRelease | Reject | Notice]:
    """Everything one input holds."""
    try:
        if path.is_dir():
            yield from read_bundle(path)
        elif path.suffix == ".jsonl":
            yield from read_jsonl(path)
        elif path.suffix == ".json":
            yield from read_scraper_json(path)
        else:
            yield read_text_release(path)
    except PibTextError as e:
        yield Reject(e.source, e.line, e.message)
    except OSError as e:
        yield Reject(str(path), None, f"cannot read: {e.strerror or e}")


def read_text_release(path: Path) -> ParsedRelease:
    """A standalone PIB text file. Its language: the file's name if it is a language's
    ('Hindi.txt'), else the script of its title."""
    release = parse_release_text(path.read_bytes(), str(path))
    version = release.versions[0]
    code = language_code(path.stem) or guess_language(version.title)
    version.language = LANGUAGE_NAMES[code]
    return release


def has_posted_on(path: Path) -> bool:
    head = clean_text(path.read_bytes()[:6000].decode("utf-8", "ignore")).split("\n")[:40]
    return any(POSTED_ON.match(clean_line(line)) for line in head)


def read_bundle(folder: Path) -> Iterator[ParsedRelease | Reject | Notice]:
    """A translation bundle: one release, the file with the header as its original."""
    release_id = int(folder.name)
    files = sorted(f for f in folder.iterdir() if f.is_file() and f.suffix == ".txt")
    unknown = [f.name for f in files if not language_code(f.stem)]
    if unknown:
        yield Reject(str(folder / unknown[0]), None,
                     f"unknown language {Path(unknown[0]).stem!r}: bundle files are named "
                     "<Language>.txt (English.txt, Hindi.txt, ...)")
        return
    original = folder / "English.txt"
    if not original.exists():
        candidates = [f for f in files if has_posted_on(f)]
        if not candidates:
            yield Reject(str(folder), None, "bundle without an original: expected English.txt or "
                                            "another file with a 'Posted On' header")
            return
        original = candidates[0]
    release = parse_release_text(original.read_bytes(), str(original), release_id,
                                 language=original.stem)
    release.source = str(folder)
    for f in files:
        if f == original:
            continue
        version = parse_translation_text(f.read_bytes(), f.stem, release_id, str(f))
        if version is None:
            yield Notice(str(f), "empty translation file skipped")
            continue
        release.versions.append(version)
    if (folder / "attachments").is_dir():  # photos and documents (releases/mediaio.py)
        from pressroom.releases import mediaio

        try:
            media = mediaio.read_bundle(folder, {"original": original.stem})
        except mediaio.MediaInputError as e:
            yield Reject(str(folder / "attachments"), None, str(e))
            return
        for v in release.versions:
            v.media = media.get(v.language, v.media)
    yield release


def _need(record: dict, key: str, kind, source: str, line: int | None):
    value = record.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise PibTextError(source, line, f"field {key!r}: expected {_kind_name(kind)}, "
                                         f"found {json.dumps(value, ensure_ascii=False)[:60]}")
    return value


def _kind_name(kind):
    names = {str: "text", int: "a number", dict: "an object", list: "a list", bool: "true/false"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def _datetime(value: str, key: str, source: str, line: int | None) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise PibTextError(source, line, f"field {key!r}: expected an ISO 8601 date and time, "
                                         f"found {value!r}") from None
    # The scraper gives Indian Standard Time without an offset.
    return dt if dt.tzinfo else dt.replace(tzinfo=IST)


def scraper_record(record, source: str, line: int | None = None) -> ParsedRelease:
    """One record of the public scraper's schema -> ParsedRelease (English)."""
    if not isinstance(record, dict):
        raise PibTextError(source, line, "expected a JSON object with prid, title, ministry, ...")
    prid = record.get("prid")
    if isinstance(prid, str) and prid.isdigit():
        prid = int(prid)
    if not isinstance(prid, int) or isinstance(prid, bool) or prid <= 0:
        raise PibTextError(source, line, f"field 'prid': expected a positive Release ID, "
                                         f"found {prid!r}")
    title = _need(record, "title", str, source, line).strip()
    ministry = _need(record, "ministry", (dict, str), source, line)
    ministry_pib_id = None
    if isinstance(ministry, dict):
        ministry_pib_id = ministry.get("id") if isinstance(ministry.get("id"), int) else None
        ministry = _need(ministry, "name", str, source, line)
    posted_at = _datetime(_need(record, "release_datetime", str, source, line),
                          "release_datetime", source, line)
    subtitle = record.get("subtitle") or ""
    if not isinstance(subtitle, str):
        raise PibTextError(source, line, "field 'subtitle': expected text or null")
    body = record.get("body_text") or ""
    if not isinstance(body, str):
        raise PibTextError(source, line, "field 'body_text': expected text")
    paragraphs, separator, sign_off = split_body(body.split("\n"))
    version = ParsedVersion(
        language="English", title=title,
        subtitles=[s.strip() for s in subtitle.split("\n") if s.strip()],
        paragraphs=paragraphs, separator=separator, sign_off=sign_off,
    )
    bureau = record.get("pib_office") or "PIB Delhi"
    if not isinstance(bureau, str):
        raise PibTextError(source, line, "field 'pib_office': expected text")
    return ParsedRelease(prid, ministry.strip(), bureau.strip(), posted_at, [version], source,
                         ministry_pib_id=ministry_pib_id)


def read_scraper_json(path: Path) -> Iterator[ParsedRelease | Reject]:
    try:
        data = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        yield Reject(str(path), getattr(e, "lineno", None), f"not valid JSON: {e}")
        return
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records):
        try:
            yield scraper_record(record, f"{path}[{i}]" if isinstance(data, list) else str(path))
        except PibTextError as e:
            yield Reject(e.source, e.line, e.message)


def export_record(record, source: str, line: int) -> tuple[int, ParsedRelease, bool]:
    """One line of Pressroom's JSONL -> (release_id, a one-version release, is original)."""
    if not isinstance(record, dict):
        raise PibTextError(source, line, "expected a JSON object per line")
    rid = _need(record, "release_id", int, source, line)
    lang = _need(record, "language", str, source, line)
    if not language_code(lang):
        raise PibTextError(source, line, f"field 'language': unknown language {lang!r}")
    subtitles = record.get("subtitles") or []
    if isinstance(subtitles, str):
        subtitles = subtitles.split("\n")
    if not isinstance(subtitles, list) or not all(isinstance(s, str) for s in subtitles):
        raise PibTextError(source, line, "field 'subtitles': expected a list of text")
    body_text = record.get("body_text") or ""
    body_html = record.get("body_html")
    for key, value in (("body_text", body_text), ("body_html", body_html or "")):
        if not isinstance(value, str):
            raise PibTextError(source, line, f"field {key!r}: expected text")
    pib_id = record.get("pib_id")
    if pib_id is not None and (not isinstance(pib_id, int) or isinstance(pib_id, bool)):
        raise PibTextError(source, line, "field 'pib_id': expected a number or null")
    count = record.get("visitor_count") or 0
    if not isinstance(count, int) or count < 0:
        raise PibTextError(source, line, "field 'visitor_count': expected a whole number >= 0")
    version = ParsedVersion(
        language=lang, title=_need(record, "title", str, source, line),
        subtitles=[s for s in subtitles if s.strip()],
        paragraphs=[p for p in body_text.split("\n") if p.strip()],
        separator=record.get("separator") or "", sign_off=record.get("sign_off") or "",
        pib_id=pib_id, visitor_count=count, body_html=body_html, media=_media(record, source, line),
    )
    release = ParsedRelease(
        rid, _need(record, "ministry", str, source, line), _need(record, "bureau", str, source, line),
        _datetime(_need(record, "posted_at", str, source, line), "posted_at", source, line),
        [version], f"{source}:{line}",
    )
    return rid, release, bool(record.get("original", True))


def _media(record, source, line):
    """A line's photos and documents (files beside the JSONL), checked; None if it has none."""
    if "photos" not in record and "attachments" not in record:
        return None
    from pressroom.releases import mediaio

    try:
        return mediaio.read({"photos": record.get("photos"), "attachments": record.get("attachments")},
                            Path(source).parent, "media")
    except mediaio.MediaInputError as e:
        raise PibTextError(source, line, str(e)) from e


def read_jsonl(path: Path) -> Iterator[ParsedRelease | Reject]:
    """Pressroom's export: consecutive lines with one release_id make one release."""
    current: ParsedRelease | None = None
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
                rid, release, original = export_record(record, str(path), lineno)
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                yield Reject(str(path), lineno, f"not valid JSON: {e}")
                continue
            except PibTextError as e:
                yield Reject(e.source, e.line, e.message)
                continue
            if current is not None and current.release_id == rid:
                if original:
                    current.versions.insert(0, release.versions[0])
                else:
                    current.versions.append(release.versions[0])
                continue
            if current is not None:
                yield current
            current = release
    if current is not None:
        yield current
