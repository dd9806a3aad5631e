"""The verifier on the real corpus: forwards and alterations of real English, Hindi and
other-script releases, among 560 real releases."""

import random
import re

import pytest

from pressroom.releases.models import LanguageVersion
from pressroom.trust import verifier
from pressroom.trust.models import LogEntry
from pressroom.trust.textmatch import norm_words

pytestmark = pytest.mark.slow


@pytest.fixture
def corpus_archive(import_paths, shared_corpus):
    report = import_paths(shared_corpus / "pib-2020", shared_corpus / "pib-2026")
    assert report.counts["added"] > 500
    return report


def chat(v):
    body = " ".join(v.paragraphs).replace('"', "\u201c").replace("'", "\u2019")
    return f"Forwarded\n*{v.title}*\U0001F4E2\n{body}\n\U0001F64F"


def verdict(text):
    return verifier.verify(verifier.Query(text=text))


def sample(lang, k, rng):
    # In Release ID order: a query that does not order its rows gets them in the database's
    # own order, which need not be the same from one run (or one earlier test) to the next.
    vs = [v for v in LanguageVersion.objects.filter(language_id=lang).order_by("release_id")
          .select_related("release", "language") if len(v.body_text.split()) > 60]
    return rng.sample(vs, min(k, len(vs)))


def test_every_version_is_signed_and_logged(corpus_archive):
    from pressroom.releases.models import Revision

    # One entry per version as first written, and one more each time its content changed.
    assert LogEntry.objects.count() == LanguageVersion.objects.count() + Revision.objects.count()
    newest = {}
    for vid, revision in LogEntry.objects.order_by("index").values_list("version_id", "revision"):
        newest[vid] = revision
    assert newest == dict(LanguageVersion.objects.values_list("pk", "revision"))


@pytest.mark.parametrize("lang", ["en", "hi", "ta", "ur", "bn"])
def test_real_forwards_and_alterations(corpus_archive, lang):
    rng = random.Random(11)
    results = []
    versions = sample(lang, 12 if lang in ("en", "hi") else 4, rng)
    assert versions
    # PIB issued some translations word for word under two Release IDs: either is right (word
    # for word as the verifier compares: Tamil 1629041 and 1629044 differ by one full stop).
    same_words = {}
    for t in LanguageVersion.objects.filter(language_id=lang):
        same_words.setdefault(tuple(norm_words(t.title + "\n" + t.body_text)), set()).add(t.release_id)
    for v in versions:
        got = verdict(chat(v))
        twins = same_words[tuple(norm_words(v.title + "\n" + v.body_text))]
        results.append(got["verdict"] == "genuine" and got["release_id"] in twins)
        text = v.title + "\n" + v.body_text
        m = list(re.finditer(r"\d+", text))
        if m:
            x = rng.choice(m)
            forged = text[:x.start()] + str(int(x[0]) + 3) + text[x.end():]
            got = verdict(forged)
            assert got["verdict"] != "genuine", ("a changed figure was called genuine", v)
            results.append(got["verdict"] == "altered" and got["release_id"] in twins)
        words = v.paragraphs[0].split()
        if len(words) > 10:
            swapped = text.replace(words[len(words) // 2], "Rajasthan" if lang == "en" else "राजस्थान", 1)
            got = verdict(swapped)
            assert got["verdict"] != "genuine", ("a changed name was called genuine", v)
            results.append(got["verdict"] == "altered")
    assert sum(results) >= 0.9 * len(results), results


def test_invented_releases_in_pib_layout_are_unknown(corpus_archive):
    v = LanguageVersion.objects.filter(language_id="en").select_related("release__ministry").first()
    fake = (f"{v.release.ministry.name}\nGovernment announces free gold coins for every household\n"
            "Posted On: 01 JAN 2021 10:00AM by PIB Delhi\nThe Government of India has decided to give "
            "every household ten grams of gold before the festival season. The Minister said that "
            "registration will open on the official portal from Monday and the coins will be delivered "
            f"by post.\n(Release ID: {v.release_id})")
    got = verdict(fake)
    assert got["verdict"] == "unknown" and str(v.release_id) in got["explanation"]
    hindi = ("सरकार ने घोषणा की है कि हर परिवार को अगले महीने से मुफ्त सोने के सिक्के दिए जाएंगे। मंत्री ने कहा "
             "कि पंजीकरण सोमवार से शुरू होगा और सिक्के डाक से भेजे जाएंगे।")
    assert verdict(hindi)["verdict"] == "unknown"
