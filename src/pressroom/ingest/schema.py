"""What an imported record may hold, field by field (pydantic). Pure: no database.

Two layers. Each JSON source has its shape, checked for types and ranges where it is read
(``JsonlLine``: a line of Pressroom's export; ``ScraperRecord``: the public scraper's JSON).
Then every parsed release, PIB text and bundles included, passes ``check_release``: the
text rules and size limits that every way into the record shares (``releases.limits``).
Problems come back as ``Problem``s naming the field as the source names it, so a reader
can report file, line and field and go on with the next record.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from pressroom.releases.dates import FIRST_DAY, LAST_DAY
from pressroom.releases.languages import language_code
from pressroom.releases.limits import (
    BUREAU_NAME_MAX,
    COUNT_MAX,
    ID_MAX,
    MINISTRY_NAME_MAX,
    SEPARATOR_MAX,
    SIGN_OFF_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from pressroom.releases.pibtext import IST, ParsedRelease

# PIB's ministry ids go in a PositiveIntegerField.
MINISTRY_ID_MAX = 2**31 - 1
# How deep body HTML may nest. Real bodies nest a handful deep; the sanitiser's time grows
# with the square of the depth (200,000 nested <div>s would hold an import for minutes).
HTML_DEPTH_MAX = 100

# Characters that are not seen but change how the text around them is shown: the bidi
# embeddings, overrides and isolates (U+202E shows 'ecnefeD' as 'Defence').
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# In a name also the direction marks and the invisible characters, with which one
# ministry could be made to look like another. (ZWJ/ZWNJ stay: Indian scripts need them.)
NAME_INVISIBLES = "\u200e\u200f\u061c\u200b\u2060\ufeff\u00ad\u180e"
_IN_NAME = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}{NAME_INVISIBLES}]")
# Titles, subtitles, sign-offs: no control characters (line breaks and tabs aside) and no
# bidi controls; the direction marks right-to-left text legitimately carries may stay.
_IN_LINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{BIDI_CONTROLS}]")
# Bodies: NUL only (PostgreSQL cannot store it, and no text has it).
_IN_BODY = re.compile("\x00")


def char_name(c: str) -> str:
    name = unicodedata.name(c, "")
    return f"U+{ord(c):04X} {name}".strip() if name else f"U+{ord(c):04X}"


def printable(text: str, limit: int = 60) -> str:
    """Text safe to print in a report or a terminal: the characters refused in names shown
    as escapes, so a reject line cannot itself be a look-alike."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return _IN_NAME.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _refuse(pattern: re.Pattern, why: str):
    def check(value: str) -> str:
        m = pattern.search(value)
        if m:
            raise PydanticCustomError("bad_character", "contains {char}: {why}",
                                      {"char": char_name(m.group()), "why": why, "at": m.start()})
        return value
    return AfterValidator(check)


def _collapse_spaces(value):
    # Names are one line: runs of spaces, tabs and line breaks (NBSP too) are one space,
    # so 'Ministry  of Defence' cannot be a second ministry.
    return " ".join(value.split()) if isinstance(value, str) else value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "empty")
    return value


def _html_depth_ok(value: str | None):
    if value and html_depth(value) > HTML_DEPTH_MAX:
        raise PydanticCustomError("too_deep", "HTML nested more than {max} deep",
                                  {"max": HTML_DEPTH_MAX})
    return value


