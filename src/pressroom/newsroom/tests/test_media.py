"""Photos and documents in the newsroom: upload with a draft, captions, order, publication,
translations with their own captions, and who may do it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from pressroom.releases.models import LanguageVersion, Photo, StoredFile
from pressroom.releases.tests import mediasamples as samples

from ..media_models import DraftAttachment, DraftPhoto
from ..models import Draft
from .conftest import client_for

S = Draft.State


def upload(client, draft, *files, lang=None, **fields):
    url = f"/newsroom/drafts/{draft.pk}/media/" + (f"?lang={lang}" if lang else "")
    return client.post(url, {"op": "upload", "files": list(files), **fields}, follow=True)


def jpeg_file(name="meeting.jpg", **kw):
    return SimpleUploadedFile(name, samples.jpeg(**kw), content_type="image/jpeg")


def test_upload_without_javascript_then_caption_and_reorder(as_media, make_draft):
    draft = make_draft()
    r = upload(as_media, draft, jpeg_file(gps=True), alt_text="Two ministers shaking hands",
               caption="The Raksha Mantri with his counterpart", credit="PIB")
    assert r.status_code == 200 and "Uploaded: meeting.jpg" in r.content.decode()
    upload(as_media, draft, jpeg_file("second.jpg", color=(0, 200, 0)),
           SimpleUploadedFile("statement.pdf", samples.pdf(2), content_type="application/pdf"))
    photos = list(DraftPhoto.objects.filter(draft=draft))
    assert [p.alt_text for p in photos] == ["Two ministers shaking hands", ""]
    assert DraftAttachment.objects.get(draft=draft).title == "statement"
    page = as_media.get(f"/newsroom/drafts/{draft.pk}/media/").content.decode()
    assert "still need" in page and 'type="file"' in page and 'enctype="multipart/form-data"' in page
    as_media.post(f"/newsroom/drafts/{draft.pk}/media/", {
        "op": "update", "alt-0": "Two ministers shaking hands", "caption-0": "Meeting",
        "alt-1": "A green field", "caption-1": "Field", "title-0": "Joint statement",
        "lang-0": "en"})
    as_media.post(f"/newsroom/drafts/{draft.pk}/media/",
                  {"op": "move", "kind": "photo", "index": "1", "direction": "up"})
    assert [p.caption for p in DraftPhoto.objects.filter(draft=draft)] == ["Field", "Meeting"]
    assert DraftAttachment.objects.get(draft=draft).title == "Joint statement"
    assert draft.audit.filter(action="media").count() == 4


def test_a_bad_file_does_not_cost_the_good_ones(as_media, make_draft):
    draft = make_draft()
    r = upload(as_media, draft, jpeg_file(),
               SimpleUploadedFile("gazette.pdf", samples.HTML_AS_PDF, content_type="application/pdf"),
               SimpleUploadedFile("logo.svg", samples.SVG_WITH_SCRIPT, content_type="image/svg+xml"),
               SimpleUploadedFile("bomb.png", samples.bomb_png(20000), content_type="image/png"))
    text = r.content.decode()
    assert "web page (HTML)" in text and "SVG" in text and "decompression bomb" in text
    assert DraftPhoto.objects.filter(draft=draft).count() == 1
    assert StoredFile.objects.count() == 1


def test_the_same_file_twice_is_stored_once(as_media, make_draft):
    d1, d2 = make_draft(), make_draft()
    upload(as_media, d1, jpeg_file(), alt_text="x")
    upload(as_media, d2, jpeg_file("again.jpg"), alt_text="x")
    assert StoredFile.objects.count() == 1 and DraftPhoto.objects.count() == 2


def test_other_ministries_and_non_editors_get_nothing(make_draft, media_finance, as_media):
    draft = make_draft()
    other = client_for(media_finance)
    assert other.get(f"/newsroom/drafts/{draft.pk}/media/").status_code == 404
    assert upload(other, draft, jpeg_file()).status_code == 404
    submitted = make_draft(state=S.SUBMITTED)
    r = as_media.post(f"/newsroom/drafts/{submitted.pk}/media/", {"op": "upload",
                                                                  "files": [jpeg_file()]})
    assert r.status_code == 403 and not DraftPhoto.objects.exists()


def test_originals_are_for_the_draft_staff_only(as_media, make_draft, media_finance):
    draft = make_draft()
    original = samples.jpeg(gps=True)
    upload(as_media, draft, SimpleUploadedFile("gps.jpg", original), alt_text="x")
    sha = StoredFile.objects.get().sha256
    r = as_media.get(f"/newsroom/drafts/{draft.pk}/media/original/{sha}/")
    assert r.status_code == 200 and r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == original  # as uploaded, GPS and all
    assert "attachment" in r["Content-Disposition"]
    assert client_for(media_finance).get(
        f"/newsroom/drafts/{draft.pk}/media/original/{sha}/").status_code == 404


def test_publication_needs_alt_text_then_carries_the_media(as_media, as_press, make_draft):
    draft = make_draft(state=S.APPROVED)
    upload(as_press, draft, jpeg_file())  # no alt text
    r = as_press.post(f"/newsroom/drafts/{draft.pk}/publish/", follow=True)
    assert "alt text" in r.content.decode()
    draft.refresh_from_db()
    assert draft.state == S.APPROVED and draft.release_id is None
    as_press.post(f"/newsroom/drafts/{draft.pk}/media/",
                  {"op": "update", "alt-0": "Soldiers on parade", "caption-0": "Parade"})
    as_press.post(f"/newsroom/drafts/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.state == S.PUBLISHED
    version = LanguageVersion.objects.get(release=draft.release, is_original=True)
    assert [p.caption for p in version.photos.all()] == ["Parade"]
    assert version.revision == 1  # published with its photos: nothing to revise yet


def test_translation_with_its_own_captions(as_press, make_draft, press):
    from pressroom.newsroom import workflow
    from pressroom.releases import store

    draft = make_draft(state=S.APPROVED)
    upload(as_press, draft, jpeg_file(), alt_text="Soldiers on parade", caption="Parade")
    as_press.post(f"/newsroom/drafts/{draft.pk}/publish/")
    draft.refresh_from_db()
    workflow.translate(press, draft, language="hi", fields=store.content_fields(
        title="रक्षा मंत्री कज़ाख़स्तान में", body_html="<p>पहला अनुच्छेद।</p>"))
    base = f"/newsroom/drafts/{draft.pk}/media/?lang=hi"
    # Published: a change needs a public note.
    r = as_press.post(base, {"op": "copy_original"}, follow=True)
    assert "change note" in r.content.decode()
    as_press.post(base, {"op": "copy_original", "note": "Hindi captions"})
    as_press.post(base, {"op": "update", "alt-0": "परेड में सैनिक", "caption-0": "परेड",
                         "note": "Hindi captions"})
    hindi = LanguageVersion.objects.get(release=draft.release, language_id="hi")
    assert [(p.caption, p.alt_text) for p in hindi.photos.all()] == [("परेड", "परेड में सैनिक")]
    english = LanguageVersion.objects.get(release=draft.release, language_id="en")
    assert [p.caption for p in english.photos.all()] == ["Parade"]
    assert Photo.objects.values("file").distinct().count() == 1
    assert hindi.revisions.first().reason == "media"


def test_media_officers_cannot_change_published_media(as_media, as_press, make_draft):
    draft = make_draft(state=S.APPROVED)
    as_press.post(f"/newsroom/drafts/{draft.pk}/publish/")
    r = as_media.post(f"/newsroom/drafts/{draft.pk}/media/",
                      {"op": "upload", "files": [jpeg_file()], "note": "x"})
    assert r.status_code == 403
