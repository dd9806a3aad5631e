"""Writing the public record. Import and publishing both come through here.

Publishing (the newsroom) uses the functions at the end: ``publish_release`` allocates a
Release ID and adds a release, ``correct_version`` keeps the old text as a ``correction``
revision with a public note, ``put_translation`` adds or updates a language version and
``set_status`` withdraws or removes. Each is one transaction that sends ``versions_changed``.

``RecordWriter.write`` takes parsed releases (``pibtext.ParsedRelease``) and makes the
database say what they say: new releases are added, changed ones updated with the old
content kept as a revision, identical ones left alone. A batch is one transaction; every
release in it is all-or-nothing, so an interrupted run leaves whole releases only.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, models, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Greatest
from django.dispatch import Signal
from django.utils import timezone

from . import mediastore
from .html import editor_paragraphs, html_to_text, paragraphs_to_html, sanitise_html
from .languages import language_code
from .mediaio import aware
from .models import (
    CONTENT_FIELDS,
    Attachment,
    Bureau,
    Language,
    LanguageVersion,
    Ministry,
    Photo,
    Release,
    ReleaseIdSequence,
    Revision,
    StoredFile,
)
from .names import add_known_names
from .pibtext import ParsedRelease, ParsedVersion

# Sent inside the writing transaction with the ids of versions whose content changed,
# so that what follows the record (the search index) changes with it or not at all.
# ``reason`` says what wrote them, for what follows the record and cares (signing says
# "issued" or "archived"; alerts go out for publications, not for an imported archive):
# IMPORT, PUBLISH, CORRECT, TRANSLATE, STATUS (withdrawn, removed, republished), RENAME or
# MEDIA (photos or documents of a version changed).
versions_changed = Signal()  # sender=RecordWriter, version_ids=[...], new=True when just created, reason=...
# An import's new versions also come with ``rows``: each version's fields and its release's
# (version_id, release_id, language, posted_at, status, ministry_id, bureau_id, ministry,
# bureau, title, subtitles, body_text, sign_off, pib_id), for derived data built in bulk.

# Sent around a large import (phase="start", then phase="end", in autocommit, outside any
# batch): what follows the record may put off the upkeep of an index of its own that rows
# reach at random places, and build it once, sorted, at the end. "end" is also sent after
# every other import, so an import killed in between leaves nothing undone for long.
bulk_import = Signal()  # sender=RecordWriter, phase="start" | "end" (with written=bool)

IMPORT, PUBLISH, CORRECT, TRANSLATE, STATUS = "import", "publish", "correct", "translate", "status"
RENAME = "rename"  # a ministry or bureau renamed: the versions' content is the same, their names not

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"


class RecordError(ValueError):
    """A parsed release the record cannot take (unknown language, ...)."""


@dataclass
class PreparedVersion:
    language: str  # code
    fields: dict  # CONTENT_FIELDS
    visitor_count: int
    media: dict | None = None  # photos and documents to hold (releases.mediaio), if given
    derived: dict = field(default_factory=dict)  # PREPARERS' values, by name


# Pure work for what follows the record, done where a release is checked (in an import,
# the reading process, beside the writer): name -> f(parsed, prepared versions) giving a
# value per version, which comes back in versions_changed's rows as row["derived"][name].
PREPARERS: dict = {}


def nfc(text: str) -> str:
    """One Unicode form for everything stored (PIB text, JSON, JSONL, the newsroom alike):
    the same word typed two ways must compare, search and render the same."""
    return unicodedata.normalize("NFC", text) if text else text


def prepare_version(v: ParsedVersion) -> PreparedVersion:
    code = language_code(v.language)
    if code is None:
        raise RecordError(f"unknown language {v.language!r}")
    if not v.title.strip():
        raise RecordError(f"the {v.language} version has no title")
    # Always through the sanitiser, so stored HTML is in one normal form whatever its source.
    body_html = sanitise_html(v.body_html if v.body_html is not None
                              else paragraphs_to_html(v.paragraphs))
    raw = {
        "title": v.title, "subtitles": "\n".join(v.subtitles), "body_text": "\n".join(v.paragraphs),
        "separator": v.separator, "sign_off": v.sign_off,
    }
    fields = {k: nfc(text) for k, text in raw.items()}
    fields.update(body_html=nfc(body_html), pib_id=v.pib_id,
                  received={k: text for k, text in raw.items() if fields[k] != text})
    return PreparedVersion(code, fields, v.visitor_count or 0, getattr(v, "media", None))


def prepare_release(parsed: ParsedRelease, known_languages) -> list[PreparedVersion]:
    """Everything that can be wrong with a release, found before touching the database.

    Pure: it may run in another process than the one writing.
    """
    if not parsed.ministry.strip():
        raise RecordError("no ministry")
    if not parsed.bureau.strip():
        raise RecordError("no bureau")
    if parsed.posted_at.tzinfo is None:
        raise RecordError("posted-on time without a time zone")
    if not parsed.versions:
        raise RecordError("no language version")
    prepared = [prepare_version(v) for v in parsed.versions]
    codes = [p.language for p in prepared]
    if len(set(codes)) != len(codes):
        raise RecordError(f"two versions in the same language: {codes}")
    unknown = set(codes) - set(known_languages)
    if unknown:
        raise RecordError(f"language not in the Language table: {sorted(unknown)}")
    for name, prepare in PREPARERS.items():
        for p, value in zip(prepared, prepare(parsed, prepared), strict=True):
            p.derived[name] = value
    return prepared


# Field types whose Python values the database drivers take as they are.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
                 models.ForeignKey)


def insert_rows(model, rows: list[dict]):
    """INSERT rows (dicts of attname -> value) with one executemany (SQLite) or one COPY
    (PostgreSQL).

    bulk_create spends most of an import building model instances and compiling SQL per
    row; this writes the same columns, with each field's default where a row has no value
    and datetimes adapted by the backend, at executemany speed. Every row is made before
    anything is sent, so a row missing a required value fails the call (RecordError) with
    nothing written; a refusal of the database is Django's error, as from a query.
    """
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    now = timezone.now()
    defaults, converters = [], []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults.append(now)
        else:
            required = not (f.has_default() or f.null or f.empty_strings_allowed)
            defaults.append(_MISSING if required else f.get_default())
        if isinstance(f, models.DateTimeField):
            converters.append(connection.ops.adapt_datetimefield_value)
        elif isinstance(f, _PLAIN_FIELDS):
            converters.append(None)
        else:
            converters.append(lambda v, f=f: f.get_db_prep_save(v, connection))
    attnames = [f.attname for f in fields]
    converted = [(i, convert) for i, convert in enumerate(converters) if convert]
    values = []
    for row in rows:
        out = list(map(row.get, attnames, defaults))  # C loops: an import makes millions
        if _MISSING in out:
            raise RecordError(f"{model.__name__}.{attnames[out.index(_MISSING)]} has no value")
        for i, convert in converted:
            if out[i] is not None:
                out[i] = convert(out[i])
        values.append(out)
    if connection.vendor == "postgresql":
        _copy_rows(f"COPY {table} ({columns}) FROM STDIN", values)
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def insert_values(model, attnames: list[str], values: list):
    """INSERT rows given as sequences in ``attnames``' order, with values the driver takes
    as they are (no defaults, no conversion): for derived tables of millions of small rows,
    where building a dict per row would cost more than writing it."""
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(by_name[a].column) for a in attnames)
    if connection.vendor == "postgresql":
        _copy_rows(f"COPY {table} ({columns}) FROM STDIN", values)
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) "
                           f"VALUES ({', '.join(['%s'] * len(attnames))})", values)


def _copy_rows(sql: str, values: list[list]):
    """PostgreSQL: the rows by COPY (text format; psycopg adapts each value as a query
    would) in the caller's transaction, several times faster than executemany for an
    import's long texts. Errors come as Django's (IntegrityError, DataError, ...); the
    COPY shows in connection.queries where queries are logged."""
    connection.validate_no_broken_transaction()
    with connection.cursor() as cursor, connection.wrap_database_errors:
        logged = cursor.debug_sql(sql) if connection.queries_logged else nullcontext()
        with logged, cursor.cursor.copy(sql) as copy:
            for row in values:
                copy.write_row(row)


_MISSING = object()


class RecordWriter:
    """Writes releases in batches; keeps small lookup caches between batches."""

    @staticmethod
    def begin_bulk():
        bulk_import.send(sender=RecordWriter, phase="start")

    @staticmethod
    def end_bulk(written: bool = True):
        bulk_import.send(sender=RecordWriter, phase="end", written=written)

    def __init__(self):
        self._ministries: dict[str, Ministry] = {}
        self._bureaus: dict[str, Bureau] = {}
        self._languages = {lang.code: lang for lang in Language.objects.all()}

    def forget_cache(self):
        """After a rolled-back batch: rows created in it are gone."""
        self._ministries.clear()
        self._bureaus.clear()

    def ministry(self, name: str, pib_id: int | None = None) -> Ministry:
        name = nfc(name)
        if name not in self._ministries:
            m = Ministry.objects.filter(name=name).first()
            if m is None:
                m = Ministry(name=name, pib_id=pib_id)
                m.save()
                add_known_names(m)
            elif pib_id and not m.pib_id:
                m.pib_id = pib_id
                m.save(update_fields=["pib_id"])
            self._ministries[name] = m
        return self._ministries[name]

    def bureau(self, name: str) -> Bureau:
        name = nfc(name)
        if name not in self._bureaus:
            b = Bureau.objects.filter(name=name).first()
            if b is None:
                b = Bureau(name=name)
                b.save()
                add_known_names(b)
            self._bureaus[name] = b
        return self._bureaus[name]

    def check(self, parsed: ParsedRelease) -> list[PreparedVersion]:
        return prepare_release(parsed, self._languages)

    def known_languages(self):
        return self._languages.keys()

    def write(self, batch: list[tuple[ParsedRelease, list[PreparedVersion]]]) -> list[str]:
        """Write checked releases in one transaction; returns an outcome per release."""
        try:
            with transaction.atomic():
                return self._write(batch)
        except Exception:
            self.forget_cache()
            raise

    def _write(self, batch):
        now = timezone.now()
        ids = [p.release_id for p, _ in batch]
        # Locked until the batch commits (PostgreSQL; SQLite has one writer at a time): what is
        # compared and kept as a revision is what is replaced, not what was there a moment ago.
        existing = {r.pk: r for r in Release.objects.select_for_update().filter(release_id__in=ids)}
        versions_by_release = defaultdict(dict)
        for v in (LanguageVersion.objects.select_for_update().filter(release_id__in=ids)
                  .order_by("pk")):
            versions_by_release[v.release_id][v.language_id] = v

        outcomes, new_releases, new_versions, changed_ids = [], [], [], []
        for parsed, prepared in batch:
            ministry = self.ministry(parsed.ministry, parsed.ministry_pib_id)
            bureau = self.bureau(parsed.bureau)
            release = existing.get(parsed.release_id)
            if release is None:
                new_releases.append(dict(
                    release_id=parsed.release_id, ministry_id=ministry.pk, bureau_id=bureau.pk,
                    posted_at=parsed.posted_at, original_language_id=prepared[0].language,
                ))
                new_versions.extend(
                    dict(release_id=parsed.release_id, language_id=p.language,
                         is_original=(i == 0), visitor_count=p.visitor_count, updated_at=now,
                         derived=p.derived, **p.fields)
                    for i, p in enumerate(prepared)
                )
                outcomes.append(ADDED)
            else:
                outcome, changed = self._update(release, ministry, bureau, parsed, prepared,
                                                versions_by_release[release.release_id], now)
                changed_ids.extend(changed)
                outcomes.append(outcome)
        if new_releases:
            insert_rows(Release, new_releases)
            insert_rows(LanguageVersion, new_versions)
            # Versions of releases that did not exist: nothing of them is indexed yet. What
            # follows the record gets their fields as written (``rows``), so that a large
            # import builds derived indexes in bulk without reading every version back.
            versions_changed.send(sender=RecordWriter, new=True, reason=IMPORT,
                                  **self._new_rows(new_releases, new_versions))
        if changed_ids:
            versions_changed.send(sender=RecordWriter, reason=IMPORT, version_ids=changed_ids)
        self._write_media(batch, outcomes)
        return outcomes

    def _write_media(self, batch, outcomes):
        """Photos and documents the import carries (JSONL, bundles' attachments/)."""
        for i, (parsed, prepared) in enumerate(batch):
            for p in prepared:
                if p.media is None:
                    continue
                version = LanguageVersion.objects.get(release_id=parsed.release_id,
                                                      language_id=p.language)
                if apply_imported_media(version, p.media, revise=outcomes[i] != ADDED) \
                        and outcomes[i] == UNCHANGED:
                    outcomes[i] = UPDATED
    def _new_rows(self, new_releases, new_versions) -> dict:
        """version_ids and rows (each version's fields with its release's) of versions
        just inserted; only their ids are read back."""
        releases = {r["release_id"]: r for r in new_releases}
        ids = dict(((rid, lang), pk) for pk, rid, lang in LanguageVersion.objects.filter(
            release_id__in=list(releases)).values_list("pk", "release_id", "language_id"))
        names = {m.pk: m.name for m in self._ministries.values()}
        bureaus = {b.pk: b.name for b in self._bureaus.values()}
        rows = []
        for v in new_versions:
            r = releases[v["release_id"]]
            rows.append({
                "version_id": ids[v["release_id"], v["language_id"]], "release_id": v["release_id"],
                "language": v["language_id"], "posted_at": r["posted_at"], "status": "published",
                "ministry_id": r["ministry_id"], "bureau_id": r["bureau_id"],
                "ministry": names[r["ministry_id"]], "bureau": bureaus[r["bureau_id"]],
                "title": v["title"], "subtitles": v["subtitles"], "body_text": v["body_text"],
                "sign_off": v["sign_off"], "pib_id": v["pib_id"], "derived": v["derived"],
            })
        return {"version_ids": [row["version_id"] for row in rows], "rows": rows}

    def _update(self, release, ministry, bureau, parsed, prepared, current, now):
        """Bring one existing release in line with the parsed one."""
        release_fields = {"ministry": release.ministry.name if release.ministry_id else None,
                          "bureau": release.bureau.name if release.bureau_id else None,
                          "posted_at": release.posted_at.isoformat()}
        release_changed = (release.ministry_id, release.bureau_id, release.posted_at) != (
            ministry.pk, bureau.pk, parsed.posted_at)
        changed_ids, touched = [], False
        for p in prepared:
            version = current.get(p.language)
            if version is None:
                version = LanguageVersion.objects.create(
                    release=release, language_id=p.language, is_original=False,
                    visitor_count=p.visitor_count, updated_at=now, **p.fields)
                changed_ids.append(version.pk)
                touched = True
                continue
            if version.content() != p.fields or release_changed:
                Revision.objects.create(
                    version=version, number=version.revision, content=version.content(),
                    release_fields=release_fields, replaced_at=now, reason=Revision.Reason.IMPORT,
                    media=mediastore.manifest(version),
                )
                for f in CONTENT_FIELDS:
                    setattr(version, f, p.fields[f])
                version.revision += 1
                version.updated_at = now
                # Only the content: the visitor counter is the readers' (counter flushes add
                # to it meanwhile), raised to the source's figure in SQL, never written back.
                version.save(update_fields=[*CONTENT_FIELDS, "revision", "updated_at"])
                changed_ids.append(version.pk)
                touched = True
            if p.visitor_count > version.visitor_count:
                LanguageVersion.objects.filter(pk=version.pk).update(
                    visitor_count=Greatest(F("visitor_count"), Value(p.visitor_count)))
        if release_changed:
            release.ministry, release.bureau, release.posted_at = ministry, bureau, parsed.posted_at
            release.save(update_fields=["ministry", "bureau", "posted_at", "updated_at"])
            touched = True
        return (UPDATED if touched else UNCHANGED), changed_ids


# --- Publishing from the newsroom -------------------------------------------------------


def content_fields(*, title: str, subtitles: str = "", body_html: str = "", sign_off: str = "",
                   separator: str = "", pib_id: int | None = None) -> dict:
    """The CONTENT_FIELDS of a version from what an editor typed: sanitised, with plain text."""
    if not title.strip():
        raise RecordError("a release needs a title")
    body_html = sanitise_html(editor_paragraphs(body_html))
    subtitles = "\n".join(line.strip() for line in subtitles.splitlines() if line.strip())
    return {"title": nfc(" ".join(title.split())), "subtitles": nfc(subtitles),
            "body_html": nfc(body_html), "body_text": nfc(html_to_text(body_html)),
            "separator": separator, "sign_off": nfc(sign_off.strip()), "pib_id": pib_id,
            "received": {}}


def allocate_release_id() -> int:
    """The next Release ID: above every ID known (imported ones and PIB's per-version ones)
    and above every ID handed out before. Call inside a transaction: the sequence row stays
    locked until it commits, so two publications at the same moment get different numbers
    (row lock on PostgreSQL; SQLite runs one writing transaction at a time)."""
    ReleaseIdSequence.objects.bulk_create([ReleaseIdSequence(pk=1, last=0)], ignore_conflicts=True)
    sequence = ReleaseIdSequence.objects.select_for_update().get(pk=1)
    highest = max(
        sequence.last,
        Release.objects.aggregate(m=Max("release_id"))["m"] or 0,
        LanguageVersion.objects.aggregate(m=Max("pib_id"))["m"] or 0,
    )
    sequence.last = highest + 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _changed(version_ids, reason: str, **details):
    if version_ids:
        versions_changed.send(sender=RecordWriter, version_ids=list(version_ids), reason=reason,
                              **details)


def publish_release(*, ministry: Ministry, bureau: Bureau, language: str, posted_at,
                    fields: dict) -> Release:
    """Add a new release with its original language version; returns it with its new ID."""
    if posted_at.tzinfo is None:
        raise RecordError("posted-on time without a time zone")
    with transaction.atomic():
        release = Release.objects.create(
            release_id=allocate_release_id(), ministry=ministry, bureau=bureau,
            posted_at=posted_at, original_language_id=language)
        version = LanguageVersion.objects.create(
            release=release, language_id=language, is_original=True,
            updated_at=timezone.now(), **fields)
        _changed([version.pk], PUBLISH, new=True)
    return release


def _revise(version: LanguageVersion, fields: dict, note: str, now) -> None:
    release = version.release
    Revision.objects.create(
        version=version, number=version.revision, content=version.content(),
        release_fields={"ministry": release.ministry.name, "bureau": release.bureau.name,
                        "posted_at": release.posted_at.isoformat()},
        replaced_at=now, reason=Revision.Reason.CORRECTION, note=note,
        media=mediastore.manifest(version))
    for f in CONTENT_FIELDS:
        setattr(version, f, fields[f])
    version.revision += 1
    version.updated_at = now


def correct_version(version: LanguageVersion, *, fields: dict, note: str,
                    major: bool = False) -> LanguageVersion:
    """Change a published version; the old text stays as a revision with the public note.
    ``major`` (approved by a second press officer) goes out in the signal's details."""
    if not note.strip():
        raise RecordError("a correction needs a public change note")
    with transaction.atomic():
        version = LanguageVersion.objects.select_for_update().select_related(
            "release__ministry", "release__bureau").get(pk=version.pk)
        _revise(version, fields, note.strip(), timezone.now())
        version.save()
        _changed([version.pk], CORRECT, **({"major": True} if major else {}))
    return version


def put_translation(release: Release, *, language: str, fields: dict, note: str = "") -> LanguageVersion:
    """Add a language version, or update it (keeping a revision), recording which revision
    of the original it now translates."""
    if language == release.original_language_id:
        raise RecordError("that is the release's original language")
    if language not in set(Language.objects.values_list("code", flat=True)):
        raise RecordError(f"unknown language {language!r}")
    with transaction.atomic():
        original = LanguageVersion.objects.select_for_update().get(release=release, is_original=True)
        now = timezone.now()
        version = (LanguageVersion.objects.select_for_update()
                   .select_related("release__ministry", "release__bureau")
                   .filter(release=release, language_id=language).first())
        if version is None:
            version = LanguageVersion(release=release, language_id=language, is_original=False,
                                      updated_at=now, **fields)
        else:
            _revise(version, fields, note.strip() or "Translation updated", now)
        version.translates_revision = original.revision
        version.save()
        _changed([version.pk], TRANSLATE)
    return version


def set_status(release: Release, status: str, note: str) -> Release:
    """Withdraw (readable with a notice), remove (410) or republish a release."""
    if status not in Release.Status.values:
        raise RecordError(f"unknown status {status!r}")
    with transaction.atomic():
        now = timezone.now()
        Release.objects.filter(pk=release.pk).update(
            status=status, status_note=note.strip(), updated_at=now,
            status_at=None if status == Release.Status.PUBLISHED else now)
        release.refresh_from_db()
        _changed(release.versions.values_list("pk", flat=True), STATUS, status=status)
    return release


# --- Photos and documents (releases.media) -----------------------------------------------

MEDIA = "media"


@dataclass
class PhotoSpec:
    file: StoredFile
    alt_text: str
    caption: str = ""
    credit: str = ""
    taken_at: object = None


@dataclass
class AttachmentSpec:
    file: StoredFile
    title: str
    language: str | None = None


store_file = mediastore.store_file  # check, copy and keep an upload: StoredFile
media_manifest = mediastore.manifest


def set_media(version: LanguageVersion, *, photos: list[PhotoSpec], attachments: list[AttachmentSpec],
              note: str = "", revise: bool = True) -> LanguageVersion:
    """Make a version hold exactly these photos and documents, in this order.

    With ``revise`` (a published version changing) the old content and media hashes are kept
    as a ``media`` revision; a version being created in the same transaction passes False."""
    for p in photos:
        if p.file.kind != StoredFile.Kind.IMAGE:
            raise RecordError(f"{p.file.original_name or p.file.sha256[:12]} is not a photo")
        if not p.alt_text.strip():
            raise RecordError("every photo needs alt text (what it shows)")
    for a in attachments:
        if a.file.kind != StoredFile.Kind.DOCUMENT:
            raise RecordError(f"{a.file.original_name or a.file.sha256[:12]} is not a document")
        if not a.title.strip():
            raise RecordError("every document needs a title")
    with transaction.atomic():
        version = LanguageVersion.objects.select_for_update().select_related(
            "release__ministry", "release__bureau").get(pk=version.pk)
        before = mediastore.manifest(version)
        mine = {s.file.sha256: s.file.size for s in [*photos, *attachments]}
        others = mediastore.release_bytes(version.release_id, exclude_version=version)
        limit = mediastore.limits()["release"]
        if others + sum(mine.values()) > limit:
            raise RecordError(f"this release's files would come to "
                              f"{(others + sum(mine.values())) / 2**20:.1f} MB; the limit per "
                              f"release is {limit // 2**20} MB")
        Photo.objects.filter(version=version).delete()
        Attachment.objects.filter(version=version).delete()
        Photo.objects.bulk_create([
            Photo(version=version, file=p.file, position=i, caption=nfc(p.caption.strip()),
                  alt_text=nfc(p.alt_text.strip()), credit=nfc(p.credit.strip()),
                  taken_at=p.taken_at) for i, p in enumerate(photos)])
        Attachment.objects.bulk_create([
            Attachment(version=version, file=a.file, position=i, title=nfc(a.title.strip()),
                       language_id=a.language) for i, a in enumerate(attachments)])
        after = mediastore.manifest(version)
        if after == before:
            return version
        now = timezone.now()
        if revise:
            release = version.release
            Revision.objects.create(
                version=version, number=version.revision, content=version.content(),
                release_fields={"ministry": release.ministry.name, "bureau": release.bureau.name,
                                "posted_at": release.posted_at.isoformat()},
                replaced_at=now, reason=Revision.Reason.MEDIA, note=note.strip(), media=before)
            version.revision += 1
        version.updated_at = now
        version.save(update_fields=["revision", "updated_at"])
        _changed([version.pk], MEDIA)
    return version


def _specs(version):
    photos = [PhotoSpec(p.file, p.alt_text, p.caption, p.credit, p.taken_at)
              for p in version.photos.select_related("file").order_by("position", "id")]
    attachments = [AttachmentSpec(a.file, a.title, a.language_id)
                   for a in version.attachments.select_related("file").order_by("position", "id")]
    return photos, attachments


def attach_photo(version, spec: PhotoSpec, note: str = "", revise: bool = True):
    photos, attachments = _specs(version)
    return set_media(version, photos=[*photos, spec], attachments=attachments, note=note,
                     revise=revise)


def attach_document(version, spec: AttachmentSpec, note: str = "", revise: bool = True):
    photos, attachments = _specs(version)
    return set_media(version, photos=photos, attachments=[*attachments, spec], note=note,
                     revise=revise)


def reorder_media(version, kind: str, order: list[int], note: str = "", revise: bool = True):
    """Put a version's photos (kind "photos") or documents in the order of ``order``, a list
    of their current positions (0-based)."""
    photos, attachments = _specs(version)
    items = photos if kind == "photos" else attachments
    if sorted(order) != list(range(len(items))):
        raise RecordError("the new order must name each item once")
    items = [items[i] for i in order]
    return set_media(version, photos=items if kind == "photos" else photos,
                     attachments=items if kind != "photos" else attachments, note=note,
                     revise=revise)


def remove_media(version, kind: str, position: int, note: str = "", revise: bool = True):
    photos, attachments = _specs(version)
    items = photos if kind == "photos" else attachments
    if not 0 <= position < len(items):
        raise RecordError("no such item")
    del items[position]
    return set_media(version, photos=photos, attachments=attachments, note=note, revise=revise)
# --- Visitor counts ----------------------------------------------------------------------


def add_views(views: dict[int, int]) -> set[int]:
    """Add readers' views to versions' visitor counters ({version id: views}), in SQL
    (``visitor_count + n``), so no reader of the row in between can lose them; the counters'
    flush writes the record only through here. Versions deleted since the views are skipped;
    returns the ids that were counted. Counts are not content: no ``versions_changed``."""
    views = {vid: n for vid, n in views.items() if n > 0}
    if not views:
        return set()
    with transaction.atomic(savepoint=False):  # part of the caller's transaction when it has one
        live = set(LanguageVersion.objects.filter(pk__in=list(views)).values_list("pk", flat=True))
        with connection.cursor() as c:
            # In id order: two flushes at once take the rows' locks in the same order.
            c.executemany(f"UPDATE {LanguageVersion._meta.db_table} "
                          "SET visitor_count = visitor_count + %s WHERE id = %s",
                          [(views[vid], vid) for vid in sorted(live)])
    return live


# --- Ministries and bureaus edited by hand (the admin) ----------------------------------


def save_owner(owner: Ministry | Bureau) -> list[int]:
    """Save a ministry or bureau as edited in the admin. When its name changed, every
    version of its releases is reindexed (``versions_changed``, RENAME) and its releases'
    update time moves on (pages, feeds and their ETags show the new name), in the same
    transaction as the rename. Returns the ids of the versions that were reindexed."""
    if not isinstance(owner, Ministry | Bureau):
        raise RecordError(f"not a ministry or bureau: {owner!r}")
    owner.name = nfc(" ".join(owner.name.split()))
    if not owner.name:
        raise RecordError("a name is needed")
    model = type(owner)
    with transaction.atomic():
        before = (model.objects.select_for_update().filter(pk=owner.pk)
                  .values_list("name", flat=True).first() if owner.pk else None)
        owner.save()
        if before is None:
            add_known_names(owner)  # a new ministry or bureau: the names known for it
        if before is None or before == owner.name:
            return []
        releases = Release.objects.filter(**{model.__name__.lower(): owner})
        releases.update(updated_at=timezone.now())
        ids = list(LanguageVersion.objects.filter(release__in=releases).order_by("pk")
                   .values_list("pk", flat=True))
        _changed(ids, RENAME, renamed=model.__name__.lower())
    return ids


def apply_imported_media(version, media: dict, *, revise: bool) -> bool:
    """Store the files an import brought (checked by ``mediaio.read``) and make the version
    hold them; True if its media changed."""
    known = set(Language.objects.values_list("code", flat=True))
    before = media_manifest(version)
    photos = [PhotoSpec(store_file(Path(p["path"]).read_bytes(), Path(p["path"]).name),
                        p["alt_text"], p.get("caption") or "", p.get("credit") or "",
                        aware(p.get("taken_at"), timezone)) for p in media["photos"]]
    attachments = [AttachmentSpec(
        store_file(Path(a["path"]).read_bytes(), Path(a["path"]).name), a["title"],
        a.get("language") if a.get("language") in known else None) for a in media["attachments"]]
    set_media(version, photos=photos, attachments=attachments, revise=revise,
              note="Photos or documents changed by a re-import" if revise else "")
    return media_manifest(version) != before