def _posted_at(value: Any) -> datetime:
    """An ISO 8601 string (JSON) or a datetime (PIB text); without an offset it is IST."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "datetime", "expected an ISO 8601 date and time such as "
                "2018-10-04T17:19:00+05:30, found {found}", {"found": printable(repr(value))}
            ) from None
    elif not isinstance(value, datetime):
        raise PydanticCustomError("datetime", "expected an ISO 8601 date and time as text")
    # Checked before any conversion: 0001-01-01 or 9999-12-31 overflow it.
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        raise PydanticCustomError("date_range", "out of range: {day} is outside {a}–{b}",
                                  {"day": str(value.date()), "a": FIRST_DAY.year,
                                   "b": LAST_DAY.year})
    return value if value.tzinfo else value.replace(tzinfo=IST)


def _digits(value):
    # The scraper sometimes gives the ID as a string of digits (ASCII only: int() would
    # also take other scripts' digits).
    return int(value) if isinstance(value, str) and re.fullmatch(r"[0-9]{1,20}", value) else value


def _known_language(value: str) -> str:
    if not language_code(value):
        raise PydanticCustomError("language", "unknown language {lang}",
                                  {"lang": printable(repr(value))})
    return value


def _one_or_many(value):
    return value.split("\n") if isinstance(value, str) else value


Id = Annotated[StrictInt, Field(ge=1, le=ID_MAX)]
Count = Annotated[StrictInt, Field(ge=0, le=COUNT_MAX)]
PostedAt = Annotated[datetime, PlainValidator(_posted_at)]
Language = Annotated[StrictStr, AfterValidator(_known_language)]

_NAME_WHY = "not allowed in a name (it can make one name look like another)"
_LINE_WHY = "not allowed here (it can show text in another order than it is stored)"
MinistryName = Annotated[StrictStr, BeforeValidator(_collapse_spaces),
                         Field(max_length=MINISTRY_NAME_MAX), AfterValidator(_not_blank),
                         _refuse(_IN_NAME, _NAME_WHY)]
BureauName = Annotated[StrictStr, BeforeValidator(_collapse_spaces),
                       Field(max_length=BUREAU_NAME_MAX), AfterValidator(_not_blank),
                       _refuse(_IN_NAME, _NAME_WHY)]
Title = Annotated[StrictStr, Field(max_length=TITLE_MAX), AfterValidator(_not_blank),
                  _refuse(_IN_LINE, _LINE_WHY)]
Subtitles = Annotated[StrictStr, Field(max_length=TEXT_MAX), _refuse(_IN_LINE, _LINE_WHY)]
SignOff = Annotated[StrictStr, Field(max_length=SIGN_OFF_MAX), _refuse(_IN_LINE, _LINE_WHY)]
Separator = Annotated[StrictStr, Field(max_length=SEPARATOR_MAX), _refuse(_IN_LINE, _LINE_WHY)]
Body = Annotated[StrictStr, Field(max_length=TEXT_MAX), _refuse(_IN_BODY, "not allowed in text")]
BodyHtml = Annotated[StrictStr, Field(max_length=TEXT_MAX), _refuse(_IN_BODY, "not allowed in text"),
                     AfterValidator(_html_depth_ok)]


# --- The sources' shapes ---------------------------------------------------------------


class JsonlLine(BaseModel):
    """One line of Pressroom's JSONL export (README: "JSONL export schema")."""

    # What the export derives (language_name, versions, revision, status) is not read back.
    model_config = ConfigDict(extra="ignore")

    release_id: Id
    language: Language
    original: StrictBool = True
    pib_id: Id | None = None
    ministry: StrictStr
    bureau: StrictStr
    posted_at: PostedAt
    title: StrictStr
    subtitles: Annotated[list[StrictStr] | None, BeforeValidator(_one_or_many)] = None
    body_text: StrictStr | None = None
    body_html: StrictStr | None = None
    separator: StrictStr | None = None
    sign_off: StrictStr | None = None
    visitor_count: Count | None = None


