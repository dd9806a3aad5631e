"""Reading archives: every supported input becomes ParsedRelease records or Rejects.

Supported inputs (files, or folders searched recursively):
- PIB plain text: a standalone ``*.txt`` release with its '(Release ID: N)' trailer;
- translation bundles: a folder ``<release_id>/`` of ``<Language>.txt`` files;
- the public scraper's JSON (``*.json``: one record, or a list of records);
- Pressroom's own export (``*.jsonl``: one language version per line).
Every record is checked field by field (``schema``) as it is read; a bad one is a Reject
naming file, line and field, and reading goes on with the next. Folders are walked without
leaving the paths given: symbolic links are followed only to what lies inside them, and
each folder is entered once (a link to '.' is a loop, not an endless walk).
No Django here: these are pure readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pydantic_core
from pydantic import ValidationError

from pressroom.releases.languages import LANGUAGES, guess_language, language_code
from pressroom.releases.limits import TEXT_MAX
from pressroom.releases.pibtext import (
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

from . import schema

SUFFIXES = {".txt", ".json", ".jsonl"}
LANGUAGE_NAMES = {code: name for code, name, *_ in LANGUAGES}
# Bigger than any release can be (every text field at its limit, as UTF-8 and JSON-escaped),
# so that one huge line or file is refused without being held in memory.
TEXT_FILE_MAX = 8 * TEXT_MAX
JSONL_LINE_MAX = 16 * TEXT_MAX

@dataclass
class Reject:
    source: str
    line: int | None
    reason: str

    def __str__(self):
        where = schema.printable(self.source, 500)
        return f"{where}:{self.line}: {self.reason}" if self.line else f"{where}: {self.reason}"


@dataclass
class Notice:
    """Worth telling, not an error (an empty translation file, say)."""

    source: str
    message: str


@dataclass
class Progress:
    """So many more bytes of the input read (a long file says so as it goes)."""

    nbytes: int


def input_size(path: Path) -> int:
    """Bytes of one input as ``walk`` gives it (a bundle: its text files)."""
    try:
        if path.is_dir():
            return sum(f.stat().st_size for f in path.iterdir() if f.suffix == ".txt" and f.is_file())
        return path.stat().st_size
    except OSError:
        return 0


# --- Where to read: the given paths, and nothing outside them ----------------------------


def _real(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a broken link, a loop of links
        return None


class Tree:
    """The paths given to an import. Links inside them are followed only to what lies
    inside them too: a link to /etc/passwd, or to a folder above, is refused, not read."""

    def __init__(self, paths: list[Path]):
        self.roots = []
        for path in paths:
            if path.is_file() and _stands_for_bundle(path):
                path = path.parent
            real = _real(path)
            if real is not None:
                self.roots.append(real)

    def holds(self, real: Path) -> bool:
        return any(real == root or root in real.parents for root in self.roots)

    def outside(self, path: Path) -> Reject | None:
        """A Reject when ``path`` is a link that leads out of the tree (or nowhere)."""
        if not path.is_symlink():
            return None
        real = _real(path)
        if real is None:
            return Reject(str(path), None, "broken symbolic link (or a loop of links): not read")
        if not self.holds(real):
            return Reject(str(path), None, f"symbolic link to {schema.printable(str(real), 200)}, "
                                           "outside the paths given: not followed")
        return None


def is_bundle(folder: Path) -> bool:
    return folder.name.isdigit() and any(
        f.suffix == ".txt" and language_code(f.stem) for f in folder.iterdir())


def _stands_for_bundle(path: Path) -> bool:
    # A file of a bundle stands for the whole bundle.
    return path.suffix == ".txt" and bool(language_code(path.stem)) and is_bundle(path.parent)


def walk(paths: list[Path], tree: Tree | None = None) -> Iterator[Path | Reject | Notice]:
    """The inputs under the given paths, in a stable order: bundle folders and files, each
    once however many ways lead to it."""
    tree = tree or Tree(paths)
    seen: set[Path] = set()  # real paths of the folders entered and the inputs given out

    def first_time(path: Path) -> bool:
        real = _real(path) or path
        if real in seen:
            return False
        seen.add(real)
        return True

    for path in paths:
        if not path.exists():
            yield Reject(str(path), None, "no such file or folder")
            continue
        if path.is_file():
            if _stands_for_bundle(path):
                path = path.parent
            elif path.suffix not in SUFFIXES:
                yield Reject(str(path), None,
                             f"unsupported file type {path.suffix!r}: expected .txt, .json or .jsonl")
                continue
            if first_time(path):
                yield path
            continue
        if not path.is_dir():
            yield Reject(str(path), None, "not a file or a folder")
            continue
        if not first_time(path):
            continue
        stack = [path]
        while stack:
            folder = stack.pop()
            try:
                if is_bundle(folder):
                    yield folder
                    continue
                children = sorted(folder.iterdir(), key=lambda p: p.name, reverse=True)
            except OSError as e:
                yield Reject(str(folder), None, f"cannot read folder: {e.strerror or e}")
                continue
            for child in children:
                if child.name.startswith(".") or not child.is_dir():
                    continue
                refused = tree.outside(child)
                if refused:
                    yield refused
                elif first_time(child):
                    stack.append(child)
                elif child.is_symlink():
                    yield Notice(str(child), "link to a folder already read (a loop, or a "
                                             "second way to it): not followed again")
            for child in reversed(children):
                if child.suffix not in SUFFIXES:
                    continue
                refused = tree.outside(child)
                if refused:
                    yield refused
                elif child.is_file() and first_time(child):
                    yield child


def read(path: Path, tree: Tree | None = None) -> Iterator[ParsedRelease | Reject | Notice]:
    """Everything one input holds."""
    try:
        if path.is_dir():
            yield from read_bundle(path, tree or Tree([path]))
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


def _read_bytes(path: Path, limit: int = TEXT_FILE_MAX) -> bytes:
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise PibTextError(str(path), None, f"too large: more than {limit:,} bytes, which no "
                                            "release can be")
    return data


# --- PIB plain text and bundles ----------------------------------------------------------

# The shared rules' field names as PIB text calls them.
TEXT_NAMES = {"release_id": "Release ID", "ministry": "ministry", "bureau": "bureau (Posted On)",
              "posted_at": "Posted On", "title": "title", "subtitles": "subtitles",
              "body_text": "body", "separator": "separator (***)", "sign_off": "sign-off",
              "pib_id": "Release ID", "visitor_count": "Visitor Counter"}


def _line_of(raw: bytes, problem: schema.Problem) -> int | None:
    """The line of a text file where a problem is: the refused character, the start of the
    value found, or for the time the 'Posted On' line."""
    value = problem.value
    if isinstance(value, str) and value.strip():
        needle = value[problem.at] if problem.at is not None else value.strip()[:40]
    elif isinstance(value, int) and not isinstance(value, bool):
        needle = str(value)
    else:
        needle = None
    try:
        lines = clean_text(raw).split("\n")
    except UnicodeDecodeError:
        return None
    for n, line in enumerate(lines, start=1):
        if (needle in line) if needle else POSTED_ON.match(clean_line(line)):
            return n
    return None


def _checked(release: ParsedRelease, files: list[tuple[Path, bytes]]) -> list[Reject]:
    """check_release for text: a Reject per file with a problem (files[i] holds version i;
    release-wide fields are in files[0])."""
    try:
        schema.check_release(release, TEXT_NAMES)
    except schema.Invalid as e:
        by_file: dict[int, list[schema.Problem]] = {}
        for p in e.problems:
            by_file.setdefault(p.version or 0, []).append(p)
        return [Reject(str(files[i][0]), _line_of(files[i][1], ps[0]), schema.describe(ps))
                for i, ps in sorted(by_file.items())]
    return []


def read_text_release(path: Path) -> ParsedRelease | Reject:
    """A standalone PIB text file. Its language: the file's name if it is a language's
    ('Hindi.txt'), else the script of its title."""
    raw = _read_bytes(path)
    release = parse_release_text(raw, str(path))
    version = release.versions[0]
    code = language_code(path.stem) or guess_language(version.title)
    version.language = LANGUAGE_NAMES[code]
    rejects = _checked(release, [(path, raw)])
    return rejects[0] if rejects else release


def has_posted_on(path: Path) -> bool:
    head = clean_text(_read_bytes(path)[:6000].decode("utf-8", "ignore")).split("\n")[:40]
    return any(POSTED_ON.match(clean_line(line)) for line in head)


def read_bundle(folder: Path, tree: Tree) -> Iterator[ParsedRelease | Reject | Notice]:
    """A translation bundle: one release, the file with the header as its original."""
    release_id = int(folder.name)
    files = []
    for f in sorted(folder.iterdir()):
        if f.suffix != ".txt":
            continue
        refused = tree.outside(f)
        if refused:
            yield refused
        elif f.is_file():
            files.append(f)
    unknown = [f.name for f in files if not language_code(f.stem)]
    if unknown:
        yield Reject(str(folder / unknown[0]), None,
                     f"unknown language {Path(unknown[0]).stem!r}: bundle files are named "
                     "<Language>.txt (English.txt, Hindi.txt, ...)")
        return
    original = folder / "English.txt"
    if original not in files:
        candidates = [f for f in files if has_posted_on(f)]
        if not candidates:
            yield Reject(str(folder), None, "bundle without an original: expected English.txt or "
                                            "another file with a 'Posted On' header")
            return
        original = candidates[0]
    raw = _read_bytes(original)
    release = parse_release_text(raw, str(original), release_id, language=original.stem)
    release.source = str(folder)
    read_files = [(original, raw)]
    for f in files:
        if f == original:
            continue
        raw = _read_bytes(f)
        version = parse_translation_text(raw, f.stem, release_id, str(f))
        if version is None:
            yield Notice(str(f), "empty translation file skipped")
            continue
        release.versions.append(version)
        read_files.append((f, raw))
    rejects = _checked(release, read_files)
    if not rejects and (folder / "attachments").is_dir():  # photos, documents (releases/mediaio.py)
        from pressroom.releases import mediaio

        try:
            media = mediaio.read_bundle(folder, {"original": original.stem})
        except mediaio.MediaInputError as e:
            rejects = [Reject(str(folder / "attachments"), None, str(e))]
        else:
            for v in release.versions:
                v.media = media.get(v.language, v.media)
    yield from rejects or [release]


# --- The public scraper's JSON ------------------------------------------------------------

SCRAPER_NAMES = {"release_id": "prid", "ministry": "ministry.name", "bureau": "pib_office",
                 "posted_at": "release_datetime", "title": "title", "subtitles": "subtitle",
                 "body_text": "body_text", "separator": "body_text (its *** line)",
                 "sign_off": "body_text (its sign-off)"}
_AT_LINE = re.compile(r"at line (\d+) column \d+")


def scraper_record(record, source: str, line: int | None = None) -> ParsedRelease:
    """One record of the public scraper's schema -> ParsedRelease (English)."""
    try:
        r = schema.ScraperRecord.model_validate(record)
    except ValidationError as e:
        raise schema.Invalid(schema.problems(e)) from None
    paragraphs, separator, sign_off = split_body((r.body_text or "").split("\n"))
    version = ParsedVersion(
        language="English", title=r.title.strip(),
        subtitles=[s.strip() for s in (r.subtitle or "").split("\n") if s.strip()],
        paragraphs=paragraphs, separator=separator, sign_off=sign_off,
    )
    release = ParsedRelease(r.prid, r.ministry.name.strip(), (r.pib_office or "PIB Delhi").strip(),
                            r.release_datetime, [version], source, ministry_pib_id=r.ministry.id)
    schema.check_release(release, SCRAPER_NAMES)
    return release


