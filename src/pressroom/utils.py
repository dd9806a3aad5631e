"""Small helpers with no home of their own (and no Django)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def batched(items: Sequence, n: int) -> Iterator[Sequence]:
    """Slices of at most n items (itertools.batched from Python 3.12, for a list)."""
    items = list(items) if not isinstance(items, Sequence) else items
    for i in range(0, len(items), n):
        yield items[i:i + n]
