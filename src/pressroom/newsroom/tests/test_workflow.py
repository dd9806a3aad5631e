"""Every state transition, one by one, by request; and what the public site shows after."""

import pytest
from django.test import Client

from pressroom.releases import store
from pressroom.releases.models import LanguageVersion, Release, Revision

from ..models import AuditEntry, Draft
from .conftest import BROWSER, draft_data, in_minutes, local_input, post_correction

S = Draft.State


def act(client, draft, action, **data):
    data.setdefault("confirm", "yes")  # withdrawal and removal are confirmed
    return client.post(f"/newsroom/drafts/{draft.pk}/{action}/", data)


def state_of(draft):
    draft.refresh_from_db()
    return draft.state


def last_audit(draft):
    return AuditEntry.objects.filter(draft=draft).order_by("-id").first()


def test_media_officer_creates_a_draft_by_form(as_media, languages, defence, delhi):
    r = as_media.post("/newsroom/drafts/new/", draft_data(defence, delhi))
    draft = Draft.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/newsroom/drafts/{draft.pk}/"
    assert draft.state == S.DRAFT and draft.ministry == defence
    assert draft.subtitle_list == ["Agreement on defence cooperation", "Joint exercise planned"]
    assert "<ul><li>One</li></ul>" in draft.body_html
    assert last_audit(draft).action == "create"


def test_draft_to_submitted(as_media, make_draft):
    draft = make_draft()
    act(as_media, draft, "submit")
    assert state_of(draft) == S.SUBMITTED
    entry = last_audit(draft)
    assert (entry.action, entry.from_state, entry.to_state, entry.actor_name) == (
        "submit", "draft", "submitted", "media-defence")


def test_submitted_to_approved_by_press_only(as_media, as_press, make_draft):
    draft = make_draft(S.SUBMITTED)
    act(as_media, draft, "approve")
    assert state_of(draft) == S.SUBMITTED  # a media officer cannot approve
    act(as_press, draft, "approve")
    assert state_of(draft) == S.APPROVED


def test_submitted_to_rejected_needs_a_reason_then_back_to_draft(as_media, as_press, make_draft):
    draft = make_draft(S.SUBMITTED)
    act(as_press, draft, "reject", reason="")
    assert state_of(draft) == S.SUBMITTED
    act(as_press, draft, "reject", reason="Figures in para 2 do not match the annexure")
    assert state_of(draft) == S.REJECTED
    assert draft.state_note == "Figures in para 2 do not match the annexure"
    page = as_media.get(f"/newsroom/drafts/{draft.pk}/").content.decode()
    assert "Figures in para 2 do not match the annexure" in page
    act(as_media, draft, "redraft")
    assert state_of(draft) == S.DRAFT


def test_approved_to_scheduled_to_published(as_press, make_draft):
    draft = make_draft(S.APPROVED)
    act(as_press, draft, "schedule", when=local_input(in_minutes(-5)))
    assert state_of(draft) == S.APPROVED  # a time in the past is refused
    act(as_press, draft, "schedule", when=local_input(in_minutes(60)))
    assert state_of(draft) == S.SCHEDULED and draft.scheduled_for is not None
    act(as_press, draft, "publish")
    assert state_of(draft) == S.PUBLISHED
    assert draft.release.status == "published" and not draft.published_late


def test_scheduled_back_to_approved(as_press, make_draft):
    draft = make_draft(S.SCHEDULED, scheduled_for=in_minutes(30))
    act(as_press, draft, "unschedule")
    assert state_of(draft) == S.APPROVED and draft.scheduled_for is None


def test_approved_to_published_writes_the_public_record(as_press, make_draft):
    draft = make_draft(S.APPROVED, body_html="<p>Para one.</p><table><tr><td>A</td></tr></table>")
    act(as_press, draft, "publish")
    draft.refresh_from_db()
    release = Release.objects.get(pk=draft.release_id)
    version = release.versions.get()
    assert version.is_original and version.title == draft.title
    assert version.body_text == "Para one.\nA" and version.subtitles == "A highlight"
    page = Client(HTTP_USER_AGENT=BROWSER).get(f"/release/{release.release_id}/").content.decode()
    assert "Raksha Mantri visits Kazakhstan" in page and "SRR/DK" in page
    assert last_audit(draft).release_id == release.release_id


def test_publishing_twice_is_refused(as_press, make_draft):
    draft = make_draft(S.APPROVED)
    act(as_press, draft, "publish")
    act(as_press, draft, "publish")
    assert Release.objects.count() == 1


def test_force_publish_a_draft_needs_press_officer_and_reason(as_media, as_press, make_draft):
    draft = make_draft(S.DRAFT)
    act(as_media, draft, "force_publish", reason="urgent")
    assert state_of(draft) == S.DRAFT
    act(as_press, draft, "force_publish", reason="")
    assert state_of(draft) == S.DRAFT
    act(as_press, draft, "force_publish", reason="Cabinet decision must go out now")
    assert state_of(draft) == S.PUBLISHED and draft.release_id
    assert last_audit(draft).note == "Cabinet decision must go out now"
    assert last_audit(draft).from_state == "draft"


