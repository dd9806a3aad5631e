"""A synthetic archive for benchmarks: N releases as Pressroom JSONL, fast and seeded.

    python bench/synth_releases.py --count 100000 --out var/synth.jsonl [--seed 1]

Releases get IDs 1,000,001 upwards in posting order (about 30 a day, ending today), one of
60 ministries and 20 bureaus, 4-8 paragraphs of made-up prose; every fifth has a Hindi
translation. The same seed and count always give the same file (`pressroom import` reads it).
"""

import argparse
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

IST = timezone(timedelta(hours=5, minutes=30))
FIRST_ID = 1_000_001

WORDS = ("government ministry scheme national development rural urban farmers health education "
         "infrastructure railway defence cooperation bilateral agreement digital india welfare "
         "citizens programme implementation state district crore lakh funds sanctioned minister "
         "inaugurated launched review meeting progress targets achieved energy solar water "
         "sanitation housing roads highways ports aviation exports growth employment skills "
         "women youth children nutrition vaccination hospitals research innovation startups "
         "technology cyber security space mission satellite science culture heritage tourism "
         "sports athletes medals cabinet approved policy reform committee report parliament").split()
HINDI = ("सरकार मंत्रालय योजना राष्ट्रीय विकास ग्रामीण शहरी किसान स्वास्थ्य शिक्षा रेलवे रक्षा सहयोग "
         "समझौता डिजिटल भारत कल्याण नागरिक कार्यक्रम राज्य जिला करोड़ लाख मंत्री उद्घाटन समीक्षा "
         "बैठक प्रगति ऊर्जा जल आवास सड़क रोजगार महिला युवा बच्चे पोषण अस्पताल अनुसंधान").split()
MINISTRY_SUBJECTS = ("Defence, Finance, Health and Family Welfare, Railways, Home Affairs, External Affairs, "
                     "Education, Agriculture and Farmers Welfare, Commerce and Industry, Culture, Tourism, "
                     "Power, Coal, Mines, Steel, Textiles, Labour and Employment, Rural Development, "
                     "Housing and Urban Affairs, Jal Shakti, Civil Aviation, Road Transport and Highways, "
                     "Ports Shipping and Waterways, Petroleum and Natural Gas, New and Renewable Energy, "
                     "Environment Forest and Climate Change, Science and Technology, Earth Sciences, "
                     "Electronics and IT, Communications, Information and Broadcasting, Law and Justice, "
                     "Women and Child Development, Social Justice and Empowerment, Tribal Affairs, "
                     "Minority Affairs, Youth Affairs and Sports, Food Processing Industries, "
                     "Consumer Affairs Food and Public Distribution, Chemicals and Fertilizers, "
                     "Corporate Affairs, Statistics and Programme Implementation, Personnel, "
                     "Panchayati Raj, Fisheries Animal Husbandry and Dairying, Cooperation, AYUSH, "
                     "Heavy Industries, Micro Small and Medium Enterprises, Skill Development, "
                     "Development of North Eastern Region, Parliamentary Affairs, Planning, "
                     "External Affairs Overseas, Space, Atomic Energy, Ayush Research, Posts, "
                     "Telecommunications, Fertilizers").split(", ")
MINISTRIES = [f"Ministry of {s}" for s in MINISTRY_SUBJECTS][:57] + [
    "Prime Minister's Office", "President's Secretariat", "NITI Aayog"]
BUREAUS = [f"PIB {c}" for c in ("Delhi", "Mumbai", "Chennai", "Kolkata", "Hyderabad", "Bengaluru",
                                "Guwahati", "Bhopal", "Lucknow", "Patna", "Jaipur", "Ahmedabad",
                                "Chandigarh", "Thiruvananthapuram", "Bhubaneswar", "Ranchi",
                                "Raipur", "Shimla", "Srinagar", "Imphal")]


def sentence(rng, words, n):
    s = " ".join(rng.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + "."


def paragraphs(rng, words):
    return [" ".join(sentence(rng, words, rng.randint(8, 18)) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(4, 8))]


def records(count: int, seed: int = 1):
    rng = random.Random(seed)
    end = datetime.now(IST).replace(hour=18, minute=0, second=0, microsecond=0) - timedelta(days=1)
    step = timedelta(minutes=48)  # about 30 a day
    start = end - step * count
    for i in range(count):
        posted = start + step * i + timedelta(minutes=rng.randint(0, 40))
        base = {
            "release_id": FIRST_ID + i, "ministry": rng.choice(MINISTRIES),
            "bureau": rng.choice(BUREAUS) if rng.random() < 0.4 else "PIB Delhi",
            "posted_at": posted.isoformat(timespec="minutes") + "",
            "sign_off": "/".join(rng.choice("ABCDEFGHKMNPRSTV") * 2 for _ in range(3)),
            "visitor_count": rng.randint(0, 3000),
        }
        yield {**base, "language": "en", "original": True,
               "title": sentence(rng, WORDS, rng.randint(6, 14))[:-1],
               "subtitles": [sentence(rng, WORDS, 10)] if rng.random() < 0.3 else [],
               "body_text": "\n".join(paragraphs(rng, WORDS))}
        if rng.random() < 0.2:
            yield {**base, "language": "hi", "original": False, "visitor_count": rng.randint(0, 500),
                   "title": sentence(rng, HINDI, rng.randint(6, 12))[:-1].replace(".", "।"),
                   "subtitles": [], "body_text": "\n".join(paragraphs(rng, HINDI)).replace(".", "।")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    with args.out.open("w", encoding="utf-8") as f:
        for record in records(args.count, args.seed):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{args.count} releases written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
