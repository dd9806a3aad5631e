"""The walk of issue 13, in a browser, with the newsroom in Hindi: a Hindi media officer, a
Tamil translator and press officers put out an English release with its Hindi and Tamil
versions under one embargo in the same minute, then a major correction is previewed,
approved by a second press officer and shown in the public diff and the corrections feed.
Screenshots of each step go to var/screenshots/newsroom_walk_*.png."""

import re
from pathlib import Path

import pytest
from django.test import Client

from pressroom.releases.models import Bureau, LanguageVersion, Ministry

from .. import workflow
from ..models import Draft, Officer, TranslationTask
from .conftest import BROWSER, PASSWORD, in_minutes, make_officer
from .test_browser import browser, short_lived_connections  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(__file__).resolve().parents[4] / "var" / "screenshots"
DEVANAGARI_OR_TAMIL = re.compile(r"[\u0900-\u097f\u0b80-\u0bff]")


def shot(page, n, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"newsroom_walk_{n:02d}_{name}.png"), full_page=True)


def hindi_page(browser, base):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="hi-IN")
    context.add_cookies([{"name": "django_language", "value": "hi", "url": base}])
    page = context.new_page()
    page.set_default_timeout(20000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def sign_in(page, base, username):
    page.goto(f"{base}/newsroom/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button")
    page.wait_for_url(f"{base}/newsroom/")


def english_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{3,}", text)}


@pytest.mark.django_db(transaction=True)
def test_walk_in_hindi(short_lived_connections, browser, live_server, languages):  # noqa: F811
    from pressroom.releases.names import add_known_names

    base = live_server.url
    defence = Ministry.objects.create(name="Ministry of Defence")
    delhi = Bureau.objects.create(name="PIB Delhi")
    add_known_names(defence)
    add_known_names(delhi)
    media = make_officer("media-hindi", Officer.Role.MEDIA, [defence])
    media.officer.bureaus.set([delhi])
    tamil = make_officer("tamil-desk", Officer.Role.TRANSLATOR)
    tamil.officer.languages.set(["ta"])
    make_officer("press", Officer.Role.PRESS, all_ministries=True)
    make_officer("press-two", Officer.Role.PRESS, all_ministries=True)

    # 1. The Hindi media officer drafts the English release and asks for Hindi and Tamil.
    page = hindi_page(browser, base)
    sign_in(page, base, "media-hindi")
    shot(page, 1, "media_dashboard_hindi")
    page.goto(f"{base}/newsroom/drafts/new/")
    assert page.locator("#id_ministry").input_value() == str(defence.pk)  # preselected
    page.fill("#id_title", "Navy commissions a new survey vessel")
    page.locator(".rich-editor__area").click()
    page.keyboard.type("The vessel was commissioned at Kolkata today.")
    page.check("input[name=translation_languages][value=hi]")
    page.check("input[name=translation_languages][value=ta]")
    shot(page, 2, "new_draft_form_hindi")
    page.click("form.draft-form button.button")
    page.wait_for_url(re.compile(r".*/newsroom/drafts/\d+/$"))
    page.click("form[action$='/submit/'] button")
    draft = Draft.objects.get()
    assert draft.state == Draft.State.SUBMITTED
    shot(page, 3, "submitted_hindi")

    # 2. A press officer approves and schedules it, with an embargo.
    press = hindi_page(browser, base)
    sign_in(press, base, "press")
    press.goto(f"{base}/newsroom/drafts/{draft.pk}/")
    press.click("form[action$='/approve/'] button")
    when = workflow.timezone.localtime(in_minutes(30)).strftime("%Y-%m-%dT%H:%M")
    press.fill("#id_when", when)
    press.click("form[action$='/schedule/'] button")
    draft.refresh_from_db()
    assert draft.state == Draft.State.SCHEDULED
    shot(press, 4, "scheduled_with_tasks")

    # 3. The media officer drafts the Hindi beside the English; the Tamil desk the Tamil.
    hi = TranslationTask.objects.get(draft=draft, language="hi")
    ta = TranslationTask.objects.get(draft=draft, language="ta")
    page.goto(f"{base}/newsroom/tasks/{hi.pk}/")
    page.fill("#id_title", "नौसेना ने नया सर्वेक्षण पोत शामिल किया")
    page.locator(".rich-editor__area").click()
    page.keyboard.type("पोत को आज कोलकाता में शामिल किया गया।")
    shot(page, 5, "hindi_translation_by_media_officer")
    page.click("form.draft-form button.button")
    translator = hindi_page(browser, base)
    sign_in(translator, base, "tamil-desk")
    shot(translator, 6, "tamil_translator_dashboard")
    translator.goto(f"{base}/newsroom/tasks/{ta.pk}/")
    translator.fill("#id_title", "கடற்படை புதிய ஆய்வுக் கப்பலை இணைத்தது")
    translator.locator(".rich-editor__area").click()
    translator.keyboard.type("கப்பல் இன்று கொல்கத்தாவில் இணைக்கப்பட்டது.")
    translator.click("form.draft-form button.button")
    shot(translator, 7, "tamil_translation_sent_for_review")

    # 4. The press officer reviews both; they wait for the original's embargo.
    for task in (hi, ta):
        press.goto(f"{base}/newsroom/tasks/{task.pk}/")
        press.click("form[action$='/approve_translation/'] button")
    assert set(TranslationTask.objects.values_list("state", flat=True)) == {"approved"}
    press.goto(f"{base}/newsroom/drafts/{draft.pk}/")
    shot(press, 8, "draft_with_languages")

    # 5. At the embargo the publisher puts out all three in one transaction.
    run = workflow.publish_due(now=in_minutes(31))
    assert len(run.published) == 1
    draft.refresh_from_db()
    versions = LanguageVersion.objects.filter(release=draft.release_id)
    assert {v.language_id for v in versions} == {"en", "hi", "ta"}
    assert len({v.updated_at.replace(second=0, microsecond=0) for v in versions}) == 1

    # Hindi and Tamil pages: no English word but the names that have no translation.
    for n, lang in ((9, "hi"), (10, "ta")):
        reader = hindi_page(browser, base)
        reader.goto(f"{base}/release/{draft.release_id}/{lang}/")
        article = reader.locator("article.release").inner_text()
        assert english_words(article) <= set(), (lang, english_words(article))
        shot(reader, n, f"public_{lang}")

    # 6. A major correction: previewed with its diff, approved by a second press officer.
    press.goto(f"{base}/newsroom/drafts/{draft.pk}/correct/")
    press.locator(".rich-editor__area").click()
    press.keyboard.press("End")
    press.keyboard.type(" It is 110 metres long.")
    press.fill("#id_note", "Length added")
    press.check("#id_major")
    press.click("button[name=preview]")
    assert press.locator("table.diff ins").count() >= 1
    shot(press, 11, "correction_preview_diff")
    press.click("button[name=publish]")
    second = hindi_page(browser, base)
    sign_in(second, base, "press-two")
    second.goto(f"{base}/newsroom/drafts/{draft.pk}/")
    shot(second, 12, "second_officer_approves")
    second.click("form[action$='/approve_correction/'] button")
    assert LanguageVersion.objects.get(release=draft.release_id, is_original=True).revision == 2

    reader = hindi_page(browser, base)
    reader.goto(f"{base}/release/{draft.release_id}/en/changes/")
    assert "110" in reader.locator("table.diff ins").first.inner_text()
    shot(reader, 13, "public_what_changed")
    feed = Client(HTTP_USER_AGENT=BROWSER).get("/feeds/corrections.atom").content.decode()
    assert "Length added" in feed and "&lt;ins&gt;" in feed
    for p in (page, press, translator, second, reader):
        assert p.errors == []
