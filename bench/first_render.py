"""First renders: what a page costs when no cache has it, in-process (no server, no network).

    .venv/bin/python bench/first_render.py [--releases 100000] [--pages 200] [--rounds 3]

At 2,000,000 releases nearly every listing, search and release page a reader asks for is a
first render: the per-worker page caches hold a few thousand. This bench builds (once, then
reuses) the synthetic archive of bench/servers.py, then renders --pages different pages of
each kind through Django's test client with the page caches emptied before each request,
--rounds times, and prints the median milliseconds per page:

- release     a release page, releases drawn evenly from the whole archive;
- listing     /releases/?ministry=<any>&page=<1..5>;
- day         /releases/?date=<a day with releases>;
- search      /search/?q=<a rare word> over different words (in 0.01% to 0.1% of versions);
- home        / (the newest releases).

The drop-down lists of the filters stay kept (they are per state of the record, which changes
a few hundred times a day): what is measured is a page no cache holds.

Run it on two checkouts (PYTHONPATH=<checkout>/src) to compare code; the figures are
wall-clock on a shared machine, so compare medians of runs made in turns.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from servers import bench_env, prepare  # noqa: E402

try:  # Pressroom's SQLite: its search index is contentless FTS5, too new for older ones
    from pysqlite3 import dbapi2 as sqlite3
except ImportError:  # pragma: no cover (not Linux x86-64)
    import sqlite3

KINDS = ("release", "listing", "day", "search", "home")


def page_paths(db: Path, kind: str, n: int, rng: random.Random) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        if kind == "release":
            ids = [r for (r,) in c.execute("SELECT release_id FROM releases_release "
                                           "WHERE status != 'removed'")]
            return [f"/release/{r}/" for r in rng.sample(ids, min(n, len(ids)))]
        if kind == "listing":
            slugs = [s for (s,) in c.execute("SELECT slug FROM releases_ministry")]
            return [f"/releases/?ministry={rng.choice(slugs)}&page={rng.randint(1, 5)}"
                    for _ in range(n)]
        if kind == "day":
            days = [d for (d,) in c.execute("SELECT DISTINCT date(posted_at, '+330 minutes') "
                                            "FROM releases_release")]
            return [f"/releases/?date={rng.choice(days)}" for _ in range(n)]
        if kind == "search":
            total = c.execute("SELECT count(*) FROM search_searchentry").fetchone()[0]
            c.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, search_fts, row)")
            words = [w for (w,) in c.execute(
                "SELECT term FROM temp.words WHERE length(term) >= 4 AND term NOT GLOB '*[^a-z]*' "
                "AND doc BETWEEN ? AND ?", (max(1, total // 10_000), max(3, total // 1000)))]
            return [f"/search/?q={w}" for w in rng.sample(words, min(n, len(words)))]
        return ["/"] * n


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=200, help="different pages of each kind")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder (default var/bench-<releases>, shared with peer_bench)")
    args = parser.parse_args()
    data = (args.data or ROOT / "var" / f"bench-{args.releases}").resolve()
    data.mkdir(parents=True, exist_ok=True)
    env = bench_env(data)
    prepare(data, args.releases, env)

    os.environ.update(env, PRESSROOM_REQUEST_LOG="0", DJANGO_SETTINGS_MODULE="pressroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from pressroom.website import pagecache

    settings.ALLOWED_HOSTS = ["*"]
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 first-render")
    rng = random.Random(12)
    db = data / "pressroom.sqlite3"
    paths = {kind: page_paths(db, kind, args.pages * args.rounds + 10, rng) for kind in KINDS}
    for kind in KINDS:  # warm: imports, templates, SQLite's own cache; and every page answers 200
        for path in paths[kind][:10]:
            status = client.get(path).status_code
            if status != 200:
                sys.exit(f"{path} answered {status}")
    print(f"{args.releases:,} releases, {args.pages} different pages of each kind a round, "
          f"{args.rounds} rounds; page caches emptied before each request")
    print(f"{'page':10s} {'median ms':>10s} {'min':>7s} {'max':>7s}")
    for kind in KINDS:
        rest, per_round = paths[kind][10:] or paths[kind], []
        if not rest:
            print(f"{kind:10s} (no such page in this archive)")
            continue
        for k in range(args.rounds):
            chosen = rest[k * args.pages:(k + 1) * args.pages] or rest
            t = time.perf_counter()
            for path in chosen:
                pagecache.clear()
                client.get(path)
            per_round.append((time.perf_counter() - t) / len(chosen) * 1000)
        print(f"{kind:10s} {statistics.median(per_round):10.2f} {min(per_round):7.2f} "
              f"{max(per_round):7.2f}")


if __name__ == "__main__":
    main()
