"""Counting a reader's view of a language version."""

from django.db.models import F

from pressroom.releases.models import LanguageVersion

from .bots import is_bot, is_prefetch


def is_human_view(request) -> bool:
    return request.method == "GET" and not is_bot(
        request.headers.get("User-Agent", "")) and not is_prefetch(request.headers)


def count_view(request, version: LanguageVersion) -> bool:
    """Add one to the version's counter if a person is reading; True if counted.

    One atomic UPDATE ... SET visitor_count = visitor_count + 1: concurrent views each add.
    """
    if not is_human_view(request):
        return False
    LanguageVersion.objects.filter(pk=version.pk).update(visitor_count=F("visitor_count") + 1)
    return True
