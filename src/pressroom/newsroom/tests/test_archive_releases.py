"""Releases published before the newsroom (imported) can be corrected, translated, withdrawn
and removed by press officers, like any other."""

from django.test import Client

from conftest import SEED
from pressroom.releases.models import Release

from ..models import AuditEntry, Draft
from .conftest import BROWSER, client_for, post_correction

S = Draft.State


def test_press_officer_opens_an_imported_release_and_withdraws_it(import_paths, as_press):
    import_paths(SEED)
    r = as_press.post("/newsroom/releases/open/", {"release_id": "1548606"})
    draft = Draft.objects.get()
    assert r["Location"] == f"/newsroom/drafts/{draft.pk}/"
    assert draft.state == S.PUBLISHED and draft.release_id == 1548606
    assert draft.title.startswith("India and Kazakhstan") and draft.ministry.name == \
        "Ministry of Defence"
    assert not AuditEntry.objects.exists()  # written when an officer acts on it
    as_press.post("/newsroom/releases/open/", {"release_id": "1548606"})  # again: same draft
    assert Draft.objects.count() == 1
    as_press.post(f"/newsroom/drafts/{draft.pk}/withdraw/",
                  {"reason": "Superseded by 1548700", "confirm": "yes"})
    assert Release.objects.get(pk=1548606).status == "withdrawn"
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["adopt", "withdraw"]
    page = Client(HTTP_USER_AGENT=BROWSER).get("/release/1548606/").content.decode()
    assert "This release has been withdrawn" in page and "Superseded by 1548700" in page


def test_a_correction_of_an_imported_release_keeps_its_text(import_paths, as_press):
    import_paths(SEED)
    as_press.post("/newsroom/releases/open/", {"release_id": "1548606"})
    draft = Draft.objects.get()
    before = Release.objects.get(pk=1548606).versions.get()
    r = post_correction(as_press, draft, {
        "title": draft.title, "subtitles": "", "body_html": draft.body_html + "<p>Added.</p>",
        "sign_off": draft.sign_off, "note": "A paragraph added"})
    assert r.status_code == 302
    version = Release.objects.get(pk=1548606).versions.get()
    assert version.body_text == before.body_text + "\nAdded." and version.revision == 2
    assert (version.separator, version.pib_id) == (before.separator, before.pib_id)
    assert version.revisions.get().content["body_text"] == before.body_text


def test_only_press_officers_of_its_ministry_open_a_release(import_paths, as_media, finance,
                                                            press_finance, as_press):
    import_paths(SEED)
    as_media.post("/newsroom/releases/open/", {"release_id": "1548606"})
    client_for(press_finance).post("/newsroom/releases/open/", {"release_id": "1548606"})
    assert not Draft.objects.exists()
    for bad in ("999", "abc", "", "9" * 40):
        r = as_press.post("/newsroom/releases/open/", {"release_id": bad})
        assert r.status_code == 302 and r["Location"] == "/newsroom/"
    assert not Draft.objects.exists()
