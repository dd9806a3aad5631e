"""The state machine in one table: every action — making a draft, editing, translating,
adopting an imported release, sharing a preview — is a row of TRANSITIONS, runs with its row
locked, and writes one audit entry worded for people."""

import re

import pytest
from django.db.models import QuerySet

from pressroom.releases import store
from pressroom.releases.models import Release

from .. import workflow
from ..models import AuditEntry, Draft, Journalist
from .conftest import in_minutes

S = Draft.State


@pytest.fixture
def locks(monkeypatch):
    """The models whose rows were locked (select_for_update), in order."""
    seen = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        seen.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    return seen


def _published(make_draft, press):
    draft = make_draft(S.APPROVED)
    return workflow.transition(press, draft.pk, "publish")


def _hindi():
    return store.content_fields(title="रक्षा मंत्री", body_html="<p>पाठ</p>")


def _journalist():
    return Journalist.objects.create(name="A. Reporter", email="a@example.in")


# action: (state to start from, or "published", who acts, params)
CASES = {
    "edit": (S.DRAFT, "media", lambda d: {"fields": {"ministry": d.ministry, "title": "New"},
                                           "lock_version": d.lock_version}),
    "submit": (S.DRAFT, "media", lambda d: {}),
    "approve": (S.SUBMITTED, "press", lambda d: {}),
    "reject": (S.SUBMITTED, "press", lambda d: {"reason": "Check the figures"}),
    "redraft": (S.REJECTED, "media", lambda d: {}),
    "schedule": (S.APPROVED, "press", lambda d: {"when": in_minutes(60)}),
    "unschedule": (S.SCHEDULED, "press", lambda d: {}),
    "publish": (S.APPROVED, "press", lambda d: {}),
    "force_publish": (S.SUBMITTED, "press", lambda d: {"reason": "Cabinet decision"}),
    "correct": ("published", "press", lambda d: {
        "reason": "Date fixed", "correction": {"title": "Fixed", "subtitles": "",
                                                "body_html": "<p>x</p>", "sign_off": ""}}),
    "translate": ("published", "press", lambda d: {"language": "hi", "fields": _hindi()}),
    "share_preview": (S.APPROVED, "press", lambda d: {"journalist": _journalist(),
                                                      "expires_at": in_minutes(600)}),
    "withdraw": ("published", "press", lambda d: {"reason": "Superseded"}),
    "remove": ("published", "press", lambda d: {"reason": "Court order"}),
}
INTERNAL_CODE = re.compile(r"\b(?:redraft|force_publish|share_preview|revoke_preview|"
                           r"add_translation|submitted|approved)\b|→")


def test_every_action_is_in_the_table_with_words_for_people():
    assert set(CASES) | {"create", "adopt", "revoke_preview", "propose_correction",
                         "approve_correction", "discard_correction"} == set(workflow.TRANSITIONS)
    for name, t in workflow.TRANSITIONS.items():
        assert t.audit, name
        if t.button:
            assert t.label and t.done, name
        assert not str(t.done).startswith("Done"), name


def test_the_public_status_comes_from_the_table():
    assert workflow.STATE_OF_STATUS == {Release.Status.PUBLISHED: S.PUBLISHED,
                                        Release.Status.WITHDRAWN: S.WITHDRAWN,
                                        Release.Status.REMOVED: S.REMOVED}
    for status in Release.Status.values:
        assert status in S.values  # the draft's public states are the release's statuses


@pytest.mark.parametrize("action", sorted(CASES))
def test_each_transition_locks_the_draft_and_writes_its_audit_entry(
        action, make_draft, press, media_defence, languages, locks):
    start, who, params = CASES[action]
    user = press if who == "press" else media_defence
    if start == "published":
        draft = _published(make_draft, press)
    else:
        draft = make_draft(start, scheduled_for=in_minutes(30) if start == S.SCHEDULED else None)
    draft.refresh_from_db()
    t = workflow.TRANSITIONS[action]
    before, from_state = AuditEntry.objects.count(), draft.state
    locks.clear()
    workflow.transition(user, draft.pk, action, **params(draft))
    assert locks and locks[0] is Draft  # the draft row, first
    draft.refresh_from_db()
    assert draft.state == (t.target or from_state)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.from_state, entry.to_state, entry.actor_name) == (
        action, from_state, draft.state, user.get_username())
    text = workflow.describe(entry)
    assert text and not INTERNAL_CODE.search(text), text


@pytest.mark.parametrize("action", sorted(CASES))
def test_each_transition_is_refused_from_a_state_outside_its_sources(
        action, make_draft, press, media_defence, languages):
    t = workflow.TRANSITIONS[action]
    outside = next(s for s in (S.REMOVED, S.DRAFT, S.SCHEDULED) if s not in t.sources)
    draft = make_draft(outside, scheduled_for=in_minutes(30) if outside == S.SCHEDULED else None)
    before = AuditEntry.objects.count()
    with pytest.raises(workflow.TransitionError):
        workflow.transition(press, draft.pk, action, **CASES[action][2](draft))
    assert AuditEntry.objects.count() == before


def test_revoke_preview_is_a_transition_too(make_draft, press, languages, locks):
    draft = make_draft(S.APPROVED)
    grant = workflow.share_preview(press, draft, journalist=_journalist(),
                                   expires_at=in_minutes(600))
    locks.clear()
    workflow.revoke_preview(press, draft, grant.pk)
    grant.refresh_from_db()
    assert grant.revoked and locks[0] is Draft
    entry = AuditEntry.objects.order_by("-id").first()
    assert workflow.describe(entry) == "Revoked the preview link of A. Reporter"


def test_media_officers_edit_only_before_review(make_draft, media_defence, languages):
    draft = make_draft(S.SUBMITTED)
    with pytest.raises(workflow.TransitionError):
        workflow.save_draft(media_defence, draft.pk, fields={"ministry": draft.ministry,
                                                             "title": "x"}, lock_version=1)


def test_adopt_locks_the_release_and_is_recorded_once(import_paths, press, locks):
    from conftest import SEED

    import_paths(SEED)
    release = Release.objects.get(pk=1548606)
    locks.clear()
    draft = workflow.adopt(press, release)
    assert Release in locks
    assert draft.state == S.PUBLISHED and draft.created_by is None
    assert workflow.adopt(press, release) == draft
    assert not AuditEntry.objects.exists()  # opened to look: nothing done yet
    locks.clear()
    workflow.transition(press, draft.pk, "withdraw", reason="Superseded")
    assert locks[0] is Draft
    adopted, withdrawn = AuditEntry.objects.order_by("id")
    assert adopted.action == "adopt" and workflow.describe(adopted) == (
        "Took the published release into the newsroom")
    assert workflow.describe(withdrawn) == "Withdrew the release: Superseded"


def test_translations_are_closed_on_a_withdrawn_release(make_draft, press, languages):
    draft = _published(make_draft, press)
    workflow.transition(press, draft.pk, "withdraw", reason="Superseded")
    with pytest.raises(workflow.TransitionError):
        workflow.translate(press, draft, language="hi", fields=_hindi())
    assert not draft.release.versions.filter(language="hi").exists()


def test_a_send_back_reason_goes_once_it_was_dealt_with(make_draft, press, media_defence,
                                                         languages):
    draft = make_draft(S.SUBMITTED)
    workflow.transition(press, draft.pk, "reject", reason="Check the figures")
    draft.refresh_from_db()
    assert draft.state_note == "Check the figures"
    workflow.transition(media_defence, draft.pk, "redraft")
    draft.refresh_from_db()
    assert draft.state == S.DRAFT and draft.state_note == ""
