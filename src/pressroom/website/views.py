"""Public pages. Thin: lookups live in queries.py, text formats in releases.pibtext."""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_safe

from pressroom.counters.counting import count_view
from pressroom.ingest import exporter
from pressroom.releases.models import Bureau, Language, Ministry, Release

from .queries import ListingFilter, days_of, find_release_or_version, with_display_versions


@require_safe
def home(request):
    latest = with_display_versions(Release.objects.exclude(status=Release.Status.REMOVED)
                                   .order_by("-posted_at", "-release_id")[:40])
    return render(request, "website/home.html", {
        "days": days_of(latest),
        "ministries": Ministry.objects.annotate(n=Count("releases")).filter(n__gt=0)
        .order_by("-n")[:12],
        "languages": Language.objects.filter(versions__isnull=False).distinct(),
    })


@require_safe
def release_list(request):
    f = ListingFilter.from_query(request.GET)
    paginator = Paginator(f.releases(), settings.PRESSROOM["RELEASES_PER_PAGE"])
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = with_display_versions(page.object_list, f.language)
    query = "&".join(f"{k}={v}" for k, v in f.as_query().items())
    return render(request, "website/release_list.html", {
        "filter": f, "page": page, "days": days_of(page.object_list), "query": query,
        "ministries": Ministry.objects.all(), "bureaus": Bureau.objects.all(),
        "languages": Language.objects.all(),
    }, status=400 if f.errors else 200)


@require_safe
def ministry_index(request):
    ministries = Ministry.objects.annotate(n=Count("releases")).order_by("name")
    bureaus = Bureau.objects.annotate(n=Count("releases")).order_by("name")
    return render(request, "website/ministries.html", {"ministries": ministries,
                                                      "bureaus": bureaus})


def _release_or_404(release_id):
    release = get_object_or_404(Release.objects.select_related("ministry", "bureau",
                                                              "original_language"),
                                release_id=release_id)
    if release.status == Release.Status.REMOVED:
        return release, render_gone(release)
    return release, None


def render_gone(release):
    from django.template.loader import render_to_string
    html = render_to_string("website/gone.html", {"release": release})
    return HttpResponse(html, status=410)


@require_safe
def release_page(request, release_id, lang=None):
    release, gone = _release_or_404(release_id)
    if gone:
        return gone
    versions = list(release.versions.select_related("language"))
    if lang is None:
        version = next((v for v in versions if v.is_original), versions[0] if versions else None)
    else:
        version = next((v for v in versions if v.language_id == lang), None)
        if version is not None and version.is_original:
            return redirect("website:release", release_id=release.release_id, permanent=True)
    if version is None:
        raise Http404("No such language version")
    if count_view(request, version):
        version.visitor_count += 1
    original = next((v for v in versions if v.is_original), None)
    return render(request, "website/release_detail.html", {
        "release": release, "version": version, "versions": versions, "original": original,
        "revisions": version.revisions.all()[:20],
    })


@require_safe
def release_text(request, release_id):
    release, gone = _release_or_404(release_id)
    if gone:
        return gone
    release = next(exporter.releases([release.release_id]))
    return HttpResponse(exporter.pib_text(release), content_type="text/plain; charset=utf-8")


@require_safe
def release_json(request, release_id):
    release, gone = _release_or_404(release_id)
    if gone:
        return gone
    release = next(exporter.releases([release.release_id]))
    records = exporter.jsonl_records(release)
    data = {"release_id": release.release_id, "url": request.build_absolute_uri(
        release.get_absolute_url()), "versions": records}
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


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
def healthz(request):
    checks = {}
    try:
        with connection.cursor() as c:
            c.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as e:  # noqa: BLE001 - report, do not raise
        checks["database"] = f"error: {e.__class__.__name__}"
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", "checks": checks},
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
