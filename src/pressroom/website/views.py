"""Public pages. Thin: lookups live in releases.queries (shared) and queries.py (the site's
own), every shape of a release in releases.representations."""

import json
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pressroom import health
from pressroom.counters.counting import count_view
from pressroom.releases import representations
from pressroom.releases.models import Bureau, Ministry, Release
from pressroom.releases.queries import (
    ListingFilter,
    find_release_or_version,
    page_versions,
    release_with_versions,
    version_rows,
    with_display_versions,
)

from . import caching, media, pagecache
from .queries import count_key, counted, days_of, languages_in_use, listing_page


@require_safe
@pagecache.kept_while_record_unchanged
def home(request):
    latest = with_display_versions(Release.objects.exclude(status=Release.Status.REMOVED)
                                   .order_by("-posted_at", "-release_id")[:40])
    return caching.cache_public(render(request, "website/home.html", {
        "days": days_of(latest),
        "ministries": [m for m in counted(Ministry) if m.n][:12],
        "languages": languages_in_use(),
    }))


@require_safe
@pagecache.kept_while_record_unchanged
def release_list(request):
    f = ListingFilter.from_query(request.GET)
    page, error = listing_page(f.releases(), request.GET, settings.PRESSROOM["RELEASES_PER_PAGE"],
                               kept_count_as=count_key(f.as_query(),
                                                       getattr(request, "record_state", None)))
    if error:
        f.errors.append(error)
    page.object_list = with_display_versions(
        Release.objects.filter(pk__in=[r.pk for r in page.object_list])
        .order_by("-posted_at", "-release_id"), f.language)
    query = "&".join(f"{k}={v}" for k, v in f.as_query().items())
    return caching.cache_public(render(request, "website/release_list.html", {
        "filter": f, "page": page, "days": days_of(page.object_list), "query": query,
    }, status=400 if f.errors else 200))


@require_safe
@pagecache.kept_while_record_unchanged
def ministry_index(request):
    ministries = sorted(counted(Ministry), key=lambda m: m.name)
    bureaus = sorted(counted(Bureau), key=lambda b: b.name)
    return caching.cache_public(render(request, "website/ministries.html", {
        "ministries": ministries, "bureaus": bureaus}), max_age=300)


def _release_or_404(release_id):
    release = get_object_or_404(Release.objects.select_related("ministry", "bureau",
                                                              "original_language"),
                                release_id=release_id)
    if release.status == Release.Status.REMOVED:
        return release, render_gone(release)
    return release, None


def render_gone(release):
    html = render_to_string("website/gone.html", {"release": release})
    return HttpResponse(html, status=410)


@require_safe
def release_page(request, release_id, lang=None):
    """A release in one language. The common case costs one small query: the versions'
    update times decide the ETag (304 when the reader has the page), the count is buffered,
    and the rendered page usually comes from the page cache."""
    release_id = int(release_id)
    rows = version_rows(release_id)
    if not rows or rows[0]["release__status"] == Release.Status.REMOVED:
        release, gone = _release_or_404(release_id)
        if gone:
            return gone
        raise Http404("No such language version")
    if lang is None:
        row = next((r for r in rows if r["is_original"]), rows[0])
    else:
        row = next((r for r in rows if r["language_id"] == lang), None)
        if row is not None and row["is_original"]:
            return redirect("website:release", release_id=release_id, permanent=True)
    if row is None:
        raise Http404("No such language version")
    counted = count_view(request, row["id"])  # a revalidated (304) view is a view too
    modified = max(row["updated_at"], row["release__updated_at"])
    etag, modified = caching.validators(
        release_id, row["language_id"], row["release__status"],
        row["release__updated_at"].isoformat(),
        *(f"{r['language_id']}:{r['updated_at'].isoformat()}" for r in rows), last_modified=modified)
    if caching.not_modified(request, etag, modified):
        response = HttpResponseNotModified()
    else:
        key = (etag, request.scheme, request.get_host())
        content = pagecache.get(key)
        if content is None:
            content = render_release(request, release_id, row["language_id"])
            pagecache.put(key, content)
        response = HttpResponse(pagecache.fill_counter(content, row["visitor_count"] + counted))
    caching.set_validators(response, etag, modified)
    return caching.revalidate_each_time(response)