def published(as_press, make_draft):
    draft = make_draft(S.APPROVED)
    act(as_press, draft, "publish")
    draft.refresh_from_db()
    return draft


def correction_data(**extra):
    data = {"title": "Raksha Mantri visits Kazakhstan and Uzbekistan", "subtitles": "A highlight",
            "body_html": "<p>First paragraph, corrected.</p>", "sign_off": "SRR/DK",
            "note": "Uzbekistan added to the itinerary"}
    data.update(extra)
    return data


def test_published_to_corrected_keeps_revision_and_shows_note(as_press, make_draft):
    draft = published(as_press, make_draft)
    r = post_correction(as_press, draft, correction_data(note=""))
    assert r.status_code == 400 and state_of(draft) == S.PUBLISHED
    r = post_correction(as_press, draft, correction_data())
    assert r.status_code == 302 and state_of(draft) == S.CORRECTED
    version = LanguageVersion.objects.get(release_id=draft.release_id)
    assert version.revision == 2 and "corrected" in version.body_html
    rev = Revision.objects.get(version=version)
    assert rev.reason == "correction" and rev.note == "Uzbekistan added to the itinerary"
    assert rev.content["title"] == "Raksha Mantri visits Kazakhstan"
    page = Client(HTTP_USER_AGENT=BROWSER).get(f"/release/{draft.release_id}/").content.decode()
    assert "Updated on <time" in page and "Uzbekistan added to the itinerary" in page
    assert "Change history" in page


def test_corrected_to_withdrawn_stays_readable_with_reason(as_press, make_draft):
    draft = published(as_press, make_draft)
    post_correction(as_press, draft, correction_data())
    act(as_press, draft, "withdraw", reason="Issued in error; see release of 5 Oct")
    assert state_of(draft) == S.WITHDRAWN
    assert Release.objects.get(pk=draft.release_id).status == "withdrawn"
    r = Client(HTTP_USER_AGENT=BROWSER).get(f"/release/{draft.release_id}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "This release has been withdrawn" in page and "Issued in error" in page


def test_published_to_removed_gives_410(as_press, make_draft):
    draft = published(as_press, make_draft)
    act(as_press, draft, "remove", reason="Removed on the order of the High Court")
    assert state_of(draft) == S.REMOVED
    r = Client(HTTP_USER_AGENT=BROWSER).get(f"/release/{draft.release_id}/")
    assert r.status_code == 410 and "Removed on the order of the High Court" in r.content.decode()


def test_withdrawn_to_removed(as_press, make_draft):
    draft = published(as_press, make_draft)
    act(as_press, draft, "withdraw", reason="Superseded")
    act(as_press, draft, "remove", reason="Court order")
    assert state_of(draft) == S.REMOVED


@pytest.mark.parametrize("state,action", [
    (S.DRAFT, "approve"), (S.DRAFT, "publish"), (S.DRAFT, "schedule"), (S.SUBMITTED, "publish"),
    (S.REJECTED, "approve"), (S.APPROVED, "submit"), (S.SCHEDULED, "approve"),
    (S.PUBLISHED, "publish"), (S.PUBLISHED, "submit"), (S.REMOVED, "withdraw"),
    (S.WITHDRAWN, "withdraw"),
])
def test_transitions_not_in_the_table_are_refused(as_press, make_draft, state, action):
    draft = make_draft(state, scheduled_for=in_minutes(10) if state == S.SCHEDULED else None)
    before = AuditEntry.objects.count()
    r = act(as_press, draft, action, reason="x", when=local_input(in_minutes(60)))
    assert r.status_code == 302
    assert state_of(draft) == state and AuditEntry.objects.count() == before


def test_status_changes_are_signalled_for_search(as_press, make_draft):
    seen = []

    def receiver(sender, version_ids, **kwargs):
        seen.append(list(version_ids))

    store.versions_changed.connect(receiver)
    try:
        draft = published(as_press, make_draft)
        act(as_press, draft, "withdraw", reason="Superseded")
    finally:
        store.versions_changed.disconnect(receiver)
    version_id = LanguageVersion.objects.get(release_id=draft.release_id).pk
    assert seen == [[version_id], [version_id]]


def test_withdrawal_and_removal_need_confirmation_and_stand_apart(as_press, make_draft):
    draft = published(as_press, make_draft)
    page = as_press.get(f"/newsroom/drafts/{draft.pk}/").content.decode()
    assert page.count('class="danger-zone"') == 2 and 'name="confirm"' in page
    as_press.post(f"/newsroom/drafts/{draft.pk}/withdraw/", {"reason": "Superseded"})
    assert state_of(draft) == S.PUBLISHED  # not confirmed
    act(as_press, draft, "withdraw", reason="Superseded")
    assert state_of(draft) == S.WITHDRAWN


def test_unknown_action_is_404(as_press, make_draft):
    draft = make_draft()
    assert act(as_press, draft, "delete_everything").status_code == 404
    assert as_press.get(f"/newsroom/drafts/{draft.pk}/submit/").status_code == 405
