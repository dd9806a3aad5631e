"""The public site in a real browser: browse and filter, language versions, legacy links,
accessibility (axe-core: no serious or critical violation)."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_browse_home_then_filter_the_listing(site, page):
    page.goto(site + "/")
    assert page.locator("h1").first.is_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="All releases").click()
    page.wait_for_url(re.compile(r"/releases/$"))
    total = int(re.search(r"\d+", page.locator(".result-count").inner_text()).group(0))
    assert total == 35

    page.get_by_label("Ministry").select_option(label="Ministry of Defence")
    page.get_by_role("button", name="Show releases").click()
    page.wait_for_url(re.compile(r"ministry=ministry-of-defence"))
    filtered = int(re.search(r"\d+", page.locator(".result-count").inner_text()).group(0))
    assert 0 < filtered < total
    assert "Ministry of Defence" in page.locator("h1").inner_text()
    titles = page.locator(".release-list a").all_inner_texts()
    assert any("Kazakhstan" in t for t in titles)

    page.locator(".release-list a", has_text="Kazakhstan").first.click()
    page.wait_for_url(re.compile(r"/release/1548606/$"))
    assert "India and Kazakhstan" in page.locator("h1").inner_text()
    assert page.console_errors == []


@pytest.mark.parametrize("lang, direction, script", [("hi", "ltr", r"[\u0900-\u097f]"),
                                                     ("ur", "rtl", r"[\u0600-\u06ff]")],
                         ids=["hindi", "urdu"])
def test_hindi_and_urdu_versions(site, page, lang, direction, script):
    page.goto(site + "/release/1610907/")
    page.locator(f".language-switcher a[hreflang={lang}]").click()
    page.wait_for_url(re.compile(rf"/release/1610907/{lang}/$"))
    article = page.locator("article.release")
    assert article.get_attribute("lang") == lang
    assert article.get_attribute("dir") == direction
    assert re.search(script, page.locator("h1").inner_text())
    # Right-to-left text really lays out right to left.
    assert page.evaluate("getComputedStyle(document.querySelector('article.release h1')).direction") \
        == direction
    assert page.console_errors == []


def test_a_pib_link_leads_to_the_release(site, page):
    response = page.goto(site + "/PressReleasePage.aspx?PRID=1548606")
    assert page.url == site + "/release/1548606/"
    assert response.status == 200
    assert response.request.redirected_from.url.endswith("PressReleasePage.aspx?PRID=1548606")
    assert "India and Kazakhstan" in page.locator("h1").inner_text()


@pytest.mark.parametrize("path", ["/", "/releases/", "/releases/?ministry=ministry-of-defence",
                                  "/release/1548606/", "/release/1610907/hi/",
                                  "/release/1610907/ur/", "/ministries/", "/release/999/",
                                  "/search/", "/search/?q=India", "/search/?q=प्रधानमंत्री&sort=newest",
                                  "/search/?q=%22unbalanced", "/newsroom/login/"])
def test_no_serious_accessibility_violations(site, page, axe_violations, path):
    response = page.goto(site + path)
    assert axe_violations(page) == []
    if response.ok:  # a 404 page logs its own status as a console error
        assert page.console_errors == [], "CSP refusals or failed loads"


def test_the_accessibility_check_finds_what_is_wrong(site, page, axe_violations):
    """The axe fixture is not vacuous: a page with known faults fails it."""
    bad = ('<!doctype html><html><head><title>bad</title></head><body><main>'
           '<img src="/static/website/favicon.svg"><button></button>'
           '<input type="text"></main></body></html>')
    page.route(site + "/__test__/bad", lambda route: route.fulfill(
        status=200, body=bad, content_type="text/html"))
    page.goto(site + "/__test__/bad")
    found = "\n".join(axe_violations(page))
    assert "image-alt" in found and "button-name" in found and "label" in found
    assert "html-has-lang" in "\n".join(axe_violations(page, impacts=("serious",)))


def test_the_content_security_policy_stops_inline_script(site, page):
    page.goto(site + "/release/1548606/")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.injected = true'; document.body.appendChild(s); }""")
    assert page.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in e for e in page.console_errors)


def test_search_from_the_header_in_english_and_hindi(site, page):
    page.goto(site + "/")
    page.get_by_role("link", name="Search").first.click()
    page.get_by_role("searchbox").fill("Kazakhstan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "India and Kazakhstan" in page.inner_text("main")
    page.get_by_role("searchbox").fill("प्रधानमंत्री")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    hits = page.locator("main [lang=hi]")
    assert hits.count() > 0
    assert page.locator("mark").count() > 0  # the matched word is highlighted


@pytest.mark.django_db(transaction=True)
def test_newsroom_dashboard_has_no_serious_accessibility_violations(site, page, axe_violations):
    from pressroom.newsroom.models import Officer
    from pressroom.newsroom.tests.conftest import PASSWORD, make_officer

    make_officer("press-a11y", Officer.Role.PRESS, all_ministries=True)
    page.goto(site + "/newsroom/login/")
    page.get_by_label("Username").fill("press-a11y")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site + "/newsroom/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Start a new draft").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []


def test_a_printed_release_carries_the_qr_code_of_its_verify_link(site, page):
    # On screen the QR code is hidden; printed, it shows, drawn from its own image.
    page.goto(site + "/release/1548606/")
    qr = page.locator(".trust-qr img")
    assert not qr.is_visible()
    page.emulate_media(media="print")
    assert qr.is_visible()
    assert page.evaluate("document.querySelector('.trust-qr img').naturalWidth") > 0
    assert page.evaluate("document.querySelector('.trust-qr img').complete")
    assert "/verify/?url=/release/1548606/" in page.locator(".trust-qr figcaption").inner_text()
    assert page.console_errors == []
