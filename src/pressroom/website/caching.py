"""HTTP caching fit for a CDN: Cache-Control, ETag and Last-Modified, 304 on a match.

Pages whose content is the record (listings, feeds, API) get a shared max-age and an ETag
from their content (ConditionalGetMiddleware hashes it). Release pages carry an ETag made
from what can change them — a correction or withdrawal moves `updated_at` or `status` — so
a revalidation is answered with 304 without rendering; they are `no-cache` (a CDN keeps them
but asks the origin each time) so that every reader's view still reaches the counter.
"""

import functools
import hashlib
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import get_language


def cache_public(response, max_age: int | None = None):
    """Shared caches may keep a successful response for max_age seconds (default
    settings.PRESSROOM["PAGE_MAX_AGE"], 60: a new release shows on listings within a minute)."""
    if max_age is None:
        max_age = settings.PRESSROOM["PAGE_MAX_AGE"]
    if response.status_code == 200 and not response.has_header("Cache-Control"):
        response.headers["Cache-Control"] = public_cache_control(max_age)
    return response


@functools.lru_cache(maxsize=64)
def public_cache_control(max_age: int) -> str:
    """What patch_cache_control(public=True, max_age=max_age) writes on a response with no
    Cache-Control (worked out once: it parses and sorts, a twentieth of a trivial request)."""
    response = HttpResponse()
    patch_cache_control(response, public=True, max_age=max_age)
    return response.headers["Cache-Control"]


def revalidate_each_time(response):
    """Caches may store it but must ask us (cheaply, with the ETag) before reusing it."""
    patch_cache_control(response, public=True, no_cache=True, max_age=0)
    return response


def validators(*parts, last_modified: datetime | None = None) -> tuple[str, datetime | None]:
    """A strong ETag from the parts that decide a response (and the active language)."""
    digest = hashlib.blake2b("|".join(map(str, (*parts, get_language()))).encode(),
                             digest_size=12).hexdigest()
    return f'"{digest}"', last_modified


def not_modified(request, etag: str, last_modified: datetime | None) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = parse_etags(if_none_match)
        return "*" in tags or etag in tags or etag.strip('"') in [t.strip('"') for t in tags]
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and last_modified is not None:
        return int(last_modified.timestamp()) <= since
    return False


def set_validators(response, etag: str, last_modified: datetime | None):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response