class ScraperMinistry(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: Annotated[StrictInt, Field(ge=1, le=MINISTRY_ID_MAX)] | None = None
    name: StrictStr


def _ministry_object(value):
    return {"name": value} if isinstance(value, str) else value


class ScraperRecord(BaseModel):
    """One record of the public scraper's JSON (prid, title, ministry{id,name}, ...)."""

    model_config = ConfigDict(extra="ignore")

    prid: Annotated[Id, BeforeValidator(_digits)]
    title: StrictStr
    subtitle: StrictStr | None = None
    body_text: StrictStr | None = None
    ministry: Annotated[ScraperMinistry, BeforeValidator(_ministry_object)]
    pib_office: StrictStr | None = None
    release_datetime: PostedAt


# --- What every release must be, whatever its source -----------------------------------


class VersionCheck(BaseModel):
    title: Title
    subtitles: Subtitles
    body_text: Body
    body_html: BodyHtml | None
    separator: Separator
    sign_off: SignOff
    pib_id: Id | None
    visitor_count: Count | None


class ReleaseCheck(BaseModel):
    release_id: Id
    ministry: MinistryName
    bureau: BureauName
    posted_at: PostedAt
    versions: list[VersionCheck]


@dataclass
class Problem:
    field: str  # as the source names it
    message: str
    version: int | None = None  # which of the release's versions, for check_release
    value: Any = None  # what was found (for a reader to find its line)
    at: int | None = None  # where in the value the refused character is

    def __str__(self):
        return f"field {self.field!r}: {self.message}" if self.field else self.message


class Invalid(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(describe(problems))


def describe(problems: list[Problem], most: int = 3) -> str:
    text = "; ".join(str(p) for p in problems[:most])
    if len(problems) > most:
        text += f"; and {len(problems) - most} more"
    return text


def _show(value) -> str:
    if isinstance(value, str):
        return printable(json.dumps(value[:60], ensure_ascii=False))
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return printable(json.dumps(value)) if isinstance(value, int | float | bool | None) else (
        type(value).__name__)


_EXPECTED = {
    "string_type": "expected text", "int_type": "expected a whole number",
    "int_parsing": "expected a whole number", "int_from_float": "expected a whole number",
    "bool_type": "expected true or false", "list_type": "expected a list of text",
    "model_type": "expected a JSON object", "dict_type": "expected a JSON object",
    "model_attributes_type": "expected a JSON object",
}


def _message(err: dict) -> str:
    kind, ctx, found = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "missing":
        return "missing"
    if kind in _EXPECTED:
        return f"{_EXPECTED[kind]}, found {_show(found)}"
    if kind == "greater_than_equal":
        return f"out of range: {_show(found)} is below {ctx['ge']}"
    if kind == "less_than_equal":
        return f"out of range: {_show(found)} is above {ctx['le']:,}"
    if kind in ("string_too_long", "too_long"):
        return f"too long: {len(found):,} characters, at most {ctx['max_length']:,}"
    if kind == "json_invalid":
        return f"not valid JSON: {ctx.get('error', err['msg'])}"
    return err["msg"]


def _field_name(loc: tuple) -> str:
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int) and parts:
            parts[-1] += f"[{p}]"
        else:
            parts.append(str(p))
    return ".".join(parts)


def problems(error: ValidationError, names: dict[str, str] | None = None) -> list[Problem]:
    """A pydantic error as Problems, fields renamed as the source calls them."""
    out = []
    for err in error.errors(include_url=False):
        loc, version = err["loc"], None
        if len(loc) >= 2 and loc[0] == "versions" and isinstance(loc[1], int):
            version, loc = loc[1], loc[2:]
        name = _field_name(loc)
        name = (names or {}).get(name, name)
        out.append(Problem(name, _message(err), version, err.get("input"),
                           (err.get("ctx") or {}).get("at")))
    return out


def not_json(error: ValidationError) -> bool:
    return any(e["type"] == "json_invalid" for e in error.errors(include_url=False))


def json_problem(error: ValidationError) -> str:
    """The reason for a line or file that is not JSON at all (nested too deep included)."""
    err = next(e for e in error.errors(include_url=False) if e["type"] == "json_invalid")
    return _message(err)


def check_release(parsed: ParsedRelease, names: dict[str, str] | None = None) -> None:
    """Every field of every version within the shared rules and limits; raises Invalid.

    Names are stored as checked (spaces collapsed).
    """
    data = {
        "release_id": parsed.release_id, "ministry": parsed.ministry, "bureau": parsed.bureau,
        "posted_at": parsed.posted_at,
        "versions": [{
            "title": v.title, "subtitles": "\n".join(v.subtitles),
            "body_text": "\n".join(v.paragraphs), "body_html": v.body_html,
            "separator": v.separator, "sign_off": v.sign_off, "pib_id": v.pib_id,
            "visitor_count": v.visitor_count,
        } for v in parsed.versions],
    }
    try:
        checked = ReleaseCheck.model_validate(data)
    except ValidationError as e:
        raise Invalid(problems(e, names)) from None
    parsed.ministry, parsed.bureau = checked.ministry, checked.bureau


# --- Nesting depth of HTML, without parsing it ------------------------------------------

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
# Elements whose end tag may be left out: a second one closes the first.
_OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
                 "optgroup", "colgroup", "caption", "rt", "rp"}


def html_depth(html: str, stop: int = HTML_DEPTH_MAX) -> int:
    """How deep elements nest (an upper bound good enough to refuse abuse); counts no
    further than just past ``stop``."""
    stack: list[str] = []
    deepest = 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or self_closing:
            continue
        if closing:
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name):]
            continue
        if name in _OPTIONAL_END and name in stack[-3:]:
            del stack[len(stack) - 1 - stack[::-1].index(name):]
        stack.append(name)
        deepest = max(deepest, len(stack))
        if deepest > stop:
            break
    return deepest
