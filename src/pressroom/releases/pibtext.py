"""The PIB plain-text layout: parse it and render it. Pure functions, no Django.

A full release (English.txt, or any standalone file) looks like this; the seed in
``shared/seed`` is the canonical form, real scrapes come in a compact form with no
indentation and no blank lines::

          <Ministry>

          <Title>
          [<subtitle lines>]
          Posted On: 04 OCT 2018 5:19PM by PIB Delhi


        <paragraph>             (one paragraph per non-blank line)
        [***********]           (separator before the sign-off)
        SRR/Nampi/DK/Rajib      (sign-off)
        (Release ID: 1548606) Visitor Counter : 1100      (optional trailer)

A translation (the other ``<Language>.txt`` files of a bundle) has no header: its first
line is the title, then the body; it inherits ministry, time and bureau from the original.
Blank lines and indentation carry no meaning in the body, except that in the canonical
layout the title block is indented deeper than the body, which is how subtitles of a
translation are told from its first paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

# 'Posted On' as English pages print it; translated pages put their own label before the
# colon (Hindi: 'प्रविष्टि तिथि') and keep PIB's date format, so any short label is taken.
POSTED_ON = re.compile(
    r"^(?P<label>Posted\s+On|[^:\d]{1,40}?)\s*:\s*(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3})[A-Za-z]*\s+"
    r"(?P<year>\d{4})\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[AaPp][Mm])\s+"
    r"(?:by|द्वारा)\s+(?P<bureau>\S.*?)\s*$",
    re.IGNORECASE,
)
TRAILER = re.compile(
    r"^\(\s*Release\s+ID\s*:\s*(?P<id>\d+)\s*\)\s*(?:Visitor\s+Counter\s*:\s*(?P<count>\d+))?$",
    re.IGNORECASE,
)
SEPARATOR = re.compile(r"^\*{3,}$")
# Sign-off initials as PIB prints them: short, slash-separated, no sentence.
SIGN_OFF = re.compile(r"^[^\s/][^/]{0,40}(?:/[^/]{1,40}){1,12}$")

# Title block and body indentation of the canonical layout (the seed's).
HEAD_INDENT = " " * 6
BODY_INDENT = " " * 4


class PibTextError(ValueError):
    """Not a PIB release; says where and what was expected."""

    def __init__(self, source: str, line: int | None, message: str):
        self.source, self.line, self.message = source, line, message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedVersion:
    """One language version as read from text: all content, no database."""

    language: str  # English name of the language, as in bundle file names ("Hindi")
    title: str
    subtitles: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    separator: str = ""
    sign_off: str = ""
    pib_id: int | None = None  # the Release ID printed in this version's trailer
    visitor_count: int | None = None
    body_html: str | None = None  # given by sources that carry HTML (Pressroom's JSONL)
    media: dict | None = None  # photos and documents, checked (releases.mediaio.read)
    updated_note: str = ""  # for export: "Updated On: <time>: <note>" of the latest correction


@dataclass
class ParsedRelease:
    release_id: int
    ministry: str
    bureau: str
    posted_at: datetime
    versions: list[ParsedVersion]  # the original first
    source: str = ""
    ministry_pib_id: int | None = None


@dataclass
class ParsedHeader:
    ministry: str
    title: str
    subtitles: list[str]
    posted_at: datetime
    bureau: str


def clean_text(raw: str | bytes) -> str:
    """Text as real files have it made regular: BOM, CR/CRLF. (Unicode NFC is applied when
    the record is written, which keeps the text as received too.)"""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    raw = raw.removeprefix("\ufeff")
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def clean_line(line: str) -> str:
    """A line without its indentation and trailing space (NBSP and zero-width too)."""
    return line.strip(" \t\u00a0\u200b\ufeff\u3000\f\v")


def _numbered(text: str) -> list[tuple[int, str, str]]:
    """(line number, stripped line, raw line) for every line."""
    return [(n, clean_line(raw), raw) for n, raw in enumerate(text.split("\n"), start=1)]


def parse_posted_on(line: str, source: str = "", lineno: int | None = None):
    """'Posted On: 04 OCT 2018 5:19PM by PIB Delhi' -> (aware datetime in IST, bureau)."""
    m = POSTED_ON.match(line)
    if not m:
        raise PibTextError(
            source, lineno, "expected 'Posted On: DD MON YYYY H:MMAM by <bureau>', "
            f"found {line[:80]!r}"
        )
    month = m["month"].upper()
    if month not in MONTHS:
        raise PibTextError(source, lineno, f"unknown month {m['month']!r} in 'Posted On'")
    hour, minute = int(m["hour"]), int(m["minute"])
    if not (1 <= hour <= 12 and minute < 60):
        raise PibTextError(source, lineno, f"impossible time {m['hour']}:{m['minute']}")
    hour = hour % 12 + (12 if m["ampm"].upper() == "PM" else 0)
    try:
        posted = datetime(int(m["year"]), MONTHS.index(month) + 1, int(m["day"]), hour, minute,
                          tzinfo=IST)
    except ValueError as e:
        raise PibTextError(source, lineno, f"impossible date in 'Posted On': {e}") from None
    return posted, m["bureau"]


def format_posted_on(posted_at: datetime) -> str:
    """An aware datetime as PIB prints it, in IST: '04 OCT 2018 5:19PM'."""
    t = posted_at.astimezone(IST)
    hour = t.hour % 12 or 12
    return f"{t.day:02d} {MONTHS[t.month - 1]} {t.year} {hour}:{t.minute:02d}{'AM' if t.hour < 12 else 'PM'}"


def _split_trailer(lines, source):
    """Take the '(Release ID: N) Visitor Counter : N' line off the end, if there."""
    content = [item for item in lines if item[1]]
    if content:
        n, text, _ = content[-1]
        m = TRAILER.match(text)
        if m:
            count = int(m["count"]) if m["count"] is not None else None
            return [item for item in lines if item[0] < n], int(m["id"]), count
    return lines, None, None


def _split_body(lines):
    return split_body([text for _, text, _ in lines])


def split_body(texts: list[str]) -> tuple[list[str], str, str]:
    """Body lines -> (paragraphs, separator, sign-off). Blank lines carry no meaning.

    The last line of stars separates the sign-off; without one, a last line that looks
    like slash-separated initials is the sign-off.
    """
    texts = [t for t in (clean_line(t) for t in texts) if t]
    for i in range(len(texts) - 1, -1, -1):
        if SEPARATOR.match(texts[i]):
            return texts[:i], texts[i], "\n".join(texts[i + 1 :])
    if texts and looks_like_sign_off(texts[-1]):
        return texts[:-1], "", texts[-1]
    return texts, "", ""


def looks_like_sign_off(text: str) -> bool:
    return (
        len(text) <= 120
        and bool(SIGN_OFF.match(text))
        and not text.endswith((".", ":", "?", "!"))
        and len(text.split()) <= 12
    )


def parse_header(lines, source: str):
    """Find 'Posted On' and read ministry, title and subtitles above it.

    Returns (ParsedHeader, the lines after the header).
    """
    for i, (n, text, _) in enumerate(lines):
        if POSTED_ON.match(text) or text.lower().startswith("posted on"):
            posted_at, bureau = parse_posted_on(text, source, n)
            above = [t for _, t, _ in lines[:i] if t]
            if len(above) < 2:
                raise PibTextError(
                    source, n, "expected the ministry and the title above 'Posted On', "
                    f"found {len(above)} line(s)"
                )
            return (
                ParsedHeader(above[0], above[1], above[2:], posted_at, bureau),
                lines[i + 1 :],
            )
    first = next(((n, t) for n, t, _ in lines if t), None)
    if first is None:
        raise PibTextError(source, 1, "empty file: expected a PIB release")
    raise PibTextError(
        source, first[0], "expected a 'Posted On: DD MON YYYY H:MMAM by <bureau>' line "
        f"below the ministry and title; this is not a PIB release (starts {first[1][:60]!r})"
    )


def parse_release_text(raw: str | bytes, source: str = "<text>", release_id: int | None = None,
                       language: str = "English") -> ParsedRelease:
    """A full release (with the 'Posted On' header) -> ParsedRelease with one version.

    ``release_id`` comes from the bundle folder when the text has no trailer.
    """
    try:
        text = clean_text(raw)
    except UnicodeDecodeError as e:
        raise PibTextError(source, None, f"not UTF-8 text ({e})") from None
    lines, trailer_id, count = _split_trailer(_numbered(text), source)
    header, body = parse_header(lines, source)
    rid = trailer_id if trailer_id is not None else release_id
    if rid is None:
        raise PibTextError(
            source, len(lines) or 1, "no Release ID: expected a '(Release ID: N)' line at the "
            "end, or the file in a bundle folder named by its Release ID"
        )
    if release_id is not None and trailer_id is not None and trailer_id != release_id:
        # PIB gives a version its own ID; the folder names the release.
        rid = release_id
    paragraphs, separator, sign_off = _split_body(body)
    version = ParsedVersion(
        language=language,
        title=header.title,
        subtitles=header.subtitles,
        paragraphs=paragraphs,
        separator=separator,
        sign_off=sign_off,
        pib_id=trailer_id if trailer_id is not None and trailer_id != rid else None,
        visitor_count=count,
    )
    return ParsedRelease(rid, header.ministry, header.bureau, header.posted_at, [version], source)


def parse_translation_text(raw: str | bytes, language: str, release_id: int,
                           source: str = "<text>") -> ParsedVersion | None:
    """A translation file of a bundle -> ParsedVersion, or None when it is empty."""
    try:
        text = clean_text(raw)
    except UnicodeDecodeError as e:
        raise PibTextError(source, None, f"not UTF-8 text ({e})") from None
    lines, trailer_id, count = _split_trailer(_numbered(text), source)
    content = [item for item in lines if item[1]]
    if not content:
        return None
    n, title, raw_title = content[0]
    if POSTED_ON.match(title) or SEPARATOR.match(title):
        raise PibTextError(source, n, f"expected the title of the {language} version, "
                                      f"found {title[:60]!r}")
    indent = _indent(raw_title)
    subtitles = []
    rest = lines[lines.index(content[0]) + 1 :]
    if indent > len(BODY_INDENT):
        # Canonical layout: subtitles sit right under the title at the title's indentation.
        while rest and rest[0][1] and _indent(rest[0][2]) == indent:
            subtitles.append(rest.pop(0)[1])
    paragraphs, separator, sign_off = _split_body(rest)
    return ParsedVersion(
        language=language,
        title=title,
        subtitles=subtitles,
        paragraphs=paragraphs,
        separator=separator,
        sign_off=sign_off,
        pib_id=trailer_id if trailer_id is not None and trailer_id != release_id else None,
        visitor_count=count,
    )


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip(" \t\u00a0"))


def _body_block(version: ParsedVersion) -> str:
    paragraphs = version.paragraphs
    if version.body_html and _STRUCTURED.search(version.body_html):
        paragraphs = body_blocks(version.body_html)  # lists and tables kept as text
    out = "".join("".join(f"{BODY_INDENT}{line}\n" for line in p.split("\n")) + "\n\n"
                  for p in paragraphs)
    if version.separator or (version.sign_off and not looks_like_sign_off(version.sign_off)):
        # Without a separator a re-read would not find such a sign-off again.
        out += f"{BODY_INDENT}{version.separator or '***'}\n\n\n"
    if version.sign_off:
        out += "".join(f"{BODY_INDENT}{line}\n" for line in version.sign_off.split("\n"))
        out += "\n\n"
    return out


def _trailer(release_id: int, visitor_count: int | None) -> str:
    return (f"{BODY_INDENT}\n\n{BODY_INDENT}\n{BODY_INDENT}(Release ID: {release_id}) "
            f"Visitor Counter : {visitor_count or 0}")


_STRUCTURED = re.compile(r"<(?:li|table)\b", re.IGNORECASE)


class _Blocks(HTMLParser):
    """Body HTML as PIB-text blocks: paragraphs, bulleted or numbered lines, tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.text: list[str] = []
        self.lists: list[list] = []  # [tag, next number]
        self.table: list[list[str]] | None = None
        self.row: list[str] | None = None
        self.header_rows = 0
        self.in_header = False

    def _flush(self, prefix=""):
        text = " ".join("".join(self.text).split())
        self.text = []
        if text:
            self.blocks.append(prefix + text)

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag, 1])
        elif tag == "li":
            self._flush()
        elif tag == "table":
            self._flush()
            self.table, self.header_rows = [], 0
        elif tag == "tr" and self.table is not None:
            self.row, self.in_header = [], True
        elif tag in ("td", "th") and self.row is not None:
            self.text = []
            self.in_header = self.in_header and tag == "th"
        elif tag == "br":
            self.text.append(" ")
        elif tag in ("p", "div", "h2", "h3", "h4", "blockquote") and self.row is None:
            self._flush()

    def handle_endtag(self, tag):
        if tag == "li" and self.lists:
            kind = self.lists[-1]
            prefix = "  " * (len(self.lists) - 1) + ("• " if kind[0] == "ul" else f"{kind[1]}. ")
            kind[1] += 1
            self._flush(prefix)
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
        elif tag in ("td", "th") and self.row is not None:
            self.row.append(" ".join("".join(self.text).split()))
            self.text = []
        elif tag == "tr" and self.row is not None and self.table is not None:
            if self.row:
                self.table.append(self.row)
                if self.in_header and len(self.table) == self.header_rows + 1:
                    self.header_rows += 1
            self.row = None
        elif tag == "table" and self.table is not None:
            if self.table:
                self.blocks.append(text_table(self.table, self.header_rows))
            self.table = None
        elif tag in ("p", "div", "h2", "h3", "h4", "blockquote") and self.row is None:
            self._flush()

    def handle_data(self, data):
        self.text.append(data)

    def close(self):
        super().close()
        self._flush()