def render_release(request, release_id, language) -> bytes:
    """The release page, with a marker where the visitor counter goes."""
    # One query for the release, its ministry, bureau and every version with its language.
    versions = page_versions(release_id)
    versions.sort(key=representations.version_order)
    release = versions[0].release
    version = next(v for v in versions if v.language_id == language)
    # Revision numbers start at 1: a version at 1 has no history to look up.
    revisions = version.revisions.all()[:20] if version.revision > 1 else []
    context = representations.release_page_context(request, release, version, versions, revisions,
                                                    visitor_count=pagecache.COUNTER_MARK)
    media.add_to_context(context, request)  # photos, documents, the PDF (website/media.py)
    return render_to_string("website/release_detail.html", context, request=request).encode()


def _exported_release(release_id):
    """(the release with its versions, loaded for export, None) or (None, the 410 page)."""
    release, gone = _release_or_404(release_id)
    return (None, gone) if gone else (release_with_versions(release.release_id), None)


@require_safe
def release_text(request, release_id):
    release, gone = _exported_release(release_id)
    if gone:
        return gone
    return caching.cache_public(HttpResponse(representations.pib_text(release),
                                             content_type="text/plain; charset=utf-8"), max_age=300)


@require_safe
def release_json(request, release_id):
    """The release's JSONL records: built once per state of the record and kept in the page
    cache (pagecache.counted_json); the common case is one small query, like the page."""
    rows = version_rows(int(release_id))
    if not rows or rows[0]["release__status"] == Release.Status.REMOVED:
        _, gone = _release_or_404(release_id)  # 404, or the 410 page
        if gone:
            return gone
        raise Http404("No release with that ID")

    def build(marks):
        data = representations.release_json(release_with_versions(int(release_id)),
                                            request.build_absolute_uri)
        for record in data["versions"]:
            record["visitor_count"] = marks[record["language"]]
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()

    return pagecache.counted_json(request, "json", rows, build, content_type="application/json",
                                  max_age=300)


# PIB's own addresses: /PressReleasePage.aspx?PRID=N, /PressReleseDetail.aspx?PRID=N,
# /PressReleaseIframePage.aspx?PRID=N, /newsite/PrintRelease.aspx?relid=N and the like.
LEGACY_ID_PARAMS = ("prid", "relid", "id")


@require_safe
def legacy_redirect(request, page):
    params = {k.lower(): v for k, v in request.GET.items()}
    raw = next((params[k] for k in LEGACY_ID_PARAMS if k in params), "")
    if not re.fullmatch(r"\s*\d{1,18}\s*", raw):
        raise Http404("That PIB link does not name a release")
    release, version = find_release_or_version(int(raw))
    if release is None:
        raise Http404("No release with that ID")
    target = version.get_absolute_url() if version else release.get_absolute_url()
    return redirect(target, permanent=True)


@require_safe
@never_cache
def healthz(request):
    """Each registered check (pressroom.health) with its time; 503 if any failed."""
    checks = health.run_checks()
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "error",
                         "checks": health.visible(checks, request)},
                        status=200 if ok else 503)


def not_found(request, exception=None):
    return render(request, "website/404.html", {"message": _message(exception)}, status=404)


def server_error(request):
    return render(request, "website/500.html", status=500)


# What a 404 may tell a reader, in the interface's language; Django's own messages name
# models and patterns, so anything else is left out.
READER_MESSAGES = {gettext_noop("No such language version"),
                   gettext_noop("That PIB link does not name a release"),
                   gettext_noop("No release with that ID")}


def _message(exception):
    text = exception.args[0] if exception and exception.args else ""
    return gettext(text) if isinstance(text, str) and text in READER_MESSAGES else ""


@require_safe
def choose_language(request, code):
    """Remember the interface language the reader picked, then go back where they were."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such interface language")
    target = request.GET.get("next", "/")
    # Only a path on this site (redirect() would take any other word for a view's name).
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code,
                        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                        secure=settings.LANGUAGE_COOKIE_SECURE,
                        httponly=settings.LANGUAGE_COOKIE_HTTPONLY)
    return response
