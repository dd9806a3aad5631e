"""Verifier speed and accuracy: a synthetic archive, and a seeded set of genuine copies and
forgeries sent through the verifier (the function POST /api/v1/verify calls).

For a sample of releases it makes: the text as published, a chat forward of it ("Forwarded"
banner, *bold* title, curly quotes, emoji, lines joined), one paragraph of it; and forgeries:
a figure changed, a name changed, a sentence inserted, paragraphs of two releases spliced,
a text invented from the archive's own vocabulary, and the same claiming a real Release ID.
It prints p50/p95 per verification and how many of each kind were classified right; the
baseline line is the cost of reading the candidates alone (the index lookup), in this run.

    .venv/bin/python bench/verify_bench.py --n 1000          # seconds
    .venv/bin/python bench/verify_bench.py --n 100000 --cases 300
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import jsonl_records  # noqa: E402


def with_figures(n: int, seed: int, out: Path):
    """The generator's archive with figures in it (forgers change figures)."""
    rng = random.Random(seed + 1)
    with out.open("w", encoding="utf-8") as f:
        for r in jsonl_records(n, seed):
            if r["language"] == "en":
                paras = r["body_text"].split("\n")
                r["body_text"] = "\n".join(
                    f"{p} The outlay is Rs {rng.randint(10, 99999)} crore for {rng.randint(2, 40)} "
                    f"states." for p in paras)
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def chat_forward(title: str, body: str) -> str:
    body = " ".join(body.split("\n")).replace('"', "\u201c").replace("'", "\u2019")
    return f"Forwarded many times\n*{title}* \U0001F4E2\U0001F1EE\U0001F1F3\n{body} \U0001F64F"


def cases(versions, rng: random.Random, vocabulary: list[str], count: int):
    """(kind, text, expected verdict, acceptable release ids)."""
    sample = rng.sample(versions, min(count, len(versions)))
    for v in sample:
        rid, title, paras = v["release_id"], v["title"], v["body_text"].split("\n")
        text = title + "\n" + v["body_text"]
        yield "genuine: as published", text, "genuine", {rid}
        yield "genuine: chat forward", chat_forward(title, v["body_text"]), "genuine", {rid}
        yield "genuine: one paragraph", rng.choice(paras), "genuine", {rid}
        figures = list(re.finditer(r"\d+", text))
        if figures:
            m = rng.choice(figures)
            yield ("forgery: figure changed", text[:m.start()] + str(int(m[0]) * 2 + 1) + text[m.end():],
                   "altered", {rid})
        words = text.split()
        k = rng.randrange(len(words) // 4, len(words) - 1)
        yield ("forgery: name changed", " ".join(words[:k] + ["Rajasthan"] + words[k + 1:]),
               "altered", {rid})
        k = rng.randrange(1, len(paras))
        yield ("forgery: sentence inserted", "\n".join(
            paras[:k] + ["Every family will also get free electricity from next month."] + paras[k:]),
               "altered", {rid})
        other = rng.choice(versions)
        if other["release_id"] != rid:
            yield ("forgery: splice", "\n".join(paras[:2] + other["body_text"].split("\n")[:2]),
                   "altered", {rid, other["release_id"]})
        invented = " ".join(rng.choice(vocabulary) for _ in range(120))
        yield "forgery: invented", invented, "unknown", set()
        yield "forgery: invented, real ID", f"{invented}\n(Release ID: {rid})", "unknown", set()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1000, help="releases in the archive")
    p.add_argument("--cases", type=int, default=40, help="releases to make copies and forgeries of")
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--keep", type=Path, help="keep the database in this folder (reused next time)")
    a = p.parse_args()

    data = a.keep or Path(tempfile.mkdtemp(prefix="pressroom-verify-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    os.environ["PRESSROOM_DATA"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import RequestFactory

    from pressroom.ingest.importer import Importer
    from pressroom.releases.models import Release
    from pressroom.trust import neardup, verifier
    from pressroom.trust.textmatch import shingles, tokens

    try:
        call_command("migrate", verbosity=0)
        archive = data / f"archive-{a.n}.jsonl"
        if not Release.objects.exists():
            with_figures(a.n, a.seed, archive)
            t = time.perf_counter()
            report = Importer().run([archive])
            print(f"imported {report.counts['added']:,} releases (signed, logged, indexed) in "
                  f"{time.perf_counter() - t:.1f} s")
        versions = [json.loads(line) for line in archive.open(encoding="utf-8")]
        vocabulary = sorted({w for v in versions[:500] for w in v["body_text"].split()})
        rng = random.Random(a.seed)
        request = RequestFactory().post("/api/v1/verify")
        timings, lookups, right, total, bad = [], [], {}, {}, []
        for kind, text, want, ids in cases(versions, rng, vocabulary, a.cases):
            t = time.perf_counter()
            neardup.candidates(shingles([x.norm for x in tokens(text)]))
            lookups.append(time.perf_counter() - t)
            t = time.perf_counter()
            got = verifier.verify(verifier.Query(text=text), request)
            timings.append(time.perf_counter() - t)
            ok = got["verdict"] == want and (not ids or got["release_id"] in ids)
            total[kind] = total.get(kind, 0) + 1
            right[kind] = right.get(kind, 0) + ok
            if kind.startswith("forgery") and got["verdict"] == "genuine":
                bad.append((kind, got["release_id"]))
        ms = sorted(x * 1000 for x in timings)
        p50, p95 = statistics.median(ms), ms[int(len(ms) * 0.95) - 1]
        lookup = statistics.median(x * 1000 for x in lookups)
        print(f"archive: {a.n:,} releases; {len(ms)} verifications")
        print(f"verify:   p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        print(f"baseline: index lookup alone p50 {lookup:.1f} ms (ratio verify/lookup {p50 / lookup:.1f})")
        for kind in total:
            print(f"  {kind:30} {right[kind]:4}/{total[kind]:<4} right")
        n_right, n_all = sum(right.values()), sum(total.values())
        print(f"classified right: {n_right}/{n_all} ({100 * n_right / n_all:.1f}%); "
              f"forgeries called genuine: {len(bad)}")
        return 1 if bad else 0
    finally:
        if not a.keep:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