def text_table(rows: list[list[str]], header_rows: int = 0) -> str:
    """Rows of cells as an aligned plain-text table, a rule under the header rows."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(width)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    if header_rows:
        lines.insert(header_rows, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def body_blocks(body_html: str) -> list[str]:
    """Body HTML as the blocks of the PIB text layout: a paragraph each, list items as
    "• " or "1. " lines, tables as aligned plain text. Pure."""
    parser = _Blocks()
    parser.feed(body_html)
    parser.close()
    return parser.blocks


def render_release_text(release: ParsedRelease, version: ParsedVersion | None = None) -> str:
    """The canonical (seed) layout of the original version, header included."""
    v = version or release.versions[0]
    head = (
        f"{HEAD_INDENT}{release.ministry}\n\n"
        f"{HEAD_INDENT}{v.title}\n"
        + "".join(f"{HEAD_INDENT}{s}\n" for s in v.subtitles)
        + f"{HEAD_INDENT}Posted On: {format_posted_on(release.posted_at)} by {release.bureau}\n\n\n"
    )
    if v.updated_note:
        head += f"{BODY_INDENT}{v.updated_note}\n\n\n"
    return head + _body_block(v) + _trailer(v.pib_id or release.release_id, v.visitor_count)


def render_translation_text(release_id: int, version: ParsedVersion) -> str:
    """A translation in the canonical layout: title block, body, sign-off, trailer."""
    head = f"{HEAD_INDENT}{version.title}\n" + "".join(
        f"{HEAD_INDENT}{s}\n" for s in version.subtitles
    )
    return head + "\n\n" + _body_block(version) + _trailer(version.pib_id or release_id,
                                                          version.visitor_count)
