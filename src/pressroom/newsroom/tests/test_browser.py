"""A browser walk of the newsroom: draft (with the toolbar editor) → review → publish."""

import os
import re

import pytest

from ..models import Draft
from .conftest import PASSWORD

CHROMIUM = os.environ.get("PRESSROOM_CHROMIUM", "/usr/bin/chromium")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def browser(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright runs an event loop
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


def sign_in(page, base, username):
    page.goto(f"{base}/newsroom/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/newsroom/")


@pytest.fixture
def short_lived_connections():
    """On PostgreSQL, a connection the live server's threads kept open would stop the test
    database being dropped at the end of the run: make none persist while this test runs.
    (Terminating other backends instead also killed connections later tests still held.)"""
    from django.db import connections

    saved = connections.settings["default"]["CONN_MAX_AGE"]
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    yield
    connections.settings["default"]["CONN_MAX_AGE"] = saved


@pytest.mark.django_db(transaction=True)
def test_draft_review_publish_in_a_browser(short_lived_connections, browser, live_server,
                                           languages, defence, delhi, media_defence, press):
    base = live_server.url
    errors = []
    page = browser.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "favicon" not in (m.location or {}).get("url", "") else None)

    sign_in(page, base, "media-defence")
    page.get_by_role("link", name="Start a new draft").click()
    page.get_by_label("Ministry").select_option(label="Ministry of Defence")
    page.get_by_label("Bureau").select_option(label="PIB Delhi")
    page.get_by_label("Title", exact=True).fill("Navy commissions a new survey vessel")
    # The script has replaced the textarea with a toolbar editor.
    editor = page.locator(".rich-editor__area")
    assert page.locator("textarea[name=body_html]").is_hidden()
    editor.click()
    page.keyboard.type("The vessel was commissioned at Kolkata.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Bulleted list").click()
    page.keyboard.type("Length 110 m")
    page.keyboard.press("Enter")
    page.keyboard.type("Crew of 231")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r".*/newsroom/drafts/\d+/$"))
    page.get_by_role("button", name="Submit for review").click()
    assert page.locator(".state").first.inner_text().lower() == "awaiting review"
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "press")
    page.get_by_role("link", name="Navy commissions a new survey vessel").first.click()
    page.get_by_role("button", name="Approve").click()
    page.get_by_role("button", name="Publish now").click()
    assert page.locator(".state").first.inner_text().lower() == "published"
    draft = Draft.objects.get()
    assert "<ul><li>Length 110 m</li><li>Crew of 231</li></ul>" in draft.body_html

    page.get_by_role("link", name=str(draft.release_id)).click()
    assert page.locator("h1").inner_text() == "Navy commissions a new survey vessel"
    assert page.locator(".release__body li").all_inner_texts() == ["Length 110 m", "Crew of 231"]
    assert errors == []  # no CSP violations or script errors on the way
