"""The transparency log in the database: append signed statements as leaves, answer roots,
checkpoints and proofs.

Leaf hashes are stored with each entry; hashes of complete subtrees of 2**8, 2**16 and 2**24
leaves ("tiles") are stored as they complete, in the appending transaction. Any root or
proof then reads at most a few hundred stored hashes per subtree it needs (a few thousand
rows in all at a billion leaves), never every leaf.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from pressroom.releases.store import insert_rows

from . import keys, merkle
from .models import LogEntry, LogHead, LogTile
from .offline import canonical_json, check_signed, key_set, sha256_hex

STORED_LEVELS = (8, 16, 24)
FORMAT = "pressroom-proof/1"


class LogCorrupt(Exception):
    """Stored hashes are missing: the log was edited outside Pressroom."""


def _hashes(rows) -> list[bytes]:
    return [bytes(h) for h in rows]


class StoredTree:
    """merkle.Subtree over the stored leaf hashes and tiles, remembering what it read."""

    def __init__(self):
        self._memo: dict[tuple[int, int], bytes] = {}

    def __call__(self, start: int, level: int) -> bytes:
        key = (start, level)
        if key not in self._memo:
            self._memo[key] = self._compute(start, level)
        return self._memo[key]

    def _compute(self, start: int, level: int) -> bytes:
        for stored in (s for s in (*STORED_LEVELS[::-1], 0) if s <= level):
            want = 1 << (level - stored)
            if stored == 0:
                hashes = _hashes(LogEntry.objects.filter(index__gte=start, index__lt=start + want)
                                 .order_by("index").values_list("leaf_hash", flat=True))
            else:
                first = start >> stored
                hashes = _hashes(LogTile.objects.filter(level=stored, index__gte=first,
                                                        index__lt=first + want)
                                 .order_by("index").values_list("hash", flat=True))
            if len(hashes) == want:
                return merkle.fold(hashes)
        raise LogCorrupt(f"leaves {start}..{start + (1 << level) - 1} are not all in the log")


def size() -> int:
    head = LogHead.objects.filter(pk=1).first()
    return head.size if head else 0


def root(tree_size: int, tree: StoredTree | None = None) -> bytes:
    return merkle.mth(tree or StoredTree(), 0, tree_size)


def append(items: list[dict]) -> list[int]:
    """Add entries (LogEntry fields but `index` and `leaf_hash`, with `statement` and
    `signature`) at the end of the log; call inside the writing transaction."""
    if not items:
        return []
    LogHead.objects.bulk_create([LogHead(pk=1, size=0)], ignore_conflicts=True)
    head = LogHead.objects.select_for_update().get(pk=1)
    start = head.size
    rows = []
    for i, item in enumerate(items):
        leaf = merkle.leaf_hash(canonical_json({"statement": item["statement"],
                                                "signature": item["signature"]}))
        rows.append({**item, "index": start + i, "leaf_hash": leaf})
    insert_rows(LogEntry, rows)  # an import appends thousands at a time
    head.size = start + len(rows)
    head.save(update_fields=["size"])
    _complete_tiles(start, head.size, {r["index"]: r["leaf_hash"] for r in rows})
    return [r["index"] for r in rows]


def _complete_tiles(old: int, new: int, fresh: dict[int, bytes]):
    made: dict[tuple[int, int], bytes] = {}
    below = 0
    for level in STORED_LEVELS:
        span = 1 << level
        for t in range(old // span, new // span):
            first, count = t << (level - below), 1 << (level - below)
            if below == 0:
                hashes = [fresh.get(i) for i in range(first, first + count)]
                if None in hashes:
                    hashes = _hashes(LogEntry.objects.filter(index__gte=first, index__lt=first + count)
                                     .order_by("index").values_list("leaf_hash", flat=True))
            else:
                hashes = [made.get((below, i)) for i in range(first, first + count)]
                if None in hashes:  # tiles made by earlier appends are in the database
                    stored = {i: bytes(h) for i, h in LogTile.objects.filter(
                        level=below, index__gte=first, index__lt=first + count)
                        .values_list("index", "hash")}
                    hashes = [h if h is not None else stored.get(first + k)
                              for k, h in enumerate(hashes)]
            if None in hashes or len(hashes) != count:
                raise LogCorrupt(f"cannot complete tile {level}/{t}: hashes below it are missing")
            made[(level, t)] = merkle.fold(hashes)
        below = level
    LogTile.objects.bulk_create([LogTile(level=lv, index=i, hash=h) for (lv, i), h in made.items()])


def origin() -> str:
    return settings.PRESSROOM.get("LOG_ORIGIN") or "pressroom"


def checkpoint(tree_size: int | None = None, tree: StoredTree | None = None) -> dict:
    """A signed tree head: {origin, size, root, kid, signed_at, signature}. The same one for
    a minute per size, so a busy page does not sign on every view."""
    tree_size = size() if tree_size is None else tree_size
    key = f"trust:checkpoint:{tree_size}"
    cp = cache.get(key)
    if cp is None:
        kid, private = keys.signer()
        body = {"origin": origin(), "size": tree_size, "root": root(tree_size, tree).hex(),
                "kid": kid, "signed_at": keys.iso(keys.utc_now())}
        cp = {**body, "signature": keys.sign(private, canonical_json(body))}
        cache.set(key, cp, 60)
    return cp


def checkpoint_problem(cp: dict, jwks: dict) -> str | None:
    body = {k: cp.get(k) for k in ("origin", "size", "root", "kid", "signed_at")}
    return check_signed(body, cp.get("signature", ""), key_set(jwks))


def entry_json(e: LogEntry) -> dict:
    return {"index": e.index, "statement": e.statement, "signature": e.signature,
            "leaf_hash": bytes(e.leaf_hash).hex()}


def bundle(entries: list[LogEntry]) -> dict:
    """Everything needed to check these entries offline: each statement, its signature and
    record, its inclusion proof, and the signed checkpoint the proofs lead to."""
    tree = StoredTree()
    n = size()
    cp = checkpoint(n, tree)
    return {
        "format": FORMAT, "checkpoint": cp, "keys": "/.well-known/pressroom-keys.json",
        "entries": [{
            "index": e.index, "statement": e.statement, "signature": e.signature,
            "record": json.loads(e.record),
            "inclusion": [h.hex() for h in merkle.inclusion_path(tree, e.index, n)],
        } for e in entries],
    }


def consistency(first: int, second: int) -> list[str]:
    return [h.hex() for h in merkle.consistency_path(StoredTree(), first, second)]


@transaction.atomic
def audit() -> list[str]:
    """Every stored leaf hash recomputed from its statement, and the tiles from the leaves:
    what does not match (empty when the log is whole)."""
    problems, tree_size = [], size()
    leaves: list[bytes] = []
    for e in LogEntry.objects.order_by("index").iterator(chunk_size=2000):
        if e.index != len(leaves):
            problems.append(f"entry {len(leaves)} is missing")
            break
        leaf = merkle.leaf_hash(canonical_json({"statement": e.statement, "signature": e.signature}))
        if leaf != bytes(e.leaf_hash):
            problems.append(f"entry {e.index}: its leaf hash is not the hash of its statement")
        if json.loads(e.record) and e.statement.get("record_sha256") != \
                sha256_hex(e.record.encode()):
            problems.append(f"entry {e.index}: its record is not the one its statement signs")
        leaves.append(leaf)
    if len(leaves) != tree_size and not problems:
        problems.append(f"the log head says {tree_size} entries, {len(leaves)} are stored")
    for t in LogTile.objects.order_by("level", "index").iterator():
        span = 1 << t.level
        if (t.index + 1) * span <= len(leaves):
            want = merkle.fold(leaves[t.index * span:(t.index + 1) * span])
            if want != bytes(t.hash):
                problems.append(f"tile {t.level}/{t.index} does not match its leaves")
    return problems
