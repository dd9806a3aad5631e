"""Photos on a release page in Chromium at phone width: what the first view transfers, the
lightbox by keyboard alone, and the PDF link."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE_ID = 1610907
PHONE = {"viewport": {"width": 412, "height": 915}, "device_scale_factor": 2.625,
         "is_mobile": True, "has_touch": True, "locale": "en-IN"}


@pytest.fixture
def six_photos(site):
    from pressroom.releases import store
    from pressroom.releases.models import LanguageVersion
    from pressroom.releases.tests import mediasamples as samples

    english = LanguageVersion.objects.get(release_id=SAMPLE_ID, language_id="en")
    photos = [store.PhotoSpec(store.store_file(samples.jpeg(3000, 2000, color=(i * 40, 90, 200),
                                                            gps=True), f"p{i}.jpg"),
                              f"Photo {i + 1} of the meeting", f"Caption {i + 1}", "PIB")
              for i in range(6)]
    store.set_media(english, photos=photos, attachments=[], note="Photos added")
    return site


def test_phone_first_view_and_keyboard_lightbox(browser, six_photos, axe_violations):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(f"{six_photos}/release/{SAMPLE_ID}/", wait_until="networkidle")
        entries = page.evaluate("""() => [performance.getEntriesByType('navigation')[0],
            ...performance.getEntriesByType('resource')].map(e => [e.name, e.transferSize,
            e.encodedBodySize, e.initiatorType])""")
        total = sum(max(t, b) for _, t, b, _ in entries)
        images = [(n, max(t, b)) for n, t, b, kind in entries if "/media/photos/" in n]
        print(f"\nphone first view: {total} bytes in {len(entries)} requests; "
              f"{len(images)} photo(s), {sum(b for _, b in images)} bytes: "
              + ", ".join(n.rsplit("/", 1)[-1] for n, _ in images))
        assert total <= 500_000, entries
        # The eager photo is a modern format at about the phone's pixel width, not the original.
        lead = page.locator("figure.release-photo--lead img")
        assert lead.get_attribute("loading") == "eager"
        assert page.evaluate("document.querySelector('figure.release-photo--lead img').currentSrc"
                             ).endswith((".avif", ".webp"))
        box = lead.bounding_box()
        assert box["width"] <= 412 and box["height"] > 100  # width/height kept the layout
        assert all(page.locator(".photo-grid img").evaluate_all(
            "els => els.map(e => e.loading === 'lazy')"))

        # The lightbox, by keyboard only.
        link = page.locator('a[data-lightbox="0"]')
        link.focus()
        page.keyboard.press("Enter")
        dialog = page.locator("dialog.lightbox")
        dialog.wait_for(state="visible")
        assert page.locator(".lightbox__count").inner_text() == "1 of 6"
        assert page.evaluate("document.activeElement.className") == "lightbox__close"
        page.keyboard.press("ArrowRight")
        assert page.locator(".lightbox__count").inner_text() == "2 of 6"
        assert page.locator(".lightbox__caption").inner_text().startswith("Caption 2")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        assert page.locator(".lightbox__count").inner_text() == "6 of 6"
        assert axe_violations(page) == []
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        assert page.evaluate("document.activeElement.getAttribute('data-lightbox')") == "0"
        assert axe_violations(page) == []
        assert errors == []  # nothing refused by the content security policy

        response = page.request.get(f"{six_photos}/release/{SAMPLE_ID}/en.pdf")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    finally:
        context.close()
