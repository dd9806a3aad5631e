"""Reading the record: the queries every reader shares (pages, feeds, API, export, search).

Readers read releases through here and `representations`, never through `ingest`. Queries a
single reader alone needs stay with it (the website's cached counts, the API's cursor).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic

from django.db import connections
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from pressroom.dbrouter import read_alias

from .dates import archive_date
from .models import Bureau, Language, LanguageVersion, Ministry, Release
from .pibtext import IST

MAX_ID = 2**63 - 1  # larger numbers name nothing (and overflow the database's integers)


def releases_with_versions(release_ids=None, chunk: int = 1000) -> Iterator[Release]:
    """Releases in Release ID order with ministry, bureau and every version (and its
    language) loaded, fetched in chunks: what the representations need, in a few queries."""
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


def release_with_versions(release_id: int) -> Release | None:
    """One release as `releases_with_versions` loads it (ministry, bureau, every version with
    its language, photos and documents with their files), for the first render of its .json,
    .txt and API answer: one precompiled query (`page_versions`), one to find which versions
    have media, and the ORM's prefetch only for those. The ORM building the five queries of
    the general path was about two thirds of such an answer."""
    versions = page_versions(release_id, received=True)
    if not versions:
        return None
    from .models import Attachment, Photo

    release = versions[0].release
    with_photos, with_documents = versions_with_media(v.pk for v in versions)
    with_media = [v for v in versions if v.pk in with_photos or v.pk in with_documents]
    if with_media:
        prefetch_related_objects(with_media, "photos__file", "attachments__file")
    for v in versions:
        if v.pk not in with_photos and v.pk not in with_documents:
            # What a prefetch finding nothing leaves: empty results, read without a query
            # (an unevaluated none() would still be compiled when read: a millisecond).
            v._prefetched_objects_cache = {"photos": _evaluated(Photo.objects.none(), []),
                                           "attachments": _evaluated(Attachment.objects.none(), [])}
    release._prefetched_objects_cache = {"versions": _evaluated(release.versions.all(), versions)}
    return release


def _evaluated(queryset, rows: list):
    """The queryset with its results given, as Django's prefetch leaves one."""
    queryset._result_cache, queryset._prefetch_done = rows, True
    return queryset


def version_rows(release_id: int) -> list[dict]:
    """What decides a release page, its .json and its API answer, in one query: each
    version's id, language, update time and count, with the release's status and update time.
    Plain SQL: this runs on every view of every release page, and the ORM's query building
    would be most of its cost."""
    if not 0 <= release_id <= MAX_ID:
        return []
    with connections[read_alias(LanguageVersion)].cursor() as c:  # a replica, where there is one
        c.execute(VERSION_ROWS_SQL, [release_id])
        rows = c.fetchall()
    return [{"id": vid, "language_id": lang, "is_original": bool(orig), "updated_at": _utc(vu),
             "visitor_count": count, "release__status": status, "release__updated_at": _utc(ru)}
            for vid, lang, orig, vu, count, status, ru in rows]


VERSION_ROWS_SQL = (
    f"SELECT v.id, v.language_id, v.is_original, v.updated_at, v.visitor_count, r.status, r.updated_at "
    f"FROM {LanguageVersion._meta.db_table} v JOIN {Release._meta.db_table} r "
    f"ON r.release_id = v.release_id WHERE v.release_id = %s ORDER BY v.language_id")


RECORD_STATE_SQL = (
    f"SELECT (SELECT MAX(updated_at) FROM {Release._meta.db_table}), "
    f"(SELECT MAX(updated_at) FROM {LanguageVersion._meta.db_table}), "
    f"(SELECT MAX(id) FROM {LanguageVersion._meta.db_table})")


def record_state() -> tuple:
    """What changes whenever any release or version does: the newest update time of each
    (every write through the store moves one; indexed, so two seeks) and the newest version
    id. A page made from the record alone is the same page while this is the same."""
    with connections[read_alias(Release)].cursor() as c:
        c.execute(RECORD_STATE_SQL)
        return tuple(str(v) for v in c.fetchone())


