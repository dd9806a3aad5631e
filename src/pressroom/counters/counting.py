"""Counting a reader's view of a language version.

Counting happens in the release page view, on every view the origin serves — a full
page (200) or a revalidation (304). Release pages are sent `Cache-Control: no-cache`, so
a CDN may keep them but asks the origin each time: views stay countable without JavaScript,
cookies or a beacon. See buffer.py for how counts are batched, deduplicated and kept safe.
"""

from django.conf import settings

from . import buffer
from .bots import is_bot, is_prefetch


def is_human_view(request) -> bool:
    return request.method == "GET" and not is_bot(
        request.headers.get("User-Agent", "")) and not is_prefetch(request.headers)


def client_address(request) -> str:
    """REMOTE_ADDR, or the first address of a header set by a proxy the operator trusts."""
    header = settings.PRESSROOM.get("CLIENT_IP_HEADER")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def count_view(request, version_id: int) -> bool:
    """Count a person's view (once per 30 minutes per version); True if it counted.

    The count reaches the database at the next flush (buffer.flush).
    """
    if not is_human_view(request):
        return False
    reader = f"{client_address(request)}\0{request.headers.get('User-Agent', '')}".encode()
    return buffer.counter().add(version_id, reader)
