"""The site's own words in Hindi: Accept-Language first, then the reader's choice, remembered."""

import gettext
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
LOCALE = Path(settings.LOCALE_PATHS[0]) / "hi" / "LC_MESSAGES"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "website"
BUNDLE = 1611208  # a real sample bundle, English original with 13 translations


def _client(**headers):
    return Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER, **headers)


def _choose(client, page, language):
    """Follow the language link in the page header, as a reader would."""
    html = client.get(page).content.decode()
    nav = html[html.index('<nav class="interface-language"'):]
    nav = nav[:nav.index("</nav>")]
    href = re.search(rf'<a href="([^"]+)" lang="{language}"', nav).group(1).replace("&amp;", "&")
    return client.get(href)


def test_hindi_end_to_end(sample_archive):
    reader = _client(HTTP_ACCEPT_LANGUAGE="hi-IN,hi;q=0.9,en;q=0.8")
    # First visit: Accept-Language decides.
    r = reader.get("/")
    html = r.content.decode()
    assert '<html lang="hi" dir="ltr">' in html
    for words in ("नवीनतम प्रेस विज्ञप्तियाँ", "मुख्य सामग्री पर जाएँ", "सभी विज्ञप्तियाँ", "साइट की भाषा"):
        assert words in html
    assert "Latest press releases" not in html
    assert "Accept-Language" in r.headers["Vary"]
    # Django's own Hindi month names in the day headings.
    assert re.search(r'class="day__heading"><a [^>]+>[^<]*(जनवरी|फ़रवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितंबर|'
                     r'अक्टूबर|नवंबर|दिसंबर)', html)

    # Switch to English with the header form: remembered in a cookie for a year.
    r = _choose(reader, "/releases/?lang=ta", "en")
    assert r.status_code == 302 and r["Location"] == "/releases/?lang=ta"
    cookie = reader.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 300 * 24 * 3600
    html = reader.get("/releases/?lang=ta").content.decode()
    assert '<html lang="en"' in html and "Show releases" in html  # despite Accept-Language: hi

    # And back to Hindi: the listing, its form, its messages.
    _choose(reader, "/", "hi")
    html = reader.get("/releases/?date=yesterday").content.decode()
    assert '<html lang="hi"' in html and "विज्ञप्तियाँ दिखाएँ" in html
    assert "“yesterday” कोई तिथि नहीं है" in html
    html = reader.get("/no-such-page/").content.decode()
    assert "पृष्ठ नहीं मिला" in html


def test_content_language_does_not_follow_the_interface(sample_archive):
    reader = _client(HTTP_ACCEPT_LANGUAGE="hi")
    en = reader.get(f"/release/{BUNDLE}/").content.decode()
    assert '<html lang="hi"' in en
    assert '<article class="release" lang="en" dir="ltr">' in en
    assert "Posted On: <time" in en  # PIB's English line, unchanged
    assert '<h2 id="read-in" lang="en" dir="ltr">Read this release in</h2>' in en  # the version's
    assert "मूल विज्ञप्ति, अंग्रेज़ी में जारी, 13 अनुवादों के साथ।" in en
    ta = reader.get(f"/release/{BUNDLE}/ta/").content.decode()
    assert '<article class="release" lang="ta" dir="ltr">' in ta
    assert "तमिल अनुवाद। यह विज्ञप्ति मूल रूप से अंग्रेज़ी में जारी की गई थी।" in ta
    english_reader = _client(HTTP_ACCEPT_LANGUAGE="en")
    ta_en = english_reader.get(f"/release/{BUNDLE}/ta/").content.decode()
    assert "Tamil translation. The release was first issued in English." in ta_en
    # The version itself is the same whatever the interface (up to the visitor counter).
    article = ta[ta.index("<article"):ta.index('class="release__ids"')]
    assert article == ta_en[ta_en.index("<article"):ta_en.index('class="release__ids"')]


def test_language_choice_goes_back_only_to_this_site():
    r = _client().get("/language/hi/?next=https://evil.example/")
    assert r.status_code == 302 and r["Location"] == "/"
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"
    assert _client().get("/language/xx/").status_code == 404


def test_pages_hold_no_per_reader_token(sample_archive):
    """The language toggle is links: pages stay the same for every reader, cacheable."""
    reader = _client()
    assert reader.get("/").content == reader.get("/").content
    assert "csrftoken" not in reader.get("/releases/").cookies


def test_catalogue_is_complete_and_compiled():
    po = (LOCALE / "django.po").read_text()
    msgids = {m.replace('"\n"', "") for m in re.findall(r'^msgid ((?:".*"\n)+)', po, re.M)}
    msgids = {re.sub(r'^"|"\n?$', "", m).replace('\\"', '"') for m in msgids} - {""}
    with (LOCALE / "django.mo").open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    # The committed .mo says what the .po says, every message translated.
    for msgid in msgids:
        assert catalogue.gettext(msgid) != msgid or msgid == "JSON", msgid
    # Every literal {% translate %} in the website's templates is in it.
    for template in TEMPLATES.glob("*.html"):
        for msgid in re.findall(r'{% translate "([^"]+)" %}', template.read_text()):
            assert catalogue.gettext(msgid) != msgid or msgid == "JSON", (template.name, msgid)


@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES])
def test_every_interface_language_is_offered(client, db, code):
    html = client.get("/no-such-page/").content.decode()
    nav = html[html.index('<nav class="interface-language"'):]
    assert f'lang="{code}"' in nav[:nav.index("</nav>")]


def test_listing_count_in_hindi(sample_archive):
    html = _client(HTTP_ACCEPT_LANGUAGE="hi").get("/releases/").content.decode()
    assert re.search(r'<p class="result-count">\d+ विज्ञप्तियाँ</p>', html)


def test_the_kept_header_is_per_language_and_returns_each_page_to_itself(seed):
    """The header and footer are made once per interface language ({% kept_part %}); each page
    still links back to its own path, escaped, and each language gets its own words."""
    reader = _client()
    paths = ["/releases/?page=2", "/search/?q=%3Cb%3E&x=%22a%27b", "/ministries/"]
    for path in paths:
        html = reader.get(path).content.decode()
        assert f'href="/language/hi/?next={quote(path, safe="/")}"' in html
        assert "<b>" not in html[:html.index("<main")]
    english = reader.get("/").content.decode()
    hindi = _client(HTTP_ACCEPT_LANGUAGE="hi").get("/").content.decode()
    header = re.compile(r'<header class="site-header">.*?</header>', re.S)
    assert header.search(english).group(0) != header.search(hindi).group(0)
    assert 'aria-current="true">English<' in header.search(english).group(0)
    assert 'aria-current="true">हिन्दी<' in header.search(hindi).group(0)
    assert english.count('class="site-footer"') == hindi.count('class="site-footer"') == 1
