"""The search interface: ``index``, ``remove``, ``query``. Views and the API call only this.

The backend is chosen by the database engine: SQLite FTS5 (``sqlite_backend``) or
PostgreSQL full-text search (``postgres_backend``). Both index inside the caller's
transaction, so the index changes with the record or not at all. Backends only find
matching rows (newest first, up to ``CAP``, with a relevance score); facets, ordering,
pagination and snippets are made here, the same way for both.
"""

from __future__ import annotations

from django.db import connection

from pressroom.releases.models import Language, LanguageVersion, Ministry
from pressroom.releases.pibtext import IST
from pressroom.utils import batched

from . import queryparse, snippets
from .textnorm import normalise

# The interface's types and constants live in types.py, which the backends import: engine
# imports the backends, so they must not import engine. Named here too for callers.
from .types import (  # noqa: F401
    CAP,
    KEY_EPOCH_END,
    KEY_SCALE,
    PER_PAGE,
    SORTS,
    TIME_LIMIT,
    FacetValue,
    Filters,
    Hit,
    Matches,
    Results,
    Row,
    SearchTooSlow,
    entry_key,
    filter_sql,
    filter_tags,
)


def backend():
    if connection.vendor == "postgresql":
        from . import postgres_backend as b
    else:
        from . import sqlite_backend as b
    return b


# ----------------------------------------------------------------------- the interface

def index(version_ids, fresh: bool = False) -> None:
    """(Re)index these versions as the record now has them; versions of removed releases
    and versions that no longer exist leave the index. ``fresh``: they are known not to
    be indexed (a rebuild after ``clear``), so there is nothing to remove first."""
    version_ids = list(dict.fromkeys(version_ids))
    if not version_ids:
        return
    b = backend()
    for chunk in batched(version_ids, 500):
        if not fresh:
            b.remove_versions(chunk)
        docs = list(documents(chunk))
        b.add(docs)


def index_new(rows: list[dict]) -> None:
    """Index versions just created, given with their fields (see ``document``): the bulk
    path of a large import, which neither reads them back nor has anything to remove."""
    b = backend()
    for chunk in batched([r for r in rows if r["status"] != "removed"], 2000):
        b.add([document(r) for r in chunk])


def remove(version_ids) -> None:
    for chunk in batched(list(version_ids), 500):
        backend().remove_versions(chunk)


def remove_releases(release_ids) -> None:
    for chunk in batched(list(release_ids), 500):
        backend().remove_releases(chunk)


def clear() -> None:
    backend().clear()


def begin_bulk() -> None:
    """A large import starts: the backend may put off index upkeep until ``end_bulk``."""
    backend().begin_bulk()


def end_bulk(written: bool) -> None:
    """An import ended (or one killed before it is finished): catch up and refresh the
    planner's statistics where anything was written."""
    backend().end_bulk(written)


def optimize() -> None:
    """After a bulk build: compact the index for the fastest reads, refresh statistics."""
    backend().optimize()


def analyze() -> None:
    """Refresh the statistics the planner reads (which words are common)."""
    backend().analyze()


def query(text: str, filters: Filters | None = None, sort: str = "relevance", page: int = 1,
          per_page: int = PER_PAGE) -> Results:
    """Search; never raises for anything a reader can type."""
    filters = filters or Filters()
    q = queryparse.parse(text)
    results = Results(query=q, page=max(1, page), per_page=per_page)
    if q.is_empty:
        return results
    try:
        matches = backend().find(q, filters, CAP, rank=sort == "relevance")
    except SearchTooSlow:
        q.notes.append("That search matches too much to finish in time. Add a less common word, "
                       "a filter or a date range.")
        return results
    rows = matches.rows
    results.plan = matches.plan
    results.total = len(rows) if matches.complete else max(matches.estimate, len(rows) + 1)
    results.total_exact = matches.complete
    results.facets = facets(rows, filters)
    id_versions = _versions_named_by_id(q.ids)
    if sort == "relevance":
        rows = sorted(rows, key=lambda r: (r.release_id in q.ids or r.version_id in id_versions,
                                           r.score, -r.key), reverse=True)
    start = (results.page - 1) * per_page
    page_rows = rows[start:start + per_page]
    results.hits = _hits(page_rows, q, set(q.ids), id_versions)
    return results


def drift() -> dict[str, set[int]]:
    """Versions the index is missing, holds wrongly, or holds stale (wrong key or status):
    all empty when the index is in step with the record."""
    from .models import SearchEntry

    expected = {v: (entry_key(posted, v), status == "withdrawn") for v, posted, status in
                LanguageVersion.objects.exclude(release__status="removed")
                .values_list("pk", "release__posted_at", "release__status")}
    indexed = {v: (k, w) for v, k, w in SearchEntry.objects.values_list("version_id", "key", "withdrawn")}
    words = backend().indexed_keys()
    return {
        "missing": set(expected) - set(indexed),
        "extra": set(indexed) - set(expected),
        "stale": {v for v in set(expected) & set(indexed) if expected[v] != indexed[v]},
        "unmatched_words": words ^ {k for k, _ in indexed.values()},
        "names": names_drift(),
    }


