"""Corrections people can see (issue 13, item 4): previewed with a word diff before they go
out, a second press officer for a major one, a public "What changed" page and a corrections
feed, withdrawal and removal dated on the public page."""

import feedparser
import pytest
from django.test import Client

from pressroom.releases import diffing, store
from pressroom.releases.models import LanguageVersion

from .. import workflow
from ..models import Draft, Officer
from .conftest import BROWSER, make_officer, post_correction

S = Draft.State
FIX = {"title": "Raksha Mantri visits Kazakhstan", "subtitles": "A highlight",
       "body_html": "<p>First paragraph, with the date corrected.</p>", "sign_off": "SRR/DK",
       "note": "Date corrected"}


@pytest.fixture
def live(make_draft, press):
    draft = make_draft(S.APPROVED)
    workflow.transition(press, draft.pk, "publish")
    draft.refresh_from_db()
    return draft


@pytest.fixture
def second_press(db):
    return make_officer("press-two", Officer.Role.PRESS, all_ministries=True)


def reader():
    return Client(HTTP_USER_AGENT=BROWSER)


def test_word_diff_keeps_indic_words_whole():
    parts = diffing.word_diff("रक्षा मंत्री ने भेंट की।", "रक्षा मंत्री ने मुलाकात की।")
    assert (diffing.DELETE, "भेंट") in parts and (diffing.INSERT, "मुलाकात") in parts
    rows = diffing.side_by_side(["Same.", "Old words here."], ["Same.", "New words here.",
                                                               "Added."])
    assert [r.op for r in rows] == ["equal", "change", "insert"]
    assert rows[1].old_html == "<del>Old</del> words here." and "<ins>New</ins>" in rows[1].new_html
    assert diffing.side_by_side(["<b>x</b>"], ["<b>y</b>"])[0].new_html == "<ins>&lt;b&gt;y&lt;/b&gt;</ins>"


def test_a_correction_is_previewed_with_its_diff_before_it_goes_out(as_press, live):
    r = as_press.post(f"/newsroom/drafts/{live.pk}/correct/", {**FIX, "preview": "1"})
    page = r.content.decode()
    assert r.status_code == 200 and "What will change" in page
    assert "<del>paragraph.</del>" in page
    assert "<ins>paragraph, with the date corrected.</ins>" in page
    assert LanguageVersion.objects.get(release_id=live.release_id).revision == 1  # not yet
    # Publishing text other than the previewed text is refused: it is previewed again.
    r = as_press.post(f"/newsroom/drafts/{live.pk}/correct/",
                      {**FIX, "publish": "1", "previewed": "0" * 32})
    assert r.status_code == 200
    assert LanguageVersion.objects.get(release_id=live.release_id).revision == 1
    r = post_correction(as_press, live, FIX)
    assert r.status_code == 302
    assert LanguageVersion.objects.get(release_id=live.release_id).revision == 2


def test_a_major_correction_needs_a_second_press_officer(press, second_press, live):
    seen = []

    def receiver(sender, version_ids, reason, **details):
        seen.append((reason, details.get("major")))

    store.versions_changed.connect(receiver)
    try:
        correction = {k: FIX[k] for k in ("title", "subtitles", "body_html", "sign_off")}
        workflow.transition(press, live.pk, "propose_correction", reason="Figures corrected",
                            correction=correction)
        assert LanguageVersion.objects.get(release_id=live.release_id).revision == 1
        with pytest.raises(workflow.TransitionError):
            workflow.transition(press, live.pk, "approve_correction")  # not the proposer
        with pytest.raises(workflow.TransitionError):  # nor a minor one over it
            workflow.transition(press, live.pk, "correct", reason="x", correction=correction)
        workflow.transition(second_press, live.pk, "approve_correction")
    finally:
        store.versions_changed.disconnect(receiver)
    version = LanguageVersion.objects.get(release_id=live.release_id)
    assert version.revision == 2 and "date corrected" in version.body_text
    assert (store.CORRECT, True) in seen
    live.refresh_from_db()
    assert live.state == S.CORRECTED and not live.pending_correction
    texts = [workflow.describe(e) for e in live.audit.order_by("id")]
    assert "Proposed a major correction: Figures corrected" in texts
    assert "Approved and published the major correction: Figures corrected" in texts


def test_a_major_correction_through_the_pages(as_press, second_press, live):
    from .conftest import client_for

    r = post_correction(as_press, live, {**FIX, "major": "on"})
    assert r.status_code == 302
    mine = as_press.get(f"/newsroom/drafts/{live.pk}/").content.decode()
    assert "waiting for a second approval" in mine and "Approve and publish" not in mine
    other = client_for(second_press)
    theirs = other.get(f"/newsroom/drafts/{live.pk}/").content.decode()
    assert "Approve and publish the correction" in theirs and "<ins>" in theirs
    other.post(f"/newsroom/drafts/{live.pk}/correction/approve_correction/")
    assert LanguageVersion.objects.get(release_id=live.release_id).revision == 2


def test_discarding_a_proposed_correction(press, live):
    correction = {k: FIX[k] for k in ("title", "subtitles", "body_html", "sign_off")}
    workflow.transition(press, live.pk, "propose_correction", reason="x", correction=correction)
    workflow.transition(press, live.pk, "discard_correction", reason="Wrong figures")
    live.refresh_from_db()
    assert not live.pending_correction and live.state == S.PUBLISHED


def test_the_public_sees_what_changed(as_press, live):
    post_correction(as_press, live, FIX)
    page = reader().get(f"/release/{live.release_id}/").content.decode()
    changes_url = f"/release/{live.release_id}/en/changes/"
    assert changes_url in page
    r = reader().get(changes_url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "<del>paragraph.</del>" in html and "<ins>" in html and "Date corrected" in html
    assert reader().get(changes_url + "?from=1&to=2").status_code == 200
    assert reader().get(changes_url + "?from=1&to=9").status_code == 404
    assert reader().get(changes_url + "?from=x").status_code == 404


def test_the_corrections_feed_carries_the_diff(as_press, live):
    post_correction(as_press, live, FIX)
    body = reader().get("/feeds/corrections.atom").content
    feed = feedparser.parse(body)
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.title.startswith("Corrected: ")
    assert "/changes/?from=1&to=2" in entry.link
    assert "<ins>" in entry.content[0].value and "Date corrected" in entry.content[0].value
    slug = live.ministry.slug
    assert len(feedparser.parse(reader().get(
        f"/feeds/corrections/ministry/{slug}.atom").content).entries) == 1


def test_withdrawal_and_removal_show_their_date(press, live):
    workflow.transition(press, live.pk, "withdraw", reason="Superseded")
    page = reader().get(f"/release/{live.release_id}/").content.decode()
    assert "Withdrawn on <time" in page and "Superseded" in page
    workflow.transition(press, live.pk, "remove", reason="Court order")
    r = reader().get(f"/release/{live.release_id}/")
    assert r.status_code == 410 and "Removed on <time" in r.content.decode()
