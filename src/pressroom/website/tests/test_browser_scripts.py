"""Headless Chromium against a live server: every script drawn by the site's own fonts.

For a real bundle in Hindi, Urdu, Tamil, Bengali and Malayalam: a screenshot into
var/screenshots/, the script's font loaded (document.fonts) and no other script's,
Urdu laid out right to left, and Chromium's own account (DevTools CSS.getPlatformFontsForNode)
that every glyph of the title and body came from a font the site served: a letter missing
from them would be drawn by a system font or as a .notdef box, and would show up there.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("PRESSROOM_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
STATIC = Path(__file__).resolve().parents[1] / "static" / "website"
BUNDLE = 1611208  # a real sample bundle with fourteen language versions
FAMILIES = {"hi": "Pressroom Devanagari", "ur": "Pressroom Urdu", "ta": "Pressroom Tamil",
            "bn": "Pressroom Bengali", "ml": "Pressroom Malayalam"}
# The fonts of the site (fonts.css), by the family name inside the files.
SERVED = {"Noto Sans", "Noto Sans Devanagari", "Noto Nastaliq Urdu", "Noto Sans Tamil",
          "Noto Sans Bengali", "Noto Sans Malayalam"}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def keep_language_table(django_db_blocker):
    """A live-server test ends by emptying every table, the Language rows a migration put
    there included; put them back for the tests that follow, once this module is done."""
    yield
    from conftest import put_languages

    with django_db_blocker.unblock():
        put_languages()


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-core")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (dev extra)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _platform_fonts(page, selector):
    """{family name: glyph count} Chromium used to draw the text of the element."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    fonts = {}
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]:
        for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            key = (f["familyName"], f["isCustomFont"])
            fonts[key] = fonts.get(key, 0) + f["glyphCount"]
    cdp.detach()
    return fonts


def test_release_in_five_scripts(browser, live_server, sample_archive):
    shots = Path(settings.PRESSROOM["DATA_DIR"]) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    report = []
    for code, family in FAMILIES.items():
        # A fresh context each time: an empty cache, so the fonts fetched are this page's.
        context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.goto(f"{live_server.url}/release/{BUNDLE}/{code}/")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(shots / f"release-{BUNDLE}-{code}.png"), full_page=True)

        faces = page.evaluate("[...document.fonts].map(f => [f.family.replace(/\"/g, ''), f.status])")
        status = {}
        for name, st in faces:
            status.setdefault(name, set()).add(st)
        # The font this language asks for is loaded, and no other script's is fetched.
        assert status[family] == {"loaded"}, (code, status)
        for other in set(FAMILIES.values()) - {family}:
            assert status[other] == {"unloaded"}, (code, other, status[other])
        assert "error" not in {s for st in status.values() for s in st}

        title = page.inner_text("article h1")
        assert page.evaluate("([f, t]) => document.fonts.check(`16px \"${f}\"`, t)", [family, title])

        # Every glyph of the title and body drawn with the site's fonts: none from the system,
        # none as a missing-glyph box.
        used = _platform_fonts(page, "article h1, article .release__body p")
        assert used and all(custom for _, custom in used), (code, used)
        assert {name for name, _ in used} <= SERVED, (code, used)
        # The switcher names every language in its own script from the small name subsets.
        switcher = _platform_fonts(page, ".language-switcher li > *")
        assert switcher and all(custom for _, custom in switcher), (code, switcher)

        direction = page.evaluate("getComputedStyle(document.querySelector('article')).direction")
        assert direction == ("rtl" if code == "ur" else "ltr")
        fetched = page.evaluate("""performance.getEntriesByType('resource')
            .filter(e => e.name.endsWith('.woff2')).map(e => [e.name.split('/').pop(), e.encodedBodySize])""")
        report.append(f"{code}: {sum(n for _, n in fetched)} font bytes in {len(fetched)} files")
        assert sum(n for _, n in fetched) < 400_000, fetched
        context.close()

    # Urdu laid out right to left: its paragraphs end at the right edge of the article and
    # the text runs from the right.
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{live_server.url}/release/{BUNDLE}/ur/")
    geometry = page.evaluate("""() => {
        const a = document.querySelector('article').getBoundingClientRect();
        const p = document.querySelector('article .release__body p');
        const textRight = sel => {
            const r = document.createRange(); r.selectNodeContents(document.querySelector(sel));
            return Math.max(...[...r.getClientRects()].map(x => x.right));
        };
        const r = document.createRange(); r.selectNodeContents(p);
        const rects = [...r.getClientRects()];
        const top = Math.min(...rects.map(x => x.top));
        const first = rects.filter(x => x.top < top + 5);  // bidi runs of the first line
        return {articleLeft: a.left, articleRight: a.right,
                firstLineRight: Math.max(...first.map(x => x.right)),
                firstLineLeft: Math.min(...first.map(x => x.left)),
                titleRight: textRight('article h1'), trailerRight: textRight('.release__ids'),
                direction: getComputedStyle(p).direction};
    }""")
    assert geometry["direction"] == "rtl"
    # Title, first line of the body and PIB's trailer all keep to the right edge.
    for edge in ("firstLineRight", "titleRight", "trailerRight"):
        assert abs(geometry[edge] - geometry["articleRight"]) < 2, (edge, geometry)
    assert geometry["firstLineLeft"] > geometry["articleLeft"] - 1, geometry
    print("; ".join(report))
    page.close()
    _interface_in_hindi(browser, live_server, shots)


def _interface_in_hindi(browser, live_server, shots):
    # One test with the one above: a live server empties the database after each test.
    context = browser.new_context(locale="hi-IN", extra_http_headers={"Accept-Language": "hi-IN,hi"})
    page = context.new_page()
    page.goto(f"{live_server.url}/release/{BUNDLE}/")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.get_attribute("html", "lang") == "hi"
    # The interface (menus) in Hindi; the release's own labels stay in its language, as PIB's
    # English page prints them, whatever the interface.
    assert "नवीनतम" in page.inner_text(".site-header")
    assert page.inner_text("#read-in") == "Read this release in"
    assert page.get_attribute("article", "lang") == "en"
    page.screenshot(path=str(shots / f"release-{BUNDLE}-en-interface-hi.png"), full_page=True)
    used = _platform_fonts(page, ".site-header, #read-in")
    assert all(custom for _, custom in used), used

    # Switch to English with the header's language links; the choice is kept.
    page.click('.interface-language a[lang="en"]')
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.url.endswith(f"/release/{BUNDLE}/")
    page.goto(f"{live_server.url}/")
    assert page.get_attribute("html", "lang") == "en"
    assert re.search("Latest press releases", page.inner_text("h1"))
    page.click('.interface-language a[lang="hi"]')
    page.wait_for_load_state()
    assert page.inner_text("h1") == "नवीनतम प्रेस विज्ञप्तियाँ"
    page.screenshot(path=str(shots / "home-interface-hi.png"))
    context.close()
