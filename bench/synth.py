"""A seeded synthetic PIB-like archive, for benchmarks. Pure Python, no Django.

- English vocabulary of 60,000 words with Zipf-like frequencies (rank r has weight
  1/r**1.07): the first few hundred are real English words so the "very common" queries
  are the words readers really type; the rest are pronounceable made-up words.
- Releases of ~500 words (a title of 8-12 words, 1-2 subtitles, ~5 paragraphs), built from
  pools of seeded sentences so a million releases generate in seconds, not hours.
- ~100 ministries with Zipf-like shares, 30 bureaus, ten years of dates (2015-2024).
- A quarter of releases also have one translation (Hindi half the time; Urdu, Tamil,
  Bengali, Punjabi, Malayalam otherwise), so about one version in five is in an Indian script.

Everything is a function of the seed; ``release(i)`` is the same on every call.
The one synthetic archive of the benchmarks: search_bench and engine_choice use ``Synth``,
import_bench and load_bench the same releases as Pressroom JSONL (``write_jsonl``)::

    python bench/synth.py --n 100000 --out var/bench/synth-100000.jsonl
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

IST = timezone(timedelta(hours=5, minutes=30))
START = datetime(2015, 1, 1, 9, 0, tzinfo=IST)
DAYS = 3652
FIRST_RELEASE_ID = 1_100_000

COMMON_EN = (
    "the of and to in a is for on that by with this as at be from will has have are which it was "
    "government india minister ministry national development scheme also said state states an "
    "its been their all under public health these people new other year crore during per "
    "programme country two such more first through services said prime shri officials "
    "department centre schemes rural women over support information district infrastructure "
    "water education various financial union training digital implementation initiatives total "
    "facilities measures economic areas local activities meeting employment growth council"
).split()
HINDI_COMMON = ("के में की है और को से का एक पर लिए भी मंत्री सरकार भारत योजना राज्य विकास प्रधानमंत्री "
                "देश श्री द्वारा कहा गया साथ करने मंत्रालय राष्ट्रीय केंद्र जिला मित्र").split()
# Consonants and vowel signs per script, for made-up but well-formed words.
SCRIPTS = {
    "hi": ("कखगघचछजझटठडढतथदधनपफबभमयरलवशसह", "ािीुूेैोौं"),
    "ur": ("بپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنوہی", ""),
    "ta": ("கஙசஞடணதநபமயரலவழளறன", "ாிீுூெேைொோ்"),
    "bn": ("কখগঘচছজঝটঠডঢতথদধনপফবভমযরলশসহ", "ািীুূেৈোৌং"),
    "pa": ("ਕਖਗਘਚਛਜਝਟਠਡਢਤਥਦਧਨਪਫਬਭਮਯਰਲਵਸਹ", "ਾਿੀੁੂੇੈੋੌੰ"),
    "ml": ("കഖഗഘചഛജഝടഠഡഢതഥദധനപഫബഭമയരലവശസഹ", "ാിീുൂെേൈൊോ"),
}
TRANSLATIONS = ["hi"] * 5 + ["ur", "ta", "bn", "pa", "ml"]
LANGUAGE_NAMES = {"en": "English", "hi": "Hindi", "ur": "Urdu", "ta": "Tamil", "bn": "Bengali",
                  "pa": "Punjabi", "ml": "Malayalam"}
BUREAUS = [f"PIB {c}" for c in (
    "Delhi Mumbai Chennai Kolkata Hyderabad Bengaluru Guwahati Lucknow Bhopal Jaipur Patna Ranchi "
    "Bhubaneswar Thiruvananthapuram Chandigarh Ahmedabad Raipur Shimla Srinagar Jammu Dehradun Imphal "
    "Aizawl Shillong Agartala Kohima Itanagar Gangtok Panaji Vijayawada").split()]
MINISTRY_TOPICS = (
    "Defence Finance Home Affairs External Affairs Health and Family Welfare Railways Education "
    "Agriculture Commerce Culture Tourism Textiles Steel Coal Mines Power Petroleum Jal Shakti "
    "Labour Law Electronics Communications Rural Development Housing Road Transport Civil Aviation "
    "Shipping Environment Science Earth Sciences Information Broadcasting Women Child Development "
    "Tribal Affairs Minority Social Justice Youth Affairs Sports Panchayati Raj Food Processing "
    "Consumer Affairs Fisheries Cooperation Skill Development Heavy Industries MSME Ayush"
).split()


def made_up_words(rnd: random.Random, n: int, consonants: str, vowels: str, taken: set) -> list[str]:
    words = []
    while len(words) < n:
        syllables = rnd.choice((2, 2, 3, 3, 3, 4))
        w = "".join(rnd.choice(consonants) + (rnd.choice(vowels) if vowels and rnd.random() < .7
                                              else "") for _ in range(syllables))
        if w not in taken:
            taken.add(w)
            words.append(w)
    return words


@dataclass
class Vocabulary:
    words: list[str]  # by rank, most frequent first
    cum_weights: list[float]

    def sample(self, rnd: random.Random, k: int) -> list[str]:
        total = self.cum_weights[-1]
        cw, words = self.cum_weights, self.words
        return [words[bisect.bisect(cw, rnd.random() * total)] for _ in range(k)]


def zipf(words: list[str], s: float = 1.07) -> Vocabulary:
    return Vocabulary(words, list(itertools.accumulate(1 / (r ** s) for r in range(1, len(words) + 1))))


@dataclass
class Version:
    language: str
    title: str
    subtitles: list[str]
    paragraphs: list[str]


@dataclass
class Release:
    release_id: int
    ministry: int  # index into Synth.ministries
    bureau: int
    posted_at: datetime
    versions: list[Version]


class Synth:
    POOL = 200_000  # sentences per English pool; each is reused ~ N*35/POOL times

    def __init__(self, n: int, seed: int = 2020):
        self.n, self.seed = n, seed
        rnd = random.Random(seed)
        taken = set(COMMON_EN)
        self.english = zipf(COMMON_EN + made_up_words(rnd, 60_000 - len(COMMON_EN), "bcdfghjklmnprstvy",
                                                      "aeiou", taken))
        self.indic = {}
        for lang, (consonants, vowels) in SCRIPTS.items():
            base = HINDI_COMMON if lang == "hi" else []
            self.indic[lang] = zipf(base + made_up_words(rnd, 20_000 - len(base), consonants, vowels,
                                                         set(base)))
        topics = [t for t in dict.fromkeys(MINISTRY_TOPICS) if t not in ("and", "Affairs")]
        self.ministries = [f"Ministry of {t}" for t in topics] + [
            f"Department of {w.title()}" for w in made_up_words(rnd, 100 - len(topics),
                                                                 "bcdfgklmnprstv", "aeiou", set())]
        self.ministry_weights = list(itertools.accumulate(1 / (r ** 0.8) for r in range(1, 101)))
        # Smaller pools for small archives (the tiny runs CI makes), the same from 10,000 up.
        pool = min(self.POOL, max(5_000, n * 20))
        self.pools = {"en": self._pool(rnd, self.english, pool)}
        for lang, vocab in self.indic.items():
            self.pools[lang] = self._pool(rnd, vocab, pool // 4)

    @staticmethod
    def _pool(rnd, vocab: Vocabulary, size: int) -> list[str]:
        return [" ".join(vocab.sample(rnd, rnd.randint(8, 22))) for _ in range(size)]

    def release(self, i: int) -> Release:
        """Release number ``i`` (0-based); dates rise with i, as Release IDs do."""
        rnd = random.Random(self.seed * 1_000_003 + i)
        posted = START + timedelta(seconds=int(DAYS * 86400 * (i + rnd.random()) / self.n))
        ministry = bisect.bisect(self.ministry_weights, rnd.random() * self.ministry_weights[-1])
        languages = ["en"] + ([rnd.choice(TRANSLATIONS)] if rnd.random() < 0.25 else [])
        return Release(FIRST_RELEASE_ID + i, min(ministry, 99), rnd.randrange(len(BUREAUS)), posted,
                       [self._version(rnd, lang) for lang in languages])

    def _version(self, rnd, lang) -> Version:
        pool = self.pools[lang]
        title_words = " ".join(rnd.choice(pool).split()[:rnd.randint(8, 12)])
        subtitles = [rnd.choice(pool) for _ in range(rnd.randint(0, 2))]
        paragraphs = [" ".join(rnd.choice(pool) for _ in range(rnd.randint(5, 9)))
                      for _ in range(5)]
        return Version(lang, title_words[:1].upper() + title_words[1:], subtitles, paragraphs)


def jsonl_records(n: int, seed: int = 2020):
    """The archive as Pressroom JSONL records (README "JSONL export schema"), one per version."""
    s = Synth(n, seed)
    for i in range(n):
        r = s.release(i)
        extra = random.Random(seed * 7_919 + i)  # fields release() does not draw
        codes = [v.language for v in r.versions]
        for k, v in enumerate(r.versions):
            yield {
                "release_id": r.release_id, "language": v.language,
                "language_name": LANGUAGE_NAMES[v.language], "original": k == 0,
                "ministry": s.ministries[r.ministry], "bureau": BUREAUS[r.bureau],
                "posted_at": r.posted_at.isoformat(), "title": v.title, "subtitles": v.subtitles,
                "body_text": "\n".join(v.paragraphs), "separator": "***",
                "sign_off": "/".join(extra.choice("ABDGKMNPRSTV") * 2 for _ in range(3)),
                "visitor_count": extra.randint(0, 3000 if k == 0 else 500),
                "versions": [c for c in codes if c != v.language],
            }


def write_jsonl(n: int, out: Path, seed: int = 2020) -> Path:
    """Write the archive to `out` (whole or not at all: a .partial file renamed at the end)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".partial")
    with tmp.open("w", encoding="utf-8") as f:
        for record in jsonl_records(n, seed):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.rename(out)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write the synthetic archive as Pressroom JSONL.")
    ap.add_argument("--n", type=int, default=100_000, help="releases")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    print(write_jsonl(args.n, args.out, args.seed))


if __name__ == "__main__":
    main()