def names_drift() -> set[int]:
    """Versions indexed under a ministry or bureau name that is no longer its name. Cheap:
    one sampled entry (the newest) per ministry and per bureau is made again from the record
    and compared with what the index holds; a rename that skipped the store's reindex shows
    on every one."""
    from django.db.models import Min

    from .models import SearchEntry

    keys = set()
    for column in ("ministry_id", "bureau_id"):
        keys.update(k for _, k in SearchEntry.objects.values_list(column).annotate(k=Min("key"))
                    .order_by())
    sampled = list(SearchEntry.objects.filter(key__in=keys).values_list("version_id", flat=True))
    docs = list(documents(sampled))
    stale = backend().differs(docs)
    return {d["version_id"] for d in docs if d["key"] in stale}


# ------------------------------------------------------------------------------ helpers

def documents(version_ids):
    """(version, key, title, body, meta) for each indexable version, text normalised."""
    versions = (LanguageVersion.objects.filter(pk__in=version_ids)
                .select_related("release", "release__ministry", "release__bureau")
                .exclude(release__status="removed"))
    for v in versions:
        r = v.release
        yield document({
            "version_id": v.pk, "release_id": r.release_id, "language": v.language_id,
            "posted_at": r.posted_at, "status": r.status, "ministry_id": r.ministry_id,
            "bureau_id": r.bureau_id, "ministry": r.ministry.name, "bureau": r.bureau.name,
            "title": v.title, "subtitles": v.subtitles, "body_text": v.body_text,
            "sign_off": v.sign_off, "pib_id": v.pib_id,
        })


def document(v: dict) -> dict:
    """The index entry of one version from its fields, as ``documents`` reads them from the
    record or as the record's writer has them in hand (``index_new``)."""
    text = (v.get("derived") or {}).get("search") or index_text_of(
        v["title"], v["subtitles"], v["body_text"], v["ministry"], v["bureau"], v["sign_off"],
        v["release_id"], v["pib_id"])
    return {
        "key": entry_key(v["posted_at"], v["version_id"]),
        "version_id": v["version_id"],
        "release_id": v["release_id"],
        "ministry_id": v["ministry_id"],
        "bureau_id": v["bureau_id"],
        "language": v["language"],
        "year": v["posted_at"].astimezone(IST).year,
        "withdrawn": v["status"] == "withdrawn",
        **text,
        "tags": filter_tags(v["ministry_id"], v["bureau_id"], v["language"]),
    }


def index_text_of(title, subtitles, body_text, ministry, bureau, sign_off, release_id,
                  pib_id) -> dict:
    """The words a version is found by: title, body and meta (ministry, bureau, sign-off, IDs)."""
    meta = " ".join(str(x) for x in (ministry, bureau, sign_off, release_id, pib_id or "") if x)
    return {"title": normalise(title), "body": normalise(subtitles + "\n" + body_text),
            "meta": normalise(meta)}


def index_text(parsed, prepared) -> list[dict]:
    """``releases.store`` PREPARERS entry: a release's index words, made while an import
    checks it (in its reading process), so that writing it is only writing."""
    ministry, bureau = " ".join(parsed.ministry.split()), " ".join(parsed.bureau.split())
    return [index_text_of(p.fields["title"], p.fields["subtitles"], p.fields["body_text"],
                          ministry, bureau, p.fields["sign_off"], parsed.release_id,
                          p.fields["pib_id"]) for p in prepared]


def facets(rows: list[Row], filters: Filters) -> dict[str, list[FacetValue]]:
    by_ministry, by_year, by_lang = {}, {}, {}
    for r in rows:
        by_ministry[r.ministry_id] = by_ministry.get(r.ministry_id, 0) + 1
        by_year[r.year] = by_year.get(r.year, 0) + 1
        by_lang[r.language] = by_lang.get(r.language, 0) + 1
    ministries = Ministry.objects.in_bulk(list(by_ministry))
    languages = Language.objects.in_bulk(list(by_lang))
    out = {
        "ministry": [FacetValue(m.slug, m.name, n, filters.ministry == m)
                     for mid, n in by_ministry.items() if (m := ministries.get(mid))],
        "year": [FacetValue(str(y), str(y), n, bool(filters.date_from and filters.date_to
                                                    and filters.date_from.year == y
                                                    and filters.date_to.year == y))
                 for y, n in by_year.items()],
        "language": [FacetValue(code, lang.native_name, n, filters.language == lang, code)
                     for code, n in by_lang.items() if (lang := languages.get(code))],
    }
    out["ministry"].sort(key=lambda f: (-f.count, f.label))
    out["year"].sort(key=lambda f: f.value, reverse=True)
    out["language"].sort(key=lambda f: (-f.count, f.label))
    return out


def _versions_named_by_id(ids) -> set[int]:
    if not ids:
        return set()
    return set(LanguageVersion.objects.filter(pib_id__in=ids).values_list("pk", flat=True))


def _hits(rows: list[Row], q: queryparse.Query, ids: set[int], id_versions: set[int]):
    versions = LanguageVersion.objects.select_related(
        "release", "release__ministry", "release__bureau", "language").in_bulk(
        [r.version_id for r in rows])
    wanted = q.positive_terms
    hits = []
    for r in rows:
        v = versions.get(r.version_id)
        if v is None:  # deleted since the match was read
            continue
        body = "\n".join(x for x in (v.subtitles, v.body_text) if x)
        hits.append(Hit(version=v, title_html=snippets.highlight(v.title, wanted),
                        snippet_html=snippets.snippet(body, wanted),
                        by_id=r.release_id in ids or r.version_id in id_versions))
    return hits


def health_check() -> str:
    """/healthz: the index answers a query (one that finds nothing, quickly)."""
    return f"{connection.vendor}: {query('healthzprobe').plan or 'ok'}"
