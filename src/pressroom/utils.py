"""Small helpers with no home of their own (and no Django)."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence


def batched(items: Sequence, n: int) -> Iterator[Sequence]:
    """Slices of at most n items (itertools.batched from Python 3.12, for a list)."""
    items = list(items) if not isinstance(items, Sequence) else items
    for i in range(0, len(items), n):
        yield items[i:i + n]


def language_neutral(view):
    """Mark a view's responses as the same in every interface language (an image, a key set,
    robots.txt): pressroom.website.middleware.LocaleMiddleware then adds no
    ``Vary: Accept-Language``, so one cached copy serves every reader. Successes only: an
    error may say why in the reader's language."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response.language_neutral = True
        return response
    return wrapped
