"""Ministry and bureau names per language (issue 13, item 2)."""

import importlib
import json
import re
from pathlib import Path

import pytest
from django.test import Client

from pressroom.releases import labels, names_data
from pressroom.releases.names import add_known_names, name_in

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def corpus_ministries_and_bureaus(corpus: Path):
    ministries, bureaus = set(), set()
    for bundle in (corpus / "pib-2020").iterdir():
        english = bundle / "English.txt"
        if english.exists():
            lines = [x.strip() for x in english.read_text(encoding="utf-8").splitlines()
                     if x.strip()]
            ministries.add(lines[0] + (" " + lines[1] if lines[0].endswith("&") else ""))
            for line in lines:
                m = re.search(r"Posted On:.*? by (.*)$", line)
                if m:
                    bureaus.add(m.group(1).strip())
                    break
    for f in (corpus / "pib-2026").glob("*.json"):
        data = json.loads(f.read_text(encoding="utf-8"))
        for r in data if isinstance(data, list) else [data]:
            ministries.add(r["ministry"]["name"])
            bureaus.add(r.get("pib_office") or "PIB Delhi")
    return ministries, bureaus


def test_every_corpus_ministry_and_bureau_has_a_hindi_name(shared_corpus):
    ministries, bureaus = corpus_ministries_and_bureaus(Path(shared_corpus))
    from pressroom.releases.names import known_names

    missing = {m for m in ministries if "hi" not in (known_names(m, names_data.MINISTRIES) or {})}
    assert not missing, missing
    assert not {b for b in bureaus if "hi" not in names_data.BUREAUS.get(b, {})}


def test_the_twenty_largest_have_every_pib_language_but_three():
    full = [m for m, n in names_data.MINISTRIES.items() if len(n) >= 12]
    assert len(full) >= 20
    for m in full:
        for code in ("hi", "ur", "pa", "gu", "mr", "te", "kn", "ml", "ta", "or", "bn", "as"):
            assert names_data.MINISTRIES[m][code].strip(), (m, code)


def test_new_ministries_get_their_names_and_untranslated_ones_say_english(db, languages):
    from pressroom.releases.models import Ministry

    defence = Ministry.objects.create(name="Ministry of Defence")
    add_known_names(defence)
    assert name_in(defence, "ta") == ("பாதுகாப்பு அமைச்சகம்", "ta")
    assert name_in(defence, "mni") == ("Ministry of Defence", "en")  # not translated yet
    other = Ministry.objects.create(name="Ministry of Something New")
    add_known_names(other)
    assert name_in(other, "hi") == ("Ministry of Something New", "en")


def test_the_migration_names_ministries_already_there(db, languages):
    from django.apps import apps

    from pressroom.releases.models import Ministry, MinistryName

    pm = Ministry.objects.create(name="Prime Minister's Office")
    migration = importlib.import_module("pressroom.releases.migrations.0005_names_per_language")
    migration.add_names(apps, None)
    assert MinistryName.objects.get(ministry=pm, language="hi").name == "प्रधानमंत्री कार्यालय"
    migration.add_names(apps, None)  # again: nothing twice
    assert MinistryName.objects.filter(ministry=pm, language="hi").count() == 1


def test_labels_fall_back_to_english_with_its_language():
    assert labels.label("visitor_counter", "hi") == ("आगंतुक पटल", "hi")
    assert labels.label("release_id", "doi") == ("Release ID", "en")


def test_an_imported_release_reads_in_its_language(import_paths, shared_corpus):
    bundle = Path(shared_corpus) / "pib-2020" / "1611208"
    if not bundle.exists():
        pytest.skip("bundle 1611208 not in the corpus")
    import_paths(bundle)
    c = Client(HTTP_USER_AGENT=UA)
    hi = c.get("/release/1611208/hi/").content.decode()
    article = hi[hi.index("<article"):hi.index("</article>")]
    assert 'lang="en"' not in article.split("release__body")[0] or "Ministry" not in article
    assert "आगंतुक पटल" in article and "रिलीज़ आईडी" in article and "द्वारा" in article
    mni = c.get("/release/1611208/mni/")
    if mni.status_code == 200:  # Manipuri: the names are not translated yet, so say English
        page = mni.content.decode()
        assert re.search(r'class="release__ministry" lang="en"', page)
    api = c.get("/api/v1/releases/1611208").json()
    assert api["ministry"]["names"]["hi"]
