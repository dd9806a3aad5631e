"""Public trust pages: the key set, the log (checkpoint, consistency, entries), proof
bundles for each version, the verifier page and the offline script. Thin: the work is in
keys, log, verifier."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from pressroom.releases.models import LanguageVersion
from pressroom.utils import language_neutral

from . import keys, log, queries, ratelimit, verifier
from .models import LogEntry

MAX_ENTRIES = 1000


def _json(data, status=200, max_age=60):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={max_age}" if status == 200 else "no-store"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message, status=400):
    return _json({"detail": message}, status=status)


@require_safe
@language_neutral
def key_set(request):
    return _json(keys.jwks(), max_age=300)


@require_safe
@language_neutral
def checkpoint(request):
    return _json(log.checkpoint(), max_age=10)


def _int_param(request, name):
    raw = request.GET.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 16 else None


@require_safe
@language_neutral
def consistency(request):
    first, second, n = _int_param(request, "from"), _int_param(request, "to"), log.size()
    if second is None and "to" not in request.GET:
        second = n
    if first is None or second is None:
        return _error("from and to must be tree sizes (whole numbers)")
    if not 0 < first <= second <= n:
        return _error(f"need 0 < from <= to <= {n} (the log's size)")
    return _json({"from": first, "to": second, "proof": log.consistency(first, second)})


@require_safe
@language_neutral
def entries(request):
    start, end, n = _int_param(request, "start"), _int_param(request, "end"), log.size()
    start = 0 if start is None else start
    end = min(n, start + MAX_ENTRIES) if end is None else min(end, n, start + MAX_ENTRIES)
    if start > end:
        return _error("start must not be after end")
    rows = LogEntry.objects.filter(index__gte=start, index__lt=end).order_by("index")
    return _json({"size": n, "start": start, "end": end,
                  "entries": [log.entry_json(e) for e in rows]})


def _bundle(release_id: int, lang: str | None, everything: bool = False):
    if queries.removed(release_id):
        return _error(_("This release has been removed."), status=410)
    if everything:
        versions = list(LanguageVersion.objects.filter(release_id=release_id).order_by(
            "-is_original", "language__position"))
    else:
        v = queries.version_of(release_id, lang)
        versions = [v] if v else []
    found = [e for e in (queries.latest_entry(v.pk) for v in versions) if e is not None]
    if not found:
        raise Http404("No signed version")
    return _json(log.bundle(found), max_age=60)


@require_safe
@language_neutral
def proof(request, release_id, lang=None):
    return _bundle(int(release_id), lang)


@require_safe
@language_neutral
def text_signature(request, release_id):
    return _bundle(int(release_id), None)


@require_safe
@language_neutral
def json_signature(request, release_id):
    return _bundle(int(release_id), None, everything=True)


@require_safe
def offline_script(request):
    source = (Path(__file__).parent / "offline.py").read_text(encoding="utf-8")
    response = HttpResponse(source, content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify_release.py"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def verify_page(request):
    context = {"text": "", "url": "", "result": None, "error": None}
    status = 200
    if request.method == "GET" and request.GET.get("url"):  # the "check it" link of a page
        limited = ratelimit.hit(request)
        try:
            context["url"] = request.GET["url"][:2000]
            if limited:
                raise verifier.BadInput(limited, 429)
            context["result"] = verifier.verify(verifier.Query(url=context["url"]), request)
        except verifier.BadInput as e:
            context["error"], status = str(e), e.status
    elif request.method == "POST":
        limited = ratelimit.hit(request)
        if limited:
            context["error"], status = limited, 429
        else:
            try:
                query = verifier.read_form(request)
                context.update(text=query.text or "", url=query.url or "")
                context["result"] = verifier.verify(query, request)
            except verifier.BadInput as e:
                context["error"], status = str(e), e.status
    response = render(request, "trust/verify.html", context, status=status)
    response["Cache-Control"] = ("private, no-store" if request.method == "POST" or request.GET
                                 else "public, max-age=300")
    return response


QR_MASK = 4


@functools.lru_cache(maxsize=2048)  # ~3 KB each: a reader's browser asks once per release
def qr_svg(url: str) -> bytes:
    import segno

    # A fixed mask: choosing the best of eight was four fifths of the QR code's cost; any mask
    # reads the same. A file of its own needs the SVG namespace (svg_inline leaves it out).
    out = io.BytesIO()
    segno.make(url, error="m", mask=QR_MASK).save(out, kind="svg", scale=2, xmldecl=False,
                                                  title=url)
    return out.getvalue()


@require_safe
@language_neutral
def qr_code(request, release_id, lang=None):
    """The QR code of a version's verify link, an SVG the release page prints. A function of
    the URL and the host alone, so it is kept for a day by browsers and any cache between."""
    from django.urls import reverse

    from pressroom.releases.models import Release
    from pressroom.releases.queries import version_rows
    from pressroom.urlcache import reverse_cached

    release_id = int(release_id)
    rows = version_rows(release_id)
    row = next((r for r in rows if (r["language_id"] == lang if lang else r["is_original"])), None)
    if row is None or row["release__status"] == Release.Status.REMOVED:
        raise Http404("No such release version")
    path = (reverse_cached("website:release", (release_id,)) if row["is_original"]
            else reverse("website:release_version", args=[release_id, row["language_id"]]))
    verify_url = request.build_absolute_uri(reverse("trust:verify") + "?url=" + path)
    response = HttpResponse(qr_svg(verify_url), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