def versions_with_media(version_ids) -> tuple[set[int], set[int]]:
    """Which of these versions have photos, and which documents, in one plain query: most
    releases have neither, and the two ORM queries that would find that out were a quarter
    of a release page's first render."""
    from .models import Attachment, Photo

    ids = [int(i) for i in version_ids if i]
    if not ids:
        return set(), set()
    marks = ", ".join(["%s"] * len(ids))
    sql = (f"SELECT 0, version_id FROM {Photo._meta.db_table} WHERE version_id IN ({marks}) "
           f"UNION SELECT 1, version_id FROM {Attachment._meta.db_table} WHERE version_id IN ({marks})")
    with connections[read_alias(Photo)].cursor() as c:
        c.execute(sql, ids + ids)
        rows = c.fetchall()
    return {v for kind, v in rows if kind == 0}, {v for kind, v in rows if kind == 1}


def _utc(value):
    """Aware datetimes from PostgreSQL; SQLite gives naive ones (or text), in UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def find_release_or_version(number: int):
    """A PIB ID names a release or, for translations PIB numbered apart, one version."""
    if not 0 <= number <= MAX_ID:
        return None, None
    release = Release.objects.filter(release_id=number).first()
    if release:
        return release, None
    version = LanguageVersion.objects.select_related("release").filter(pib_id=number).first()
    if version:
        return version.release, version
    return None, None


def in_language(language) -> Exists:
    """Releases with a version in this language, as a filter. EXISTS, not a join: the
    newest-first index is read in order and each release checked with one seek (2 ms for a
    page at 100k releases); the join read every Hindi version and sorted (88 ms)."""
    return Exists(LanguageVersion.objects.filter(release=OuterRef("pk"), language=language))


@dataclass
class ListingFilter:
    """What /releases/ (and the API's list) was asked for, read leniently: bad values become
    errors, not 500s."""

    day: date | None = None
    ministry: Ministry | None = None
    bureau: Bureau | None = None
    language: Language | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> ListingFilter:
        f = cls()
        raw_date = params.get("date", "").strip()
        if raw_date:
            try:
                f.day = archive_date(raw_date)
            except ValueError:
                f.errors.append(_("“%(value)s” is not a date: use YYYY-MM-DD, for example "
                                  "2020-04-04.") % {"value": raw_date[:40]})
        unknown = {"ministry": _("There is no ministry “%(value)s”."),
                   "bureau": _("There is no bureau “%(value)s”."),
                   "lang": _("There is no language “%(value)s”.")}
        for key, model, attr in (("ministry", Ministry, "slug"), ("bureau", Bureau, "slug"),
                                 ("lang", Language, "code")):
            # NUL never names anything, and PostgreSQL refuses it in a query.
            value = params.get(key, "").replace("\x00", "").strip()[:200]
            if value:
                obj = model.objects.filter(**{attr: value}).first()
                if obj is None:
                    f.errors.append(unknown[key] % {"value": value[:60]})
                setattr(f, key if key != "lang" else "language", obj)
        return f

    def releases(self):
        qs = Release.objects.exclude(status=Release.Status.REMOVED)
        if self.day:
            start = datetime.combine(self.day, time.min, tzinfo=IST)
            qs = qs.filter(posted_at__gte=start, posted_at__lt=start + timedelta(days=1))
        if self.ministry:
            qs = qs.filter(ministry=self.ministry)
        if self.bureau:
            qs = qs.filter(bureau=self.bureau)
        if self.language:
            qs = qs.filter(in_language(self.language))
        return qs.order_by(*NEWEST_FIRST)

    def as_query(self) -> dict:
        q = {}
        if self.day:
            q["date"] = self.day.isoformat()
        if self.ministry:
            q["ministry"] = self.ministry.slug
        if self.bureau:
            q["bureau"] = self.bureau.slug
        if self.language:
            q["lang"] = self.language.code
        return q


# Listings, feeds and the API list releases in this order (the posted_at index serves it).
NEWEST_FIRST = ("-posted_at", "-release_id")


def with_display_versions(releases, language: Language | None = None):
    """Attach `.shown` (the version to show in a listing) and `.languages` to each release,
    its ministry and bureau loaded (with their names, where a version not in English is
    shown). The shown version has its id, language, title and subtitles. The versions come
    by one query compiled once, each with its Language from a table kept in this process:
    the ORM's prefetch (a query built per page, a Language made per version) was half of a
    listing's first render."""
    releases = list(releases.select_related("ministry", "bureau"))
    by_release: dict[int, list[LanguageVersion]] = {}
    for v in listing_versions([r.pk for r in releases]):
        by_release.setdefault(v.release_id, []).append(v)
    for r in releases:
        versions = by_release.get(r.pk, [])
        chosen = [v for v in versions if language and v.language_id == language.code]
        originals = [v for v in versions if v.is_original]
        r.shown = (chosen or originals or versions or [None])[0]
        if r.shown is not None:
            r.shown.release = r
        r.languages = sorted((v.language for v in versions), key=lambda lang: lang.position)
    # A version not in English shows the ministry and bureau in its language: their names
    # in two queries, not two per release.
    foreign = [r for r in releases if r.shown is not None and r.shown.language_id != "en"]
    if foreign:
        prefetch_related_objects([r.ministry for r in foreign], "names")
        prefetch_related_objects([r.bureau for r in foreign], "names")
    return releases


LISTED_VERSION_FIELDS = ("id", "release", "language", "is_original", "title", "subtitles")


def listing_versions(release_ids: list[int]) -> list[LanguageVersion]:
    """The versions of these releases with what a listing shows of them (the rest deferred),
    by release and language, each with its Language (shared, from `languages_by_code`)."""
    if not release_ids:
        return []
    alias = read_alias(LanguageVersion)
    columns = _listing_columns(alias)
    table = LanguageVersion._meta.db_table
    names = ", ".join(connections[alias].ops.quote_name(f.column) for f in columns.fields)
    marks = ", ".join(["%s"] * len(release_ids))
    with connections[alias].cursor() as c:
        c.execute(f"SELECT {names} FROM {table} WHERE release_id IN ({marks}) "
                  f"ORDER BY release_id, language_id", release_ids)
        rows = c.fetchall()
    languages = languages_by_code()
    versions = []
    for row in rows:
        v = columns.instance(alias, row)
        v.language = languages[v.language_id]
        versions.append(v)
    return versions


_LISTING_COLUMNS: dict[str, _ModelColumns] = {}


def _listing_columns(alias: str) -> _ModelColumns:
    found = _LISTING_COLUMNS.get(alias)
    if found is None:
        # In the model's order: Model.from_db pairs the values with the fields in it.
        fields = [f for f in LanguageVersion._meta.concrete_fields if f.name in LISTED_VERSION_FIELDS]
        found = _LISTING_COLUMNS[alias] = _model_columns(LanguageVersion, None, fields, 0,
                                                         connections[alias])
    return found


_languages: dict = {}


def languages_by_code() -> dict[str, Language]:
    """{code: Language}: the table (a few rows, changed by a migration or an admin's edit),
    kept in this process per database for CHOICES_MAX_AGE."""
    alias = read_alias(Language)
    kept = _languages.get(alias)
    if kept is None or kept[0] <= monotonic():
        kept = _languages[alias] = (monotonic() + CHOICES_MAX_AGE,
                                    {lang.code: lang for lang in Language.objects.using(alias)})
    return kept[1]


# --- The filters' drop-down lists (every ministry, bureau and language) ----------------------
# Listings and the search page list all of them on every page: three queries and about 150
# model instances, and the options a tenth of a search page's render (cProfile, 100 ministries).
# Kept in this process per state of the record (a ministry or bureau comes with a release, and
# a rename rewrites its releases), and for a minute at most, like the pages made from them.
CHOICES_MAX_AGE = 60
_choices: dict = {}


def filter_choices(kind: str, state: tuple | None = None) -> tuple[tuple[str, str, str], ...]:
    """(value, label, language of the label) for each ministry, bureau or language, in the
    order the drop-downs list them. ``state``: the ``record_state()`` the caller just read."""
    key = (kind, read_alias(Release), state or record_state())
    kept = _choices.get(key)
    if kept is not None and kept[0] > monotonic():
        return kept[1]
    if kind == "language":
        rows = tuple((lang.code, lang.native_name if lang.code == "en" else
                      f"{lang.native_name} ({lang.name})", lang.code)
                     for lang in languages_by_code().values())
    else:
        model = {"ministry": Ministry, "bureau": Bureau}[kind]
        rows = tuple((slug, name, "en") for slug, name in model.objects.values_list("slug", "name"))
    if len(_choices) > 30:  # entries of states gone by
        _choices.clear()
    _choices[key] = (monotonic() + CHOICES_MAX_AGE, rows)
    return rows


def forget_choices() -> None:
    _choices.clear()
    _languages.clear()


def page_versions(release_id: int, received: bool = False) -> list[LanguageVersion]:
    """Every version of a release, each with its language, and one release (with ministry and
    bureau) shared by all: what
    ``LanguageVersion.objects.filter(release_id=…).select_related("release__ministry",
    "release__bureau", "language")`` gives, in no particular order, without ``received``
    (the import's raw input, loaded only if asked for) unless `received`. One query compiled
    once per database: on a release page's first render, Django building this query cost
    more than running it."""
    plan = _page_versions_plan(read_alias(LanguageVersion), received)
    with connections[plan.alias].cursor() as c:
        c.execute(plan.sql, [release_id])
        rows = c.fetchall()
    versions, release = [], None
    for row in rows:
        version, release_row, ministry, bureau, language = (
            part.instance(plan.alias, row) for part in plan.parts)
        if release is None:
            release = release_row
            release.ministry, release.bureau = ministry, bureau
        version.release, version.language = release, language
        versions.append(version)
    return versions


@dataclass(frozen=True)
class _ModelColumns:
    """One model's columns in a row of a plain query, with Django's converters for each
    (what the ORM's compiler applies: aware datetimes, JSON, booleans)."""

    model: type
    start: int
    attnames: tuple[str, ...]
    converters: tuple[tuple, ...]  # per column: (converter, ...) with the column's expression
    connection: object

    @property
    def fields(self):
        return [self.model._meta.get_field(name) for name in self.attnames]

    def instance(self, alias, row):
        values = list(row[self.start:self.start + len(self.attnames)])
        for i, (col, convs) in enumerate(self.converters):
            for convert in convs:
                values[i] = convert(values[i], col, self.connection)
        return self.model.from_db(alias, self.attnames, values)


def _model_columns(model, table_alias, fields, start: int, connection) -> _ModelColumns:
    converters = []
    for f in fields:
        col = f.get_col(table_alias or model._meta.db_table)
        convs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        converters.append((col, tuple(convs)))
    return _ModelColumns(model, start, tuple(f.attname for f in fields), tuple(converters),
                         connection)


@dataclass(frozen=True)
class _PageVersionsPlan:
    alias: str
    sql: str
    parts: tuple[_ModelColumns, ...]


_PAGE_VERSIONS_PLANS: dict[tuple[str, bool], _PageVersionsPlan] = {}


def _page_versions_plan(alias: str, received: bool) -> _PageVersionsPlan:
    plan = _PAGE_VERSIONS_PLANS.get((alias, received))
    if plan is None:
        plan = _PAGE_VERSIONS_PLANS[alias, received] = _make_page_versions_plan(alias, received)
    return plan


def _make_page_versions_plan(alias: str, received: bool) -> _PageVersionsPlan:
    connection = connections[alias]
    q = connection.ops.quote_name
    tables = ((LanguageVersion, "v", set() if received else {"received"}), (Release, "r", set()),
              (Ministry, "m", set()),
              (Bureau, "b", set()), (Language, "l", set()))
    columns, parts = [], []
    for model, table_alias, left_out in tables:
        fields = [f for f in model._meta.concrete_fields if f.name not in left_out]
        parts.append(_model_columns(model, table_alias, fields, len(columns), connection))
        columns += [f"{q(table_alias)}.{q(f.column)}" for f in fields]

    def join(model, table_alias, fk_alias, fk_model, fk_name):
        fk = fk_model._meta.get_field(fk_name)
        return (f" JOIN {q(model._meta.db_table)} {q(table_alias)} ON {q(table_alias)}."
                f"{q(fk.target_field.column)} = {q(fk_alias)}.{q(fk.column)}")

    release_fk = LanguageVersion._meta.get_field("release")
    sql = (f"SELECT {', '.join(columns)} FROM {q(LanguageVersion._meta.db_table)} {q('v')}"
           + join(Release, "r", "v", LanguageVersion, "release")
           + join(Ministry, "m", "r", Release, "ministry")
           + join(Bureau, "b", "r", Release, "bureau")
           + join(Language, "l", "v", LanguageVersion, "language")
           + f" WHERE {q('v')}.{q(release_fk.column)} = %s")
    return _PageVersionsPlan(alias, sql, tuple(parts))
