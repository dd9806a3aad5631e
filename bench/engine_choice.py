"""FTS5 against tantivy on the same synthetic releases: the measurement behind the choice of
embedded engine. No Django: both engines get the same pre-normalised, space-separated words
(bench/synth.py makes them), FTS5 with Pressroom's tokenizer, tantivy with "whitespace".

    python -m venv /tmp/tv && /tmp/tv/bin/pip install tantivy==0.27.0
    /tmp/tv/bin/python bench/engine_choice.py --n 100000

tantivy is not a Pressroom dependency; this script is the only thing that imports it.
Prints build time and size for each, and p50/p95 per query class for: FTS5 ``ORDER BY bm25
LIMIT 20`` (every match scored), FTS5 as Pressroom runs it (newest 1,000 matches, ranked;
filters as tags), and tantivy top-20 (block-max WAND; sorted by a fast field for "newest").
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402

TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
KEY_EPOCH_END, KEY_SCALE = 2**32, 10**9


def documents(s: synth.Synth, n: int):
    vid = 0
    for i in range(n):
        r = s.release(i)
        for v in r.versions:
            vid += 1
            key = (KEY_EPOCH_END - int(r.posted_at.timestamp())) * KEY_SCALE + vid
            yield key, v.title.lower(), " ".join(v.subtitles + v.paragraphs), r.ministry + 1, v.language


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=2020)
    args = ap.parse_args()
    import tantivy

    s = synth.Synth(args.n, args.seed)
    docs = sorted(documents(s, args.n))  # newest first = ascending key
    work = Path(tempfile.mkdtemp(prefix="engine_choice_"))
    try:
        # --- FTS5
        t = time.perf_counter()
        con = sqlite3.connect(work / "fts.sqlite3")
        con.execute("PRAGMA synchronous=OFF")
        con.execute(f'CREATE VIRTUAL TABLE f USING fts5(title, body, tags, tokenize="{TOKENIZE}")')
        con.executemany("INSERT INTO f(rowid, title, body, tags) VALUES (?, ?, ?, ?)",
                        ((k, ti, b, f"m{m} l{lang}") for k, ti, b, m, lang in docs))
        con.commit()
        con.execute("INSERT INTO f(f) VALUES ('optimize')")
        con.commit()
        fts_build = time.perf_counter() - t
        fts_size = (work / "fts.sqlite3").stat().st_size
        # --- tantivy
        t = time.perf_counter()
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("title", stored=False, tokenizer_name="whitespace")
        sb.add_text_field("body", stored=False, tokenizer_name="whitespace")
        sb.add_unsigned_field("key", stored=True, indexed=True, fast=True)
        sb.add_unsigned_field("ministry", stored=False, indexed=True, fast=True)
        sb.add_text_field("lang", stored=False, tokenizer_name="raw")
        schema = sb.build()
        (work / "tv").mkdir()
        index = tantivy.Index(schema, path=str(work / "tv"))
        writer = index.writer(heap_size=300_000_000, num_threads=2)
        for k, ti, b, m, lang in docs:
            d = tantivy.Document(title=ti, body=b, lang=lang)
            d.add_unsigned("key", k)
            d.add_unsigned("ministry", m)
            writer.add_document(d)
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        tv_build = time.perf_counter() - t
        tv_size = dir_size(work / "tv")
        searcher = index.searcher()

        rnd = random.Random(args.seed)
        en, hi = s.english.words, s.indic["hi"].words

        def phrase():
            v = s.release(rnd.randrange(args.n)).versions[0]
            words = rnd.choice(v.paragraphs).split()
            k = rnd.randrange(len(words) - 3)
            return words[k:k + 2]

        classes = {
            "very_common": lambda: ([rnd.choice(en[:30])], None),
            "rare": lambda: ([rnd.choice(en[20_000:])], None),
            "phrase": lambda: (phrase(), None),
            "common_ministry_newest": lambda: ([rnd.choice(en[:30])], rnd.randrange(1, 101)),
            "hindi": lambda: ([rnd.choice(hi[:3000])], None),
        }
        queries = [(c, *make()) for c, make in classes.items() for _ in range(args.per_class)]
        rnd.shuffle(queries)

        def fts_bm25(words, ministry):
            m = '"' + " ".join(words) + '"' + (f' AND tags : "m{ministry}"' if ministry else "")
            order = "rowid" if ministry else "bm25(f)"
            return con.execute(f"SELECT rowid FROM f WHERE f MATCH ? ORDER BY {order} LIMIT 20",
                               (m,)).fetchall()

        def fts_capped(words, ministry):
            m = '"' + " ".join(words) + '"' + (f' AND tags : "m{ministry}"' if ministry else "")
            rows = con.execute("SELECT rowid, bm25(f) FROM f WHERE f MATCH ? ORDER BY rowid LIMIT 1001",
                               (m,)).fetchall()
            return rows[:20] if ministry else sorted(rows, key=lambda r: r[1])[:20]

        def tv(words, ministry):
            text = " ".join(words)
            parts = [(tantivy.Occur.Must, tantivy.Query.disjunction_max_query([
                tantivy.Query.phrase_query(schema, f, words) if len(words) > 1
                else tantivy.Query.term_query(schema, f, text) for f in ("title", "body")]))]
            if ministry:
                parts.append((tantivy.Occur.Must, tantivy.Query.term_query(schema, "ministry", ministry)))
            q = tantivy.Query.boolean_query(parts)
            if ministry:
                return searcher.search(q, 20, order_by_field="key", order=tantivy.Order.Asc).hits
            return searcher.search(q, 20).hits

        engines = {"fts5 bm25 all": fts_bm25, "fts5 as pressroom": fts_capped, "tantivy top-20": tv}
        same = sum(len(fts_bm25(w, m)) == len(tv(w, m)) for _, w, m in queries)
        print(f"sanity: FTS5 and tantivy return as many hits (up to 20) for {same}/{len(queries)} queries")
        for _, words, ministry in queries:  # warm
            for fn in engines.values():
                fn(words, ministry)
        times = {(e, c): [] for e in engines for c in classes}
        for cls, words, ministry in queries:
            for name, fn in engines.items():
                t = time.perf_counter()
                fn(words, ministry)
                times[(name, cls)].append((time.perf_counter() - t) * 1000)
        print(f"\nengine choice: {args.n:,} releases, {len(docs):,} versions, {len(queries)} queries")
        print(f"build: FTS5 {fts_build:.0f}s, {fts_size / 2**30:.2f} GiB | tantivy (2 threads) "
              f"{tv_build:.0f}s, {tv_size / 2**30:.2f} GiB")
        print(f"{'class':24}" + "".join(f" | {e:>22}" for e in engines))
        print(f"{'':24}" + " | {:>10} {:>11}".format("p50 ms", "p95 ms") * len(engines))
        for c in classes:
            print(f"{c:24}" + "".join(f" | {pct(times[(e, c)], 50):10.1f} {pct(times[(e, c)], 95):11.1f}"
                                      for e in engines))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