def _key_line(text: str, field: str) -> int | None:
    """The line of a one-record JSON file where a field's key is."""
    key = re.split(r"[.\[ ]", field, maxsplit=1)[0]
    for n, line in enumerate(text.split("\n"), start=1):
        if f'"{key}"' in line:
            return n
    return None


def read_scraper_json(path: Path) -> Iterator[ParsedRelease | Reject]:
    raw = _read_bytes(path, JSONL_LINE_MAX)
    try:
        # pydantic's parser, not json.loads: it refuses absurd nesting ("[" * 200000) with
        # an error where json.loads raises RecursionError.
        data = pydantic_core.from_json(raw)
    except ValueError as e:
        m = _AT_LINE.search(str(e))
        yield Reject(str(path), int(m[1]) if m else None, f"not valid JSON: {e}")
        return
    if isinstance(data, list) and not data:
        yield Reject(str(path), None, "no records: an empty list")
        return
    if not isinstance(data, list | dict):
        yield Reject(str(path), None, "expected a JSON object with prid, title, ministry, ... "
                                      "or a list of them")
        return
    one = isinstance(data, dict)
    for i, record in enumerate([data] if one else data):
        source = str(path) if one else f"{path}[{i}]"
        try:
            yield scraper_record(record, source)
        except schema.Invalid as e:
            line = _key_line(raw.decode("utf-8", "replace"), e.problems[0].field) if one else None
            yield Reject(source, line, str(e))


