"""States and transitions of a draft, and the only code that changes them.

Each action names the states it may start from, the state it leads to and who may take it.
Every action runs in one transaction with the draft row locked, writes the public record
through ``releases.store`` when it touches it, and appends an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from pressroom.releases import store
from pressroom.releases.models import LanguageVersion, Release

from .models import AuditEntry, Draft
from .permissions import is_press, may_work_on, officer_of

S = Draft.State
MEDIA, PRESS = "media", "press"  # media: any officer of the ministry; press: press officers

# A scheduled release published more than this after its time counts as late.
LATE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    who: str
    needs_reason: bool = False
    label: str = ""


TRANSITIONS = {
    "submit": Transition(frozenset({S.DRAFT}), S.SUBMITTED, MEDIA, label="Submit for review"),
    "approve": Transition(frozenset({S.SUBMITTED}), S.APPROVED, PRESS, label="Approve"),
    "reject": Transition(frozenset({S.SUBMITTED}), S.REJECTED, PRESS, True, "Send back"),
    "redraft": Transition(frozenset({S.REJECTED}), S.DRAFT, MEDIA, label="Return to draft"),
    "schedule": Transition(frozenset({S.APPROVED}), S.SCHEDULED, PRESS, label="Schedule"),
    "unschedule": Transition(frozenset({S.SCHEDULED}), S.APPROVED, PRESS, label="Unschedule"),
    "publish": Transition(frozenset({S.APPROVED, S.SCHEDULED}), S.PUBLISHED, PRESS,
                          label="Publish now"),
    "force_publish": Transition(frozenset({S.DRAFT, S.SUBMITTED}), S.PUBLISHED, PRESS, True,
                                "Force publish"),
    "correct": Transition(frozenset({S.PUBLISHED, S.CORRECTED}), S.CORRECTED, PRESS, True,
                          "Correct"),
    "withdraw": Transition(frozenset({S.PUBLISHED, S.CORRECTED}), S.WITHDRAWN, PRESS, True,
                           "Withdraw"),
    "remove": Transition(frozenset({S.PUBLISHED, S.CORRECTED, S.WITHDRAWN}), S.REMOVED, PRESS,
                         True, "Remove (legal)"),
}
# Content may change in these states (press officers also while under review).
EDITABLE = {MEDIA: {S.DRAFT, S.REJECTED}, PRESS: {S.DRAFT, S.REJECTED, S.SUBMITTED, S.APPROVED}}


class TransitionError(Exception):
    """The action is not allowed now, for this person, or lacks what it needs."""


class EditConflict(Exception):
    """Someone else saved the draft since this editor opened it."""

    def __init__(self, current: Draft):
        super().__init__("the draft changed since you opened it")
        self.current = current


def allowed(user, draft: Draft, action: str) -> bool:
    t = TRANSITIONS.get(action)
    if t is None or draft.state not in t.sources or officer_of(user) is None:
        return False
    if t.who == PRESS and not is_press(user):
        return False
    return may_work_on(user, draft.ministry_id)


def actions_for(user, draft: Draft) -> list[tuple[str, Transition]]:
    return [(name, t) for name, t in TRANSITIONS.items() if allowed(user, draft, name)]


def can_edit(user, draft: Draft) -> bool:
    officer = officer_of(user)
    if officer is None or not may_work_on(user, draft.ministry_id):
        return False
    return draft.state in EDITABLE[PRESS if officer.is_press else MEDIA]


def record(user, action, draft=None, *, from_state="", to_state="", note="", release_id=None):
    return AuditEntry.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        actor_name=user.get_username() if user is not None and user.is_authenticated
        else "scheduler",
        action=action, draft=draft, from_state=from_state, to_state=to_state, note=note,
        release_id=release_id if release_id is not None else (draft.release_id if draft else None))


def create_draft(user, *, fields: dict) -> Draft:
    if not may_work_on(user, fields["ministry"].pk):
        raise TransitionError("You do not work for that ministry.")
    with transaction.atomic():
        draft = Draft.objects.create(created_by=user, updated_by=user, **fields)
        record(user, "create", draft, to_state=draft.state)
    return draft


def save_draft(user, draft_id: int, *, fields: dict, lock_version: int) -> Draft:
    """Save an edit only if nobody saved since ``lock_version``; else raise EditConflict."""
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft_id)
        if not can_edit(user, draft):
            raise TransitionError(f"A {draft.state} draft cannot be edited by you.")
        if not may_work_on(user, fields["ministry"].pk):
            raise TransitionError("You do not work for that ministry.")
        if draft.lock_version != lock_version:
            raise EditConflict(draft)
        for name, value in fields.items():
            setattr(draft, name, value)
        draft.lock_version += 1
        draft.updated_at, draft.updated_by = timezone.now(), user
        draft.save()
        record(user, "edit", draft, from_state=draft.state, to_state=draft.state)
    return draft


def transition(user, draft_id: int, action: str, *, reason: str = "", when=None,
               correction: dict | None = None) -> Draft:
    """Take ``action`` on a draft as ``user`` (None: the scheduler). Raises TransitionError."""
    t = TRANSITIONS.get(action)
    if t is None:
        raise TransitionError(f"Unknown action {action!r}.")
    reason = reason.strip()
    with transaction.atomic():
        draft = Draft.objects.select_for_update(of=("self",)).select_related("ministry", "bureau").get(
            pk=draft_id)
        if user is not None and not allowed(user, draft, action):
            if draft.state not in t.sources:
                raise TransitionError(f"A {draft.state} release cannot be “{t.label}”.")
            raise TransitionError("You may not do that.")
        if user is None and action != "publish":
            raise TransitionError("The scheduler only publishes.")
        if draft.state not in t.sources:  # the scheduler racing a person
            raise TransitionError(f"Already {draft.state}.")
        if t.needs_reason and not reason:
            raise TransitionError("Give a reason: it is recorded"
                                  + (" and shown publicly." if action in ("correct", "withdraw",
                                                                          "remove") else "."))
        source = draft.state
        try:
            _EFFECTS.get(action, _no_effect)(draft, reason=reason, when=when, correction=correction)
        except store.RecordError as e:
            raise TransitionError(f"{str(e)[:1].upper()}{str(e)[1:]}.") from e
        draft.state = t.target
        if t.needs_reason:
            draft.state_note = reason
        draft.updated_at = timezone.now()
        if user is not None:
            draft.updated_by = user
        draft.save()
        record(user, action, draft, from_state=source, to_state=draft.state, note=reason)
    return draft


def _no_effect(draft, **_):
    pass


def _schedule(draft, *, when, **_):
    if when is None:
        raise TransitionError("Give the date and time to publish at.")
    if when <= timezone.now():
        raise TransitionError("Choose a time in the future, or publish now.")
    draft.scheduled_for = when


def _unschedule(draft, **_):
    draft.scheduled_for = None


def _publish(draft, **_):
    now = timezone.now()
    fields = store.content_fields(title=draft.title, subtitles=draft.subtitles,
                                  body_html=draft.body_html, sign_off=draft.sign_off)
    draft.release = store.publish_release(ministry=draft.ministry, bureau=draft.bureau,
                                          language=draft.language_id, posted_at=now, fields=fields)
    from .media import publish_draft_media  # the draft's photos and documents go with it

    publish_draft_media(draft, draft.release.versions.get(is_original=True))
    draft.published_at = now
    draft.published_late = bool(draft.scheduled_for and now - draft.scheduled_for > LATE_AFTER)


def _correct(draft, *, reason, correction, **_):
    if not correction:
        raise TransitionError("A correction needs the corrected text.")
    for name in ("title", "subtitles", "body_html", "sign_off"):
        setattr(draft, name, correction[name])
    draft.lock_version += 1
    version = LanguageVersion.objects.get(release_id=draft.release_id, is_original=True)
    fields = store.content_fields(title=draft.title, subtitles=draft.subtitles,
                                  body_html=draft.body_html, sign_off=draft.sign_off,
                                  separator=version.separator, pib_id=version.pib_id)
    store.correct_version(version, fields=fields, note=reason)


def _withdraw(draft, *, reason, **_):
    store.set_status(draft.release, Release.Status.WITHDRAWN, reason)


def _remove(draft, *, reason, **_):
    store.set_status(draft.release, Release.Status.REMOVED, reason)


_EFFECTS = {"schedule": _schedule, "unschedule": _unschedule, "publish": _publish,
            "force_publish": _publish, "correct": _correct, "withdraw": _withdraw,
            "remove": _remove}


STATE_OF_STATUS = {Release.Status.PUBLISHED: S.PUBLISHED, Release.Status.WITHDRAWN: S.WITHDRAWN,
                   Release.Status.REMOVED: S.REMOVED}


def adopt(user, release: Release) -> Draft:
    """The newsroom's draft for a release published elsewhere (imported from the archive), so
    that press officers can correct, translate, withdraw or remove it like any other."""
    if not is_press(user) or not may_work_on(user, release.ministry_id):
        raise TransitionError("Only press officers for its ministry manage a release.")
    existing = Draft.objects.filter(release=release).first()
    if existing:
        return existing
    original = (LanguageVersion.objects.filter(release=release, is_original=True).first()
                or LanguageVersion.objects.filter(release=release).first())
    if original is None:
        raise TransitionError("That release has no text to work on.")
    try:
        with transaction.atomic():
            draft = Draft.objects.create(
                ministry_id=release.ministry_id, bureau_id=release.bureau_id,
                language_id=original.language_id, title=original.title,
                subtitles=original.subtitles, body_html=original.body_html,
                sign_off=original.sign_off, state=STATE_OF_STATUS[release.status],
                state_note=release.status_note, release=release, published_at=release.posted_at,
                updated_by=user)
            record(user, "adopt", draft, to_state=draft.state,
                   note="published release taken into the newsroom")
    except IntegrityError:  # another officer adopted it at the same moment
        return Draft.objects.get(release=release)
    return draft


@dataclass
class DueRun:
    published: list
    failed: list  # (draft id, reason): left scheduled, so the dashboard shows them overdue


def publish_due(now=None) -> DueRun:
    """Publish every scheduled draft whose time has come, overdue ones included."""
    now = now or timezone.now()
    run = DueRun([], [])
    due = Draft.objects.filter(state=S.SCHEDULED, scheduled_for__lte=now).order_by("scheduled_for")
    for draft_id in list(due.values_list("pk", flat=True)):
        try:
            run.published.append(transition(None, draft_id, "publish"))
        except TransitionError as e:
            # Another worker or an officer got there first, or it cannot be published.
            if Draft.objects.filter(pk=draft_id, state=S.SCHEDULED).exists():
                run.failed.append((draft_id, str(e)))
    return run


def translate(user, draft: Draft, *, language: str, fields: dict, note: str = ""):
    """Add or update a language version of a published release (press officers)."""
    if not is_press(user) or not may_work_on(user, draft.ministry_id):
        raise TransitionError("Only press officers add translations.")
    if draft.release_id is None or draft.state == S.REMOVED:
        raise TransitionError("Translate a release once it is published.")
    try:
        with transaction.atomic():
            existed = LanguageVersion.objects.filter(release_id=draft.release_id,
                                                     language_id=language).exists()
            version = store.put_translation(draft.release, language=language, fields=fields,
                                            note=note)
            record(user, "update_translation" if existed else "add_translation", draft,
                   from_state=draft.state, to_state=draft.state,
                   note=f"{language}: translates revision {version.translates_revision}")
    except store.RecordError as e:
        raise TransitionError(str(e)) from e
    return version
