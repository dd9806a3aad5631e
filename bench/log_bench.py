"""Transparency log at scale: roots, inclusion and consistency proofs over N leaves, read
from stored leaf hashes and tiles, against the baseline of hashing every leaf (what a tree
without stored subtrees costs per request), in the same run.

    .venv/bin/python bench/log_bench.py --n 1000000
    .venv/bin/python bench/log_bench.py --n 20000            # seconds
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--queries", type=int, default=50)
    a = p.parse_args()
    data = Path(tempfile.mkdtemp(prefix="pressroom-log-bench-"))
    os.environ["PRESSROOM_DATA"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from pressroom.trust import log, merkle
    from pressroom.trust.models import LogEntry
    from pressroom.trust.offline import verify_consistency, verify_inclusion

    try:
        call_command("migrate", verbosity=0)
        t = time.perf_counter()
        batch = 20_000
        for start in range(0, a.n, batch):
            with transaction.atomic():
                log.append([dict(release_id=i, language="en", version_id=i, revision=1, event="import",
                                 statement={"i": i}, signature="-", record="{}")
                            for i in range(start, min(a.n, start + batch))])
        print(f"appended {a.n:,} leaves (tiles as they complete) in {time.perf_counter() - t:.1f} s")
        rng = random.Random(1)
        root_ms, incl_ms, cons_ms, queries = [], [], [], []
        for _ in range(a.queries):
            size = rng.randint(a.n // 2, a.n)
            index = rng.randrange(size)
            first = rng.randint(1, size)
            with CaptureQueriesContext(connection) as q:
                t = time.perf_counter()
                tree = log.StoredTree()
                root = log.root(size, tree)
                root_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                path = merkle.inclusion_path(tree, index, size)
                incl_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                cpath = merkle.consistency_path(log.StoredTree(), first, size)
                cons_ms.append((time.perf_counter() - t) * 1000)
            queries.append(len(q.captured_queries))
            leaf = bytes(LogEntry.objects.get(index=index).leaf_hash)
            assert verify_inclusion(index, size, leaf, path, root)
            assert verify_consistency(first, size, log.root(first), root, cpath)
        t = time.perf_counter()
        leaves = [bytes(h) for h in LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
        full = merkle.mth(merkle.list_subtree(leaves), 0, a.n)
        baseline = (time.perf_counter() - t) * 1000
        assert full == log.root(a.n)
        med = statistics.median
        print(f"root:        p50 {med(root_ms):.1f} ms   (tiles)")
        print(f"inclusion:   p50 {med(incl_ms):.1f} ms   (after the root, same tree reads)")
        print(f"consistency: p50 {med(cons_ms):.1f} ms")
        print(f"queries per root+inclusion+consistency: p50 {med(queries):.0f}, max {max(queries)}")
        print(f"baseline: root from every leaf hash {baseline:.0f} ms; ratio baseline/root "
              f"{baseline / med(root_ms):.0f}")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