# --- Pressroom's own JSONL ---------------------------------------------------------------


def export_record(raw: bytes | str, source: str, line: int) -> tuple[int, ParsedRelease, bool]:
    """One line of Pressroom's JSONL -> (release_id, a one-version release, is original)."""
    try:
        r = schema.JsonlLine.model_validate_json(raw)
    except ValidationError as e:
        if schema.not_json(e):
            raise PibTextError(source, line, schema.json_problem(e)) from None
        raise PibTextError(source, line, schema.describe(schema.problems(e))) from None
    version = ParsedVersion(
        language=r.language, title=r.title,
        subtitles=[s for s in r.subtitles or [] if s.strip()],
        paragraphs=[p for p in (r.body_text or "").split("\n") if p.strip()],
        separator=r.separator or "", sign_off=r.sign_off or "",
        pib_id=r.pib_id, visitor_count=r.visitor_count or 0, body_html=r.body_html,
        media=_media(raw, source, line),
    )
    release = ParsedRelease(r.release_id, r.ministry, r.bureau, r.posted_at, [version],
                            f"{source}:{line}")
    try:
        schema.check_release(release)
    except schema.Invalid as e:
        raise PibTextError(source, line, str(e)) from None
    return r.release_id, release, r.original


def _media(raw, source, line):
    """A line's photos and documents (files beside the JSONL), checked; None if it has none."""
    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    if '"photos"' not in text and '"attachments"' not in text:
        return None
    from pressroom.releases import mediaio

    record = pydantic_core.from_json(text)
    if "photos" not in record and "attachments" not in record:
        return None

    try:
        return mediaio.read({"photos": record.get("photos"), "attachments": record.get("attachments")},
                            Path(source).parent, "media")
    except mediaio.MediaInputError as e:
        raise PibTextError(source, line, str(e)) from e


