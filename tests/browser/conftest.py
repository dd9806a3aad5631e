"""Browser tests: Playwright (Python) driving Debian's headless Chromium against a live server.

Never `playwright install`: the browser is the system's /usr/bin/chromium (Debian package
`chromium`, with `fonts-noto-core` for Indic scripts; .ci/run installs both). Where either
Chromium or the playwright package is missing, the tests skip and say why.

Fixtures:
- `site`: the live server's base URL, with the sample archive loaded;
- `page`: a fresh browser page; a screenshot of it goes to var/screenshots/<test>.png after
  the test, and `page.console_errors` collects console errors (CSP refusals among them);
- `axe_violations(page)`: axe-core's serious and critical violations on the page, as
  readable strings (empty when the page passes). Other apps' browser tests reuse it.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("PRESSROOM_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# Served to the page from the site's own origin, so the site's CSP (script-src 'self') admits
# it without being switched off; the request never reaches the server (Playwright answers it).
AXE_PATH = "/__test__/axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module: Playwright's event loop (and the guard set below) end
    with the module, so tests after it run as usual."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} "
                    "(Debian: apt-get install chromium fonts-noto-core)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests skipped: the playwright package is not installed "
                    "(pip install -e '.[dev]')")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls here
    # are still plain synchronous code, so Django's async guard must not refuse them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                  args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(transactional_db, live_server, sample_archive):
    """The live server (a real HTTP server in a thread) serving the sample archive."""
    return live_server.url


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-IN")
    page = context.new_page()
    page.set_default_timeout(90_000)  # a loaded machine (two suites at once) is slow, not broken
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    finally:
        context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core on the page; its serious and critical violations as readable strings."""
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}")
    source = AXE.read_text(encoding="utf-8")

    def check(page, impacts=("serious", "critical")) -> list[str]:
        origin = re.match(r"https?://[^/]+", page.url).group(0)
        page.route(origin + AXE_PATH, lambda route: route.fulfill(
            status=200, body=source, content_type="application/javascript"))
        page.add_script_tag(url=origin + AXE_PATH)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [f"{v['impact']}: {v['id']} ({v['help']}) at "
                + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
                for v in result["violations"] if v["impact"] in impacts]

    return check
