"""RFC 9162 Merkle tree: roots, inclusion and consistency proofs, for a tree whose hashes
are read through `subtree(start, level)` (the hash of the complete subtree of 2**level leaves
from leaf `start`). Pure: the log (log.py) answers `subtree` from stored leaf hashes and
stored tiles; the tests answer it from a list. Verification is in offline.py."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from .offline import leaf_hash, node_hash, verify_consistency, verify_inclusion  # noqa: F401

EMPTY_ROOT = hashlib.sha256(b"").digest()

Subtree = Callable[[int, int], bytes]


def split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): RFC 9162's k."""
    return 1 << ((n - 1).bit_length() - 1)


def mth(subtree: Subtree, start: int, end: int) -> bytes:
    """MTH(D[start:end])."""
    n = end - start
    if n <= 0:
        return EMPTY_ROOT
    if n & (n - 1) == 0:  # complete, and aligned: every range this recursion makes is
        return subtree(start, n.bit_length() - 1)
    k = split(n)
    return node_hash(mth(subtree, start, start + k), mth(subtree, start + k, end))


def inclusion_path(subtree: Subtree, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]), RFC 9162 2.1.3.1."""
    if not 0 <= index < size:
        raise ValueError("leaf index outside the tree")
    path, start, end, m = [], 0, size, index
    while end - start > 1:
        k = split(end - start)
        if m < k:
            path.append(mth(subtree, start + k, end))
            end = start + k
        else:
            path.append(mth(subtree, start, start + k))
            start, m = start + k, m - k
    return path[::-1]


def consistency_path(subtree: Subtree, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]), RFC 9162 2.1.4.1."""
    if not 0 < first <= second:
        raise ValueError("need 0 < first <= second")
    if first == second:
        return []
    out: list[bytes] = []
    start, end, m, complete = 0, second, first, True
    while True:
        n = end - start
        if m == n:
            if not complete:
                out.append(mth(subtree, start, end))
            break
        k = split(n)
        if m <= k:
            out.append(mth(subtree, start + k, end))
            end = start + k
        else:
            out.append(mth(subtree, start, start + k))
            start, m, complete = start + k, m - k, False
    return out[::-1]


def list_subtree(leaves: list[bytes]) -> Subtree:
    """`subtree` over leaf hashes held in memory (tests, the monitor)."""
    def subtree(start: int, level: int) -> bytes:
        return fold(leaves[start:start + (1 << level)])
    return subtree


def fold(hashes: list[bytes]) -> bytes:
    """The root of a complete subtree from its 2**k hashes at one level."""
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]
