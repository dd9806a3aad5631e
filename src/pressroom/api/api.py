"""The public JSON API, /api/v1/: read-only, no key, open to every origin for GET.

Made with django-ninja; its OpenAPI document is /api/v1/openapi.json and the interactive
docs /api/v1/docs (Swagger UI served from our own static files, no CDN).
"""

import csv
import io
import itertools
from functools import wraps

from django.db.models import Count
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import http_date, urlencode
from ninja import NinjaAPI, Query, Status
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger

from pressroom.counters import opendata
from pressroom.releases import representations
from pressroom.releases.models import Bureau, Language, Ministry, Release
from pressroom.releases.queries import (
    find_release_or_version,
    release_with_versions,
    releases_with_versions,
    version_rows,
    with_display_versions,
)
from pressroom.urlcache import reverse_cached
from pressroom.utils import batched
from pressroom.website import pagecache
from pressroom.website.media import api_media

from . import queries
from .queries import MAX_ID, BadRequest
from .schemas import (
    BureauOut,
    Error,
    LanguageOut,
    MinistryOut,
    ReleaseOut,
    ReleasePage,
    ReleaseViews,
)

# Swagger UI styles itself inline; its scripts still come from our own origin only.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            "frame-ancestors 'none'")


def docs_csp(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response
    return wrapped


api = NinjaAPI(
    title="Pressroom API",
    version="1",
    description="Press releases of the Government of India's ministries, in English and Indian "
    "languages. Read-only, no key needed, CORS open for GET. Lists use cursor pagination: "
    "follow `next` until it is null. Times are ISO 8601 with the IST offset.",
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_decorator=docs_csp,
)


@api.exception_handler(BadRequest)
def bad_request(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def invalid_parameter(request, exc):
    """A parameter of the wrong type: a 400 with plain words, like every other refusal."""
    detail = "; ".join(f"{'.'.join(map(str, e.get('loc', [])[1:])) or 'request'}: {e.get('msg', '')}"
                       for e in exc.errors)
    return api.create_response(request, {"detail": detail}, status=400)


@api.get("/releases", response={200: ReleasePage, 400: Error}, tags=["releases"],
         summary="List releases, newest first")
def list_releases(request, response: HttpResponse, date: str | None = None,
                  ministry: str | None = None, bureau: str | None = None,
                  lang: str | None = None, start: str | None = Query(None, alias="from"),
                  end: str | None = Query(None, alias="to"), cursor: str | None = None,
                  limit: int = 20):
    """The website's filters: `date` (one day, YYYY-MM-DD), `from`/`to` (a range of days),
    `ministry` and `bureau` (slugs from /ministries and /bureaus), `lang` (a code from
    /languages: releases with a version in it, shown in it). `limit` is 1 to 100."""
    # Kept per state of the whole record, as the website's listings are (website.pagecache).
    key = pagecache.record_page_key(request, "api")
    kept = pagecache.get_record_page(key)
    if kept is not None:
        last_modified, content = kept
        kept_response = HttpResponse(content, content_type=api.get_content_type())
        if last_modified:
            kept_response["Last-Modified"] = last_modified
        return kept_response
    limit = max(1, min(limit, 100))
    params = {k: v for k, v in {"date": date, "ministry": ministry, "bureau": bureau, "lang": lang,
                                "from": start, "to": end}.items() if v}
    f, page, next_cursor = queries.releases(params, cursor, limit)
    page = with_display_versions(Release.objects.filter(pk__in=[r.pk for r in page])
                                 .order_by("-posted_at", "-release_id"), f.language)
    if page:
        response["Last-Modified"] = http_date(max(r.updated_at for r in page).timestamp())
    items = [representations.api_summary(r, request.build_absolute_uri) for r in page]
    next_url = None
    if next_cursor:
        next_url = request.build_absolute_uri(reverse("api:list_releases") + "?" + urlencode(
            {**params, "cursor": next_cursor, "limit": limit}))
    payload = {"items": items, "next_cursor": next_cursor, "next": next_url}
    context = {"request": request, "response_status": 200}
    data = ReleasePage.model_validate(payload, context=context).model_dump(context=context)
    content = api.renderer.render(request, data, response_status=200).encode()
    last_modified = response.get("Last-Modified", "")
    pagecache.put_record_page(key, (last_modified, content))
    made = HttpResponse(content, content_type=api.get_content_type())
    if last_modified:
        made["Last-Modified"] = last_modified
    return made


@api.get("/releases/{release_id}", response={200: ReleaseOut, 400: Error, 404: Error, 410: Error},
         tags=["releases"], summary="One release with all its language versions")
def get_release(request, release_id: int, response: HttpResponse):
    """By its Release ID, or by the PIB ID of one of its language versions (PIB numbered
    some translations apart); `requested_language` then names that version."""
    rows = version_rows(release_id) if 0 <= release_id <= MAX_ID else []
    if rows and rows[0]["release__status"] != Release.Status.REMOVED:
        # A Release ID (the common case): the answer is kept per state of the record, in the
        # website's page cache, like the release page and its .json.
        modified = max([rows[0]["release__updated_at"], *(r["updated_at"] for r in rows)])
        return pagecache.counted_json(
            request, "api", rows, lambda marks: _release_json(request, release_id, None, marks),
            content_type=api.get_content_type(), last_modified=modified)
    release, version = find_release_or_version(release_id) if 0 <= release_id <= MAX_ID else (None, None)
    if release is None:
        return Status(404, {"detail": "No release or language version has that ID"})
    if release.status == Release.Status.REMOVED:
        return Status(410, {"detail": "This release has been removed"})
    payload = _release_payload(request, release.release_id, release_id, version)
    response["Last-Modified"] = http_date(payload["updated_at"].timestamp())
    return payload


def _release_payload(request, release_id: int, requested_id: int, version) -> dict:
    full = release_with_versions(release_id)
    payload = representations.api_release(full, request.build_absolute_uri, requested_id, version)
    # Each version's photos, documents and PDF (website/media.py).
    by_language = {v.language_id: v for v in full.versions.all()}
    for entry in payload["versions"]:
        entry["pdf_url"] = request.build_absolute_uri(
            reverse_cached("website:release_pdf", (full.release_id, entry["language"])))
        entry.update(api_media(by_language[entry["language"]], request.build_absolute_uri))
    return payload


def _release_json(request, release_id: int, version, marks: dict[str, str]) -> bytes:
    """The answer's bytes as django-ninja makes them: through the schema (ReleaseOut), then its
    renderer; each visitor count is `marks[language]` (filled in per answer)."""
    context = {"request": request, "response_status": 200}
    data = ReleaseOut.model_validate(_release_payload(request, release_id, release_id, version),
                                     context=context).model_dump(context=context)
    for entry in data["versions"]:
        entry["visitor_count"] = marks[entry["language"]]
    return api.renderer.render(request, data, response_status=200).encode()


@api.get("/releases/{release_id}/views", response={200: ReleaseViews, 400: Error, 404: Error},
         tags=["visitor counts"], summary="Daily views of a release, per language")
def release_views(request, release_id: int):
    """Views counted per day (IST) and language version: people, not bots, each person once
    per 30 minutes. Counts reach this a few seconds after the view."""
    if not (0 <= release_id <= MAX_ID and Release.objects.filter(release_id=release_id)
            .exclude(status=Release.Status.REMOVED).exists()):
        return Status(404, {"detail": "No release has that ID"})
    days = opendata.release_days(release_id)
    return {"release_id": release_id, "total": sum(d["views"] for d in days), "days": days}


CSV_RESPONSE = {"responses": {200: {"description": "CSV: day, release_id, language, views",
                                    "content": {"text/csv": {"schema": {"type": "string"}}}}}}


@api.get("/views.csv", response={400: Error}, tags=["visitor counts"],
         summary="Daily views of every release as CSV", openapi_extra=CSV_RESPONSE)
def views_csv(request, start: str | None = Query(None, alias="from"),
              end: str | None = Query(None, alias="to"), release_id: int | None = None):
    """One row per day, release and language; `from`/`to` are days (YYYY-MM-DD), inclusive."""
    start_day, end_day = queries.parse_day(start, "from"), queries.parse_day(end, "to")
    if release_id is not None and not 0 <= release_id <= MAX_ID:
        release_id = -1

    def lines():
        out = io.StringIO()
        writer = csv.writer(out)
        for row in itertools.chain([opendata.CSV_HEADER],
                                   opendata.csv_rows(start_day, end_day, release_id)):
            writer.writerow(row)
            if out.tell() > 32768:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pressroom-daily-views.csv"'
    return response


EXPORT_RESPONSE = {"responses": {200: {
    "description": "JSON Lines: one object per language version, the README's JSONL schema",
    "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}}}


@api.get("/export.jsonl", response={400: Error}, tags=["releases"],
         summary="Bulk export as JSON Lines", openapi_extra=EXPORT_RESPONSE)
def export_jsonl(request, start: str | None = Query(None, alias="from"),
                 end: str | None = Query(None, alias="to")):
    """Every release posted from `from` to `to` (days, inclusive, IST), streamed in Release ID
    order, one line per language version — the same records `pressroom export --format jsonl`
    writes and `pressroom import` reads."""
    ids = queries.export_ids(queries.parse_day(start, "from"), queries.parse_day(end, "to"))

    def lines():
        for chunk in batched(ids, 500):
            for release in releases_with_versions(chunk):
                yield from representations.jsonl_lines(release)

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pressroom.jsonl"'
    return response


@api.get("/ministries", response=list[MinistryOut], tags=["lookups"],
         summary="Ministries and other issuing bodies")
def ministries(request):
    return [{"slug": m.slug, "name": m.name, "releases": m.n}
            for m in Ministry.objects.annotate(n=Count("releases")).order_by("name")]


@api.get("/bureaus", response=list[BureauOut], tags=["lookups"], summary="PIB's regional bureaus")
def bureaus(request):
    return [{"slug": b.slug, "name": b.name, "releases": b.n}
            for b in Bureau.objects.annotate(n=Count("releases")).order_by("name")]


@api.get("/languages", response=list[LanguageOut], tags=["lookups"],
         summary="Languages releases are published in")
def languages(request: HttpRequest):
    return [{"code": lang.code, "name": lang.name, "native_name": lang.native_name,
             "script": lang.script, "direction": lang.direction, "versions": lang.n}
            for lang in Language.objects.annotate(n=Count("versions")).order_by("position")]
