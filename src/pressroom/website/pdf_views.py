from django.http import Http404


def release_pdf(request, release_id, lang):
    raise Http404("not yet")
