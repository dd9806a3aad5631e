"""A synthetic PIB archive for benchmarks, as Pressroom JSONL (what `pressroom import` takes).

Seeded and deterministic: the same --n and --seed give the same file. Releases have
realistic shape: ~100 ministries, ~30 bureaus, ten years of dates, a Zipf-like vocabulary,
bodies of about --words words, and about one in five releases with a Hindi translation.

    python bench/generate_archive.py --n 100000 --out var/bench/archive-100000.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

IST = timezone(timedelta(hours=5, minutes=30))
FIRST_ID = 3_000_000  # above every real PIB Release ID in the shared corpus

SYLLABLES = ["ka", "ra", "ma", "ta", "na", "sa", "pa", "la", "va", "da", "ja", "ha", "ba", "ga",
             "in", "on", "er", "an", "ti", "co", "de", "ve", "lo", "pe", "mi", "su", "re", "ne"]
HINDI = ["सरकार", "मंत्री", "योजना", "विकास", "भारत", "राज्य", "किसान", "शिक्षा", "स्वास्थ्य",
         "मंत्रालय", "प्रधानमंत्री", "सहयोग", "कार्यक्रम", "नागरिक", "सुरक्षा", "उद्योग", "ग्रामीण",
         "मित्र", "रक्षा", "बैठक", "समिति", "राष्ट्रीय", "अभियान", "जल", "ऊर्जा", "डिजिटल"]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Zipf:
    """Draw words with probability proportional to 1/rank."""

    def __init__(self, words, rng):
        self.words, self.rng = words, rng
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))

    def sentence(self, n: int) -> str:
        s = " ".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=n))
        return s[:1].upper() + s[1:] + "."


def records(n: int, seed: int = 1, words: int = 500):
    rng = random.Random(seed)
    zipf = Zipf(vocabulary(20000, rng), rng)
    ministries = [f"Ministry of {zipf.sentence(2)[:-1].title()}" for _ in range(100)]
    bureaus = [f"PIB {name}" for name in ("Delhi", "Mumbai", "Chennai", "Kolkata", "Hyderabad",
                                          "Bengaluru", "Guwahati", "Lucknow", "Bhopal", "Jaipur",
                                          "Patna", "Bhubaneshwar", "Chandigarh", "Ahmedabad",
                                          "Thiruvananthapuram", "Shillong", "Imphal", "Aizawl",
                                          "Agartala", "Itanagar", "Kohima", "Gangtok", "Raipur",
                                          "Ranchi", "Srinagar", "Jammu", "Shimla", "Dehradun",
                                          "Vijayawada", "Panaji")]
    start = datetime(2016, 1, 1, 9, 0, tzinfo=IST)
    span = 10 * 365 * 24 * 60
    for i in range(n):
        rid = FIRST_ID + i
        posted = start + timedelta(minutes=(i * span) // max(n, 1) + rng.randint(0, 59))
        paragraphs = []
        left = words
        while left > 0:
            k = min(left, rng.randint(40, 90))
            paragraphs.append(" ".join(zipf.sentence(rng.randint(8, 20)) for _ in range(k // 14 + 1)))
            left -= k
        base = {
            "release_id": rid, "ministry": rng.choice(ministries), "bureau": rng.choice(bureaus),
            "posted_at": posted.isoformat(), "visitor_count": rng.randint(0, 5000),
        }
        has_hindi = rng.random() < 0.2
        yield {**base, "language": "en", "original": True, "title": zipf.sentence(10)[:-1],
               "subtitles": [zipf.sentence(12)] if rng.random() < 0.3 else [],
               "body_text": "\n".join(paragraphs), "separator": "***",
               "sign_off": f"{rng.choice('ABCDEFGH')}{rng.choice('KLMNPRS')}/{rng.choice('STUVW')}",
               "versions": ["hi"] if has_hindi else []}
        if has_hindi:
            body = "\n".join(" ".join(rng.choice(HINDI) for _ in range(60)) + "।"
                             for _ in range(max(1, words // 60)))
            yield {**base, "language": "hi", "original": False,
                   "title": " ".join(rng.choice(HINDI) for _ in range(8)), "subtitles": [],
                   "body_text": body, "separator": "***", "sign_off": "एबी/सीडी",
                   "versions": ["en"]}


def write(n: int, out: Path, seed: int = 1, words: int = 500) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".partial")
    with tmp.open("w", encoding="utf-8") as f:
        for record in records(n, seed, words):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.rename(out)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--words", type=int, default=500)
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args()
    print(write(a.n, a.out, a.seed, a.words))


if __name__ == "__main__":
    main()
