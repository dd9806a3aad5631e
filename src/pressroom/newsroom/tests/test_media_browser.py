"""A media officer adds photos and a PDF to a draft in a browser (the plain file input),
writes alt text, sees the preview; after publication a press officer captions the photos in
Hindi; the public pages show each language's captions."""


import pytest

from pressroom.releases.tests import mediasamples as samples

from ..models import Draft
from .test_browser import browser, short_lived_connections, sign_in  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_media_officer_uploads_then_hindi_captions(short_lived_connections, browser,  # noqa: F811
                                                  live_server, languages, make_draft, press,
                                                  tmp_path):
    base = live_server.url
    draft = make_draft()
    photo, pdf = tmp_path / "parade.jpg", tmp_path / "order.pdf"
    photo.write_bytes(samples.jpeg(1600, 1000, gps=True))
    pdf.write_bytes(samples.pdf(2))
    errors = []
    page = browser.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, base, "media-defence")
    page.goto(f"{base}/newsroom/drafts/{draft.pk}/")
    page.get_by_role("link", name="Photos and documents…").click()
    page.get_by_label("Files").set_input_files([str(photo), str(pdf)])
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("text=Uploaded: parade.jpg, order.pdf")
    assert page.get_by_role("alert").inner_text().startswith("1 photo still")
    page.locator("#alt-0").fill("Soldiers marching on Rajpath")
    page.locator("#caption-0").fill("Republic Day parade rehearsal")
    page.locator("#title-0").fill("Gazette order")
    page.get_by_role("button", name="Save captions and titles").click()
    page.wait_for_selector("text=Captions and titles saved.")
    page.goto(f"{base}/newsroom/drafts/{draft.pk}/preview/")
    assert page.locator("figure.release-photo--lead img").get_attribute("alt") == \
        "Soldiers marching on Rajpath"
    assert "Gazette order" in page.locator(".release-documents").inner_text()
    page.context.clear_cookies()  # signed out

    # A press officer publishes, adds a Hindi version, captions its photo in Hindi.
    Draft.objects.filter(pk=draft.pk).update(state=Draft.State.APPROVED)
    sign_in(page, base, "press")
    page.goto(f"{base}/newsroom/drafts/{draft.pk}/")
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_selector(".message >> text=Published.")
    draft.refresh_from_db()
    page.goto(f"{base}/newsroom/drafts/{draft.pk}/translate/")
    page.locator("select[name=language]").select_option("hi")
    page.locator("[name=title]").fill("गणतंत्र दिवस परेड का पूर्वाभ्यास")
    page.locator("textarea[name=body_html]").fill("परेड का पूर्वाभ्यास हुआ।") if page.locator(
        "textarea[name=body_html]").is_visible() else page.locator(".rich-editor__area").fill(
        "परेड का पूर्वाभ्यास हुआ।")
    page.get_by_role("button", name="Publish translation").click()
    page.wait_for_selector(".message")
    page.goto(f"{base}/newsroom/drafts/{draft.pk}/media/?lang=hi")
    page.get_by_role("button", name="Copy the original's photos to caption them").click()
    page.locator("#alt-0").fill("राजपथ पर मार्च करते सैनिक")
    page.locator("#caption-0").fill("गणतंत्र दिवस परेड का पूर्वाभ्यास")
    page.locator("#id_note").fill("Hindi captions")
    page.get_by_role("button", name="Save captions and titles").click()
    page.wait_for_selector("text=Captions and titles saved.")

    page.goto(f"{base}/release/{draft.release_id}/hi/")
    lead = page.locator("figure.release-photo--lead")
    assert "गणतंत्र दिवस" in lead.inner_text() and lead.get_attribute("lang") is None
    page.goto(f"{base}/release/{draft.release_id}/")
    assert "Republic Day parade rehearsal" in page.locator("figure.release-photo--lead").inner_text()
    assert errors == []
