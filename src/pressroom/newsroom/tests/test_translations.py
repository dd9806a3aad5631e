"""Translations added by press officers record the original's revision they translate; the
newsroom and the public page show when one falls behind after a correction."""

from django.test import Client

from pressroom.releases.models import LanguageVersion

from ..models import Draft
from .conftest import BROWSER, post_correction

S = Draft.State

HINDI = {"language": "hi", "title": "रक्षा मंत्री कजाकिस्तान यात्रा पर",
         "subtitles": "रक्षा सहयोग पर समझौता", "body_html": "<p>रक्षा मंत्री ने भेंट की।</p>",
         "sign_off": "SRR/DK", "note": ""}


def published(as_press, make_draft):
    draft = make_draft(S.APPROVED)
    as_press.post(f"/newsroom/drafts/{draft.pk}/publish/")
    draft.refresh_from_db()
    return draft


def correct(as_press, draft):
    return post_correction(as_press, draft, {
        "title": "Raksha Mantri visits Kazakhstan (corrected)", "subtitles": "",
        "body_html": "<p>Corrected.</p>", "sign_off": "SRR/DK", "note": "Date corrected"})


def test_press_officer_adds_a_translation_that_records_the_revision(as_press, make_draft):
    draft = published(as_press, make_draft)
    r = as_press.post(f"/newsroom/drafts/{draft.pk}/translate/", HINDI)
    assert r.status_code == 302
    hindi = LanguageVersion.objects.get(release_id=draft.release_id, language="hi")
    assert not hindi.is_original and hindi.translates_revision == 1
    page = Client(HTTP_USER_AGENT=BROWSER).get(f"/release/{draft.release_id}/hi/").content.decode()
    assert '<article class="release" lang="hi" dir="ltr">' in page and HINDI["title"] in page
    assert "This translation was made before" not in page
    assert draft.audit.filter(action="translate").exists()


def test_a_correction_leaves_the_translation_behind_until_updated(as_press, make_draft):
    draft = published(as_press, make_draft)
    as_press.post(f"/newsroom/drafts/{draft.pk}/translate/", HINDI)
    correct(as_press, draft)
    public = Client(HTTP_USER_AGENT=BROWSER)
    page = public.get(f"/release/{draft.release_id}/hi/").content.decode()
    assert "This translation was made before the latest update of the English original" in page
    assert "Translations behind the original" in as_press.get("/newsroom/").content.decode()
    assert "behind the original" in as_press.get(f"/newsroom/drafts/{draft.pk}/").content.decode()
    dashboard = as_press.get("/newsroom/").content.decode()
    assert "Hindi" in dashboard[dashboard.index("Translations behind"):]

    # Updating the translation brings it level and keeps the old text as a revision.
    r = as_press.post(f"/newsroom/drafts/{draft.pk}/translate/",
                      {**HINDI, "body_html": "<p>सुधार।</p>", "note": "Updated to match"})
    assert r.status_code == 302
    hindi = LanguageVersion.objects.get(release_id=draft.release_id, language="hi")
    assert hindi.translates_revision == 2 and hindi.revision == 2
    assert hindi.revisions.get().note == "Updated to match"
    assert "This translation was made before" not in public.get(
        f"/release/{draft.release_id}/hi/").content.decode()
    dashboard = as_press.get("/newsroom/").content.decode()
    assert "Every translation is up to date." in dashboard


def test_the_original_language_cannot_be_added_as_a_translation(as_press, make_draft):
    draft = published(as_press, make_draft)
    r = as_press.post(f"/newsroom/drafts/{draft.pk}/translate/", {**HINDI, "language": "en"})
    assert r.status_code == 400
    assert LanguageVersion.objects.filter(release_id=draft.release_id).count() == 1


def test_no_translation_before_publication_or_by_media_officers(as_press, as_media, make_draft):
    draft = make_draft(S.APPROVED)
    assert as_press.post(f"/newsroom/drafts/{draft.pk}/translate/", HINDI).status_code == 302
    draft = published(as_press, make_draft)
    assert as_media.post(f"/newsroom/drafts/{draft.pk}/translate/", HINDI).status_code == 302
    assert not LanguageVersion.objects.filter(language="hi").exists()


def test_an_urdu_translation_is_right_to_left(as_press, make_draft):
    draft = published(as_press, make_draft)
    as_press.post(f"/newsroom/drafts/{draft.pk}/translate/", {
        **HINDI, "language": "ur", "title": "وزیر دفاع کا دورہ", "body_html": "<p>متن</p>"})
    page = Client(HTTP_USER_AGENT=BROWSER).get(f"/release/{draft.release_id}/ur/").content.decode()
    assert '<article class="release" lang="ur" dir="rtl">' in page
