"""Rendered release pages kept in this process, keyed by their ETag.

The ETag already names everything a release page shows (release and version update times,
status, language, the set of versions), so a page found here is the page a fresh render
would give — except the visitor counter, which is left as a marker and filled in per view.
Entries also expire after MAX_AGE seconds, bounding staleness from changes the ETag does not
see (a ministry renamed). Bounded in size: the least recently used go first.
"""

import threading
import time
from collections import OrderedDict

COUNTER_MARK = "\ue000visitor-count\ue000"  # a private-use character never found in content
MAX_ENTRIES = 2000
MAX_AGE = 300

_pages: OrderedDict = OrderedDict()
_lock = threading.Lock()


def get(key) -> bytes | None:
    with _lock:
        entry = _pages.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del _pages[key]
            return None
        _pages.move_to_end(key)
        return entry[1]


def put(key, content: bytes):
    with _lock:
        _pages[key] = (time.monotonic() + MAX_AGE, content)
        _pages.move_to_end(key)
        while len(_pages) > MAX_ENTRIES:
            _pages.popitem(last=False)


def clear():
    with _lock:
        _pages.clear()


def fill_counter(content: bytes, count: int) -> bytes:
    return content.replace(COUNTER_MARK.encode(), str(count).encode())