def _lines(f, limit: int = JSONL_LINE_MAX) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line; None for a line too long to hold."""
    lineno = 0
    while raw := f.readline(limit + 1):
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, raw


def _release_id_of(raw: bytes):
    try:
        record = pydantic_core.from_json(raw)
    except ValueError:
        return None
    return record.get("release_id") if isinstance(record, dict) else None


PROGRESS_BYTES = 1 << 20


def read_jsonl(path: Path) -> Iterator[ParsedRelease | Reject | Progress]:
    """Pressroom's export: consecutive lines with one release_id make one release."""
    current: ParsedRelease | None = None
    has_original, first_line = False, 0
    rejected: dict = {}  # release_id -> line of a rejected line of it
    records = 0

    def finish():
        if current is None:
            return None
        rid = current.release_id
        if not has_original and rid in rejected:
            # Its original was refused: the translations alone would make a release in
            # the wrong language.
            return Reject(str(path), first_line, f"release {rid}: not imported, its original "
                                                 f"version (line {rejected[rid]}) was rejected")
        return current

    with path.open("rb") as f:
        told = 0
        for lineno, raw in _lines(f):
            if lineno % 256 == 0 and (at := f.tell()) - told >= PROGRESS_BYTES:
                yield Progress(at - told)
                told = at
            if raw is None:
                records += 1
                yield Reject(str(path), lineno, f"line too long: more than {JSONL_LINE_MAX:,} "
                                                "bytes, which no release can be")
                continue
            if not raw.strip():
                continue
            records += 1
            try:
                rid, release, original = export_record(raw, str(path), lineno)
            except PibTextError as e:
                rejected.setdefault(_release_id_of(raw), lineno)
                yield Reject(e.source, e.line, e.message)
                continue
            if current is not None and current.release_id == rid:
                if original:
                    current.versions.insert(0, release.versions[0])
                    has_original = True
                else:
                    current.versions.append(release.versions[0])
                continue
            done = finish()
            if done is not None:
                yield done
            current, has_original, first_line = release, original, lineno
    done = finish()
    if done is not None:
        yield done
    if not records:
        yield Reject(str(path), None, "empty file: no records (a .jsonl file holds one JSON "
                                      "object per line)")
