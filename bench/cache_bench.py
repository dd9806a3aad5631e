"""The shared cache of one box (no Redis): what a write costs as the folder fills.

    .venv/bin/python bench/cache_bench.py [--entries 1000 5000 20000] [--writes 300]

For each size, fills a temporary folder with that many entries, then times --writes writes
and reads with Django's FileBasedCache and with pressroom.cache.FileCache (which lists the
folder to decide on culling on one write in CULL_CHECK_EVERY, not on each), in turns, and
prints the median and p95 microseconds per write and read and the mean write, with the ratio
FileCache / FileBasedCache. MAX_ENTRIES is the production setting's (20,000)."""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from django.conf import settings  # noqa: E402

settings.configure()

from django.core.cache.backends.filebased import FileBasedCache  # noqa: E402

from pressroom.cache import FileCache  # noqa: E402


def fill(folder: str, entries: int):
    cache = FileBasedCache(folder, {"OPTIONS": {"MAX_ENTRIES": 10**9}})
    for i in range(entries):
        cache.set(f"filler-{i}", {"count": i}, timeout=None) if i == 0 else \
            shutil.copyfile(cache._key_to_file("filler-0"), cache._key_to_file(f"filler-{i}"))


def times(cache, writes: int) -> tuple[list[float], list[float]]:
    w, r = [], []
    for i in range(writes):
        t = time.perf_counter()
        cache.set(f"count-{i}", {"count": i, "filter": "ministry=defence"})
        w.append(time.perf_counter() - t)
        t = time.perf_counter()
        cache.get(f"count-{i}")
        r.append(time.perf_counter() - t)
    return w, r


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--writes", type=int, default=300)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="cache-bench-"))
    try:
        print(f"{'entries':>8s} {'backend':16s} {'write p50 µs':>12s} {'p95':>8s} {'mean':>8s} "
              f"{'read p50 µs':>11s}")
        for entries in args.entries:
            mean = {}
            for backend in (FileBasedCache, FileCache):
                folder = base / f"{entries}-{backend.__name__}"
                os.makedirs(folder)
                fill(str(folder), entries)
                w, r = times(backend(str(folder), {"OPTIONS": {"MAX_ENTRIES": 20_000}}),
                             args.writes)
                mean[backend] = statistics.fmean(w)
                p95 = statistics.quantiles(w, n=20)[-1]
                print(f"{entries:8d} {backend.__name__:16s} {statistics.median(w) * 1e6:12.0f} "
                      f"{p95 * 1e6:8.0f} {mean[backend] * 1e6:8.0f} "
                      f"{statistics.median(r) * 1e6:11.0f}")
                shutil.rmtree(folder)
            print(f"{'':8s} mean write FileCache / FileBasedCache: "
                  f"{mean[FileCache] / mean[FileBasedCache]:.3f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
