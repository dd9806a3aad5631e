"""/release/<id>/<lang>.pdf: thin; the work is in website/pdf.py."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from pressroom.releases.models import Release

from . import caching, pdf
from .views import render_gone


@require_safe
def release_pdf(request, release_id, lang):
    release = Release.objects.filter(pk=int(release_id)).first() if len(release_id) < 19 else None
    if release is None:
        raise Http404("No release with that ID")
    if release.status == Release.Status.REMOVED:
        return render_gone(release)
    etag = None
    found = pdf.pdf_for(release.pk, lang, request.build_absolute_uri)
    if found is None:
        raise Http404("No such language version")
    data, key = found
    etag = f'"{key}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{release.pk}-{lang}.pdf"'
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    return caching.cache_public(response, max_age=300)
