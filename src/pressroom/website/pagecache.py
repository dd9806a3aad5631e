"""Rendered release pages kept in this process, keyed by their ETag.

The ETag already names everything a release page shows (release and version update times,
status, language, the set of versions), so a page found here is the page a fresh render
would give — except the visitor counter, which is left as a marker and filled in per view.
Entries also expire after MAX_AGE seconds, bounding staleness from changes the ETag does not
see (a ministry renamed). Bounded in entries and in bytes: the least recently used go first.
"""

import json
import threading
import time
from collections import OrderedDict

COUNTER_MARK = "\ue000visitor-count\ue000"  # a private-use character never found in content
MAX_ENTRIES = 2000
MAX_AGE = 300
MAX_BYTES = 32 * 2**20  # release pages are ~20 KB


class Kept:
    """A least-recently-used store bounded in entries and in bytes, each entry with its own
    expiry. Thread-safe (gunicorn's threads share a worker's stores)."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries: OrderedDict = OrderedDict()  # key -> (expires, content, size)
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key, content, max_age: float):
        size = _size(content)
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + max_age, content, size)
            self.bytes += size
            while len(self.entries) > self.max_entries or (
                    self.bytes > self.max_bytes and len(self.entries) > 1):
                self._drop(next(iter(self.entries)))

    def _drop(self, key):
        self.bytes -= self.entries.pop(key)[2]

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.bytes = 0


def _size(content) -> int:
    return len(content) if isinstance(content, bytes) else sum(
        len(part) for part in content if isinstance(part, bytes))


# Release pages, their JSON, feeds and QR codes; the record pages below have a store of their
# own, so a crawler walking listing URLs never pushes the release pages out.
_pages = Kept(MAX_ENTRIES, MAX_BYTES)


def get(key) -> bytes | None:
    return _pages.get(key)


def put(key, content):
    """Keep `content` (bytes, or a tuple whose bytes are counted) under `key`."""
    _pages.put(key, content, MAX_AGE)


def clear():
    _pages.clear()
    for store in _STORES.values():
        store.clear()


def fill_counter(content: bytes, count: int) -> bytes:
    return content.replace(COUNTER_MARK.encode(), str(count).encode())


# --- JSON answers about one release (/release/<id>.json, /api/v1/releases/<id>) -------------
# Built once per state of the record, like the page: the key is what `version_rows` reads (the
# release's status and update time, each version's update time), so a correction, translation,
# withdrawal or media change makes a new entry. Visitor counts are the one thing that changes
# without the record: each version's is a marker in the kept bytes, filled in per answer.


def json_counter_mark(language: str) -> str:
    return f"\ue000visitor-count:{language}\ue000"


def fill_json_counters(content: bytes, counts: dict[str, int]) -> bytes:
    """Each version's marker (a JSON string, escaped or not) becomes its count (a number)."""
    for language, count in counts.items():
        mark = json_counter_mark(language)
        number = str(count).encode()
        for token in (json.dumps(mark, ensure_ascii=False), json.dumps(mark)):
            content = content.replace(token.encode(), number)
    return content


def counted_json(request, kind: str, rows: list[dict], build, *, content_type: str,
                 max_age: int | None = None, last_modified=None):
    """The answer about one release from `rows` (releases.queries.version_rows, not empty):
    304 when the reader has it (the ETag names the record's state and the counts), else the
    kept bytes with this moment's counts; `build(marks)` makes the bytes on a miss, with
    `marks[language]` where each version's visitor count goes."""
    from django.http import HttpResponse, HttpResponseNotModified
    from django.utils.cache import patch_cache_control

    from . import caching

    first = rows[0]
    parts = (kind, first["release__status"], first["release__updated_at"].isoformat(),
             *(f"{r['language_id']}:{r['updated_at'].isoformat()}" for r in rows))
    counts = {r["language_id"]: r["visitor_count"] for r in rows}
    etag, last_modified = caching.validators(*parts, *sorted(counts.items()),
                                             last_modified=last_modified)
    if caching.not_modified(request, etag, last_modified):
        response = HttpResponseNotModified()
    else:
        key = (parts, request.scheme, request.get_host())
        content = get(key)
        if content is None:
            content = build({language: json_counter_mark(language) for language in counts})
            put(key, content)
        response = HttpResponse(fill_json_counters(content, counts), content_type=content_type)
    if max_age is not None:  # on the 304 too, as Django's own 304s keep it
        patch_cache_control(response, public=True, max_age=max_age)
    return caching.set_validators(response, etag, last_modified)


# --- Pages made from the record alone (listings, the home page, sitemaps) -------------------
# Kept per state of the whole record (releases.queries.record_state: two index seeks), so a
# release published, corrected, withdrawn or renamed anywhere makes every such page new, and
# a repeat costs one small query instead of the listing's queries and template.

# At most the shared caches' own max-age (PAGE_MAX_AGE, 60 s): what the state does not see (a
# ministry's translated name edited alone; on PostgreSQL, a batch committed after a newer
# write) shows within the minute a CDN would take anyway.
_record_pages = Kept(500, 24 * 2**20)
# Search pages are made from the record alone too (the index changes in the record's own
# transaction), but readers ask for far more different ones: a store of their own, so a run
# of different searches never pushes the listings out.
_search_pages = Kept(1000, 24 * 2**20)
_STORES = {"record": _record_pages, "search": _search_pages}


def record_page_key(request, *parts) -> tuple:
    """The key of a response made from the record alone, as this request asks for it."""
    from django.utils.translation import get_language

    from pressroom.releases.queries import record_state

    state = request.record_state = record_state()  # the view may use it again (count_key)
    return ("record-page", request.scheme, request.get_host(), request.get_full_path(),
            get_language(), state, *parts)


def get_record_page(key):
    return _record_pages.get(key)


def put_record_page(key, value):
    from django.conf import settings

    _record_pages.put(key, value, settings.PRESSROOM["PAGE_MAX_AGE"])


def kept_while_record_unchanged(view=None, *, store: str = "record"):
    """Keep the view's responses per state of the record (and URL, host and language):
    ``@kept_while_record_unchanged``, or ``(store="search")`` for the search pages' store."""
    import functools

    from django.conf import settings
    from django.http import HttpResponse

    if view is None:
        return functools.partial(kept_while_record_unchanged, store=store)
    kept_pages = _STORES[store]

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = record_page_key(request)
        kept = kept_pages.get(key)
        if kept is not None:
            status, headers, content = kept
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True) is False:
            response.render()  # a TemplateResponse (the sitemaps)
        if _keepable(request, response):
            kept_pages.put(key, (response.status_code, list(response.items()), response.content),
                              settings.PRESSROOM["PAGE_MAX_AGE"])
        return response

    return wrapper


def _keepable(request, response) -> bool:
    """Only what is the same for every reader: no cookie set, no CSRF token or session read.
    Only 200s: a 400 for a made-up filter is cheap to make again and not worth a place."""
    from django.utils.functional import empty

    session = getattr(request, "session", None)
    if getattr(session, "_wrapped", None) is empty:
        session = None  # the reader's lazy session, never made: looking would make it
    return (response.status_code == 200 and not response.streaming
            and not response.cookies and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (session is not None and getattr(session, "accessed", False)))
