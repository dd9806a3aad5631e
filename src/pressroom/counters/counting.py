"""Counting a reader's view of a language version.

Counting happens in the release page view, on every view the origin serves — a full
page (200) or a revalidation (304). Release pages are sent `Cache-Control: no-cache`, so
a CDN may keep them but asks the origin each time: views stay countable without JavaScript,
cookies or a beacon. See buffer.py for how counts are batched, deduplicated and kept safe.
"""

from pressroom.clientip import client_ip

from . import buffer
from .bots import is_bot, is_prefetch


def is_human_view(request) -> bool:
    return request.method == "GET" and not is_bot(
        request.headers.get("User-Agent", "")) and not is_prefetch(request.headers)


def count_view(request, version_id: int) -> bool:
    """Count a person's view (once per 30 minutes per version); True if it counted.

    The count reaches the database at the next flush (buffer.flush).
    """
    if not is_human_view(request):
        return False
    reader = f"{client_ip(request)}\0{request.headers.get('User-Agent', '')}".encode()
    return buffer.counter().add(version_id, reader)
