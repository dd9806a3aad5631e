"""What the public API returns (pydantic schemas via django-ninja); these make the OpenAPI document."""

from datetime import date, datetime

from ninja import Schema


class Error(Schema):
    detail: str


class Named(Schema):
    slug: str
    name: str


class NamedInLanguages(Named):
    names: dict[str, str]  # {language code: the name as that language prints it}; "en" too


class MinistryOut(Named):
    releases: int


class BureauOut(Named):
    releases: int


class LanguageOut(Schema):
    code: str
    name: str
    native_name: str
    script: str
    direction: str
    versions: int


class ReleaseSummary(Schema):
    release_id: int
    posted_at: datetime
    ministry: Named
    bureau: Named
    status: str
    language: str
    title: str
    languages: list[str]
    url: str
    api_url: str


class ReleasePage(Schema):
    items: list[ReleaseSummary]
    next_cursor: str | None
    next: str | None


class PhotoSize(Schema):
    format: str
    width: int
    height: int
    bytes: int
    url: str


class PhotoOut(Schema):
    position: int
    caption: str
    alt_text: str
    credit: str
    taken_at: datetime | None
    sha256: str
    width: int | None
    height: int | None
    url: str
    sizes: list[PhotoSize]


class AttachmentOut(Schema):
    position: int
    title: str
    language: str | None
    content_type: str
    bytes: int
    pages: int | None
    sha256: str
    url: str


class VersionOut(Schema):
    language: str
    language_name: str
    original: bool
    pib_id: int | None
    title: str
    subtitles: list[str]
    body_text: str
    body_html: str
    separator: str
    sign_off: str
    visitor_count: int
    revision: int
    updated_at: datetime
    url: str
    pdf_url: str
    photos: list[PhotoOut] = []
    attachments: list[AttachmentOut] = []


class ReleaseOut(Schema):
    release_id: int
    requested_id: int
    requested_language: str | None
    posted_at: datetime
    updated_at: datetime
    ministry: NamedInLanguages
    bureau: NamedInLanguages
    status: str
    status_note: str
    url: str
    text_url: str
    versions: list[VersionOut]


class DayViews(Schema):
    day: date
    language: str
    views: int


class ReleaseViews(Schema):
    release_id: int
    total: int
    days: list[DayViews]
