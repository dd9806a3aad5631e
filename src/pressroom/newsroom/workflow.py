"""States and transitions of a draft, and the only code that changes them.

Every action an officer (or the scheduler) takes is a row of ``TRANSITIONS``: the states it
may start from, the state it leads to (``None``: it stays), who may take it, whether it needs
a reason, and the words people see (the button, the message afterwards, the audit entry).
``transition()`` runs each one the same way: in one transaction with the draft row locked,
the permission and state checked under that lock, the public record written through
``releases.store``, and one audit entry appended. Creating a draft and adopting an imported
release start from no draft (state ``NEW``); adopting locks the release row instead.

The public side of a draft's state is the release's status: the transitions that change it
say which ``Release.Status`` they set (``status``), and ``STATE_OF_STATUS`` is derived from
them, so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pressroom.releases import store
from pressroom.releases.html import html_to_text, sanitise_html
from pressroom.releases.models import LanguageVersion, Release

from .models import AuditEntry, Draft, TranslationTask
from .permissions import (
    may_draft_translation,
    may_review_translation,
    may_work_on,
    officer_of,
)

S = Draft.State
NEW = ""  # the source state of an action that makes the draft (create, adopt)
MEDIA, PRESS = "media", "press"  # media: any officer of the ministry; press: press officers
ALL_STATES = frozenset(S.values)
AFTER_PUBLICATION = frozenset({S.PUBLISHED, S.CORRECTED})

# A scheduled release published more than this after its time counts as late.
LATE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str | None  # None: the draft stays in its state
    who: str
    needs_reason: bool = False
    label: str = ""  # the button
    done: str = ""  # the message once done
    audit: str = ""  # the history line; {reason}, {note} filled in
    button: bool = True  # offered in "What you can do" (others have their own forms)
    status: str | None = None  # the Release.Status the effect sets
    media_sources: frozenset | None = None  # narrower sources for media officers
    reason_public: bool = False  # the reason is shown on the public page
    grave: bool = False  # cannot be undone: asked for twice, shown apart from everyday actions


TRANSITIONS = {
    "create": Transition(frozenset({NEW}), S.DRAFT, MEDIA, button=False,
                         done=_("Draft saved."), audit=_("Started the draft")),
    "adopt": Transition(frozenset({NEW}), None, PRESS, button=False,
                        audit=_("Took the published release into the newsroom")),
    "edit": Transition(frozenset({S.DRAFT, S.REJECTED, S.SUBMITTED, S.APPROVED}), None, MEDIA,
                       button=False, media_sources=frozenset({S.DRAFT, S.REJECTED}),
                       done=_("Draft saved."), audit=_("Edited the text")),
    "submit": Transition(frozenset({S.DRAFT}), S.SUBMITTED, MEDIA, label=_("Submit for review"),
                         done=_("Submitted for review. A press officer will look at it."),
                         audit=_("Submitted for review")),
    "approve": Transition(frozenset({S.SUBMITTED}), S.APPROVED, PRESS, label=_("Approve"),
                          done=_("Approved. You can now schedule or publish it."),
                          audit=_("Approved")),
    "reject": Transition(frozenset({S.SUBMITTED}), S.REJECTED, PRESS, True, _("Send back"),
                         done=_("Sent back to the media officer with your reason."),
                         audit=_("Sent back to the media officer: {reason}")),
    "redraft": Transition(frozenset({S.REJECTED}), S.DRAFT, MEDIA, label=_("Return to draft"),
                          done=_("Back in draft: make the changes asked for, then submit again."),
                          audit=_("Took the draft back to work on it")),
    "schedule": Transition(frozenset({S.APPROVED}), S.SCHEDULED, PRESS, label=_("Schedule"),
                           done=_("Scheduled. It publishes on its own at its time."),
                           audit=_("Scheduled for {note}")),
    "unschedule": Transition(frozenset({S.SCHEDULED}), S.APPROVED, PRESS, label=_("Unschedule"),
                             done=_("No longer scheduled; it is approved and waiting."),
                             audit=_("Took it off the schedule")),
    "publish": Transition(frozenset({S.APPROVED, S.SCHEDULED}), S.PUBLISHED, PRESS,
                          label=_("Publish now"), done=_("Published."), audit=_("Published"),
                          status=Release.Status.PUBLISHED),
    "force_publish": Transition(frozenset({S.DRAFT, S.SUBMITTED}), S.PUBLISHED, PRESS, True,
                                _("Force publish"), done=_("Published without review."),
                                audit=_("Published without review: {reason}"),
                                status=Release.Status.PUBLISHED),
    "correct": Transition(AFTER_PUBLICATION, S.CORRECTED, PRESS, True, _("Correct…"),
                          done=_("Correction published."),
                          audit=_("Published a correction: {reason}"), reason_public=True),
    "propose_correction": Transition(
        AFTER_PUBLICATION, None, PRESS, True, _("Ask for a second approval"), button=False,
        done=_("Major correction proposed: another press officer must approve it."),
        audit=_("Proposed a major correction: {reason}")),
    "approve_correction": Transition(
        AFTER_PUBLICATION, S.CORRECTED, PRESS, label=_("Approve and publish the correction"),
        button=False, done=_("Major correction approved and published."),
        audit=_("Approved and published the major correction: {note}")),
    "discard_correction": Transition(
        AFTER_PUBLICATION, None, PRESS, True, _("Discard the proposed correction"), button=False,
        done=_("Proposed correction discarded."),
        audit=_("Discarded the proposed correction: {reason}")),
    "translate": Transition(AFTER_PUBLICATION, None, PRESS, button=False,
                            done=_("Translation saved."), audit=_("Translation: {note}")),
    "share_preview": Transition(frozenset({S.APPROVED, S.SCHEDULED}), None, PRESS, button=False,
                                done=_("Preview link made."),
                                audit=_("Shared an embargoed preview with {note}")),
    "revoke_preview": Transition(ALL_STATES, None, PRESS, button=False,
                                 done=_("Preview link revoked."),
                                 audit=_("Revoked the preview link of {note}")),
    "withdraw": Transition(AFTER_PUBLICATION, S.WITHDRAWN, PRESS, True, _("Withdraw"),
                           done=_("Withdrawn. The page stays readable with your reason."),
                           audit=_("Withdrew the release: {reason}"),
                           status=Release.Status.WITHDRAWN, reason_public=True, grave=True),
    "remove": Transition(AFTER_PUBLICATION | {S.WITHDRAWN}, S.REMOVED, PRESS, True,
                         _("Remove (legal)"),
                         done=_("Removed. The page now answers “gone” with your reason."),
                         audit=_("Removed the release: {reason}"),
                         status=Release.Status.REMOVED, reason_public=True, grave=True),
}
# Only preview links of these states open as embargoed previews.
PREVIEWABLE = TRANSITIONS["share_preview"].sources
# The draft state that stands for each public status (imported releases are adopted so).
STATE_OF_STATUS = {t.status: t.target for t in TRANSITIONS.values() if t.status}


class TransitionError(Exception):
    """The action is not allowed now, for this person, or lacks what it needs."""


class EditConflict(Exception):
    """Someone else saved the draft since this editor opened it."""

    def __init__(self, current: Draft):
        super().__init__("the draft changed since you opened it")
        self.current = current


def sources_for(user, t: Transition) -> frozenset:
    officer = officer_of(user)
    if t.media_sources is not None and officer is not None and not officer.is_press:
        return t.media_sources
    return t.sources


def _may(user, t: Transition, ministry_id) -> bool:
    officer = officer_of(user)
    if officer is None or officer.is_translator:  # translators act on translations only
        return False
    if t.who == PRESS and not officer.is_press:
        return False
    return may_work_on(user, ministry_id)


def allowed(user, draft: Draft, action: str) -> bool:
    t = TRANSITIONS.get(action)
    if t is None or draft.state not in sources_for(user, t):
        return False
    if action == "translate" and draft.release_id is None:
        return False
    return _may(user, t, draft.ministry_id)


def actions_for(user, draft: Draft) -> list[tuple[str, Transition]]:
    return [(name, t) for name, t in TRANSITIONS.items()
            if t.button and allowed(user, draft, name)]


def can_edit(user, draft: Draft) -> bool:
    return allowed(user, draft, "edit")


def record(user, action, draft=None, *, from_state="", to_state="", note="", release_id=None):
    return AuditEntry.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        actor_name=user.get_username() if user is not None and user.is_authenticated
        else "scheduler",
        action=action, draft=draft, from_state=from_state, to_state=to_state, note=note,
        release_id=release_id if release_id is not None else (draft.release_id if draft else None))


def describe(entry: AuditEntry) -> str:
    """An audit entry in words for people, in the reader's language."""
    t = TRANSITIONS.get(entry.action) or TASK_TRANSITIONS.get(entry.action)
    if t is None or not t.audit:
        return entry.note or entry.action
    return str(t.audit).format(reason=entry.note, note=entry.note)


def _refusal(user, draft: Draft, action: str, t: Transition) -> str:
    if draft.state not in sources_for(user, t):
        return _("A release that is “%(state)s” cannot be “%(action)s”.") % {
            "state": draft.get_state_display(), "action": t.label or t.audit}
    return _("You may not do that.")


def transition(user, draft_id: int, action: str, *, reason: str = "", **params):
    """Take ``action`` on a draft as ``user`` (None: the scheduler). Raises TransitionError.

    Returns the draft, or for ``translate`` and ``share_preview`` what the action made.
    """
    t = TRANSITIONS.get(action)
    if t is None or NEW in t.sources:
        raise TransitionError(_("Unknown action."))
    reason = reason.strip()
    with transaction.atomic():
        draft = (Draft.objects.select_for_update(of=("self",))
                 .select_related("ministry", "bureau", "release").get(pk=draft_id))
        if user is None:
            if action != "publish":
                raise TransitionError(_("The scheduler only publishes."))
            if draft.state not in t.sources:  # the scheduler racing a person
                raise TransitionError(_("Already %(state)s.") % {"state": draft.state})
        elif not allowed(user, draft, action):
            raise TransitionError(_refusal(user, draft, action, t))
        if t.needs_reason and not reason:
            raise TransitionError(_("Give a reason: it is recorded and shown publicly.")
                                  if t.reason_public else _("Give a reason: it is recorded."))
        source = draft.state
        if draft.release_id and draft.created_by_id is None and not draft.audit.exists():
            # An imported release opened by its ID: taken into the newsroom now that an
            # officer acts on it (opening it to look writes nothing).
            record(user, "adopt", draft, to_state=source)
        try:
            result, note = _EFFECTS.get(action, _no_effect)(draft, user=user, reason=reason,
                                                            **params)
        except store.RecordError as e:
            raise TransitionError(f"{str(e)[:1].upper()}{str(e)[1:]}.") from e
        if t.target is not None and t.target != source:
            draft.state = t.target
            # A reason belongs to the state it led to; once dealt with, it goes.
            draft.state_note = reason if t.needs_reason else ""
        elif t.needs_reason:
            draft.state_note = reason
        draft.updated_at = timezone.now()
        if user is not None:
            draft.updated_by = user
        draft.save()
        record(user, action, draft, from_state=source, to_state=draft.state,
               note=reason or note)
    return result if result is not None else draft


def _no_effect(draft, **_kw):
    return None, ""


def _edit(draft, *, user, fields, lock_version, **_kw):
    if not may_work_on(user, fields["ministry"].pk):
        raise TransitionError(_("You do not work for that ministry."))
    if draft.lock_version != lock_version:
        raise EditConflict(draft)
    fields = dict(fields)
    languages = fields.pop("translation_languages", None)
    for name, value in fields.items():
        setattr(draft, name, value)
    if languages is not None:
        draft.translation_languages.set(languages)
    draft.lock_version += 1
    return None, ""


def _schedule(draft, *, when=None, **_kw):
    if when is None:
        raise TransitionError(_("Give the date and time to publish at."))
    if when <= timezone.now():
        raise TransitionError(_("Choose a time in the future, or publish now."))
    draft.scheduled_for = when
    ensure_tasks(draft)
    return None, timezone.localtime(when).strftime("%d-%m-%Y %H:%M IST")


def _unschedule(draft, **_kw):
    draft.scheduled_for = None
    return None, ""


def _publish(draft, **_kw):
    now = timezone.now()
    fields = store.content_fields(title=draft.title, subtitles=draft.subtitles,
                                  body_html=draft.body_html, sign_off=draft.sign_off)
    draft.release = store.publish_release(ministry=draft.ministry, bureau=draft.bureau,
                                          language=draft.language_id, posted_at=now, fields=fields)
    from .media import publish_draft_media  # the draft's photos and documents go with it

    publish_draft_media(draft, draft.release.versions.get(is_original=True))
    draft.published_at = now
    draft.published_late = bool(draft.scheduled_for and now - draft.scheduled_for > LATE_AFTER)
    # Approved translations go out with the original: same transaction, same minute.
    ensure_tasks(draft)
    for task in draft.tasks.select_for_update().filter(state=T.APPROVED):
        _put_task(draft, task)
    return None, ""


def _correct(draft, *, reason, correction=None, major=False, **_kw):
    if not correction:
        raise TransitionError(_("A correction needs the corrected text."))
    if draft.pending_correction:
        raise TransitionError(_("A major correction is waiting for approval: approve or "
                                "discard it first."))
    for name in ("title", "subtitles", "body_html", "sign_off"):
        setattr(draft, name, correction[name])
    draft.lock_version += 1
    version = LanguageVersion.objects.get(release_id=draft.release_id, is_original=True)
    fields = store.content_fields(title=draft.title, subtitles=draft.subtitles,
                                  body_html=draft.body_html, sign_off=draft.sign_off,
                                  separator=version.separator, pib_id=version.pib_id)
    store.correct_version(version, fields=fields, note=reason, major=major)
    return None, ""


def _propose_correction(draft, *, user, reason, correction=None, **_kw):
    if not correction:
        raise TransitionError(_("A correction needs the corrected text."))
    if draft.pending_correction:
        raise TransitionError(_("A major correction is already waiting for approval."))
    draft.pending_correction = {**{k: correction[k] for k in ("title", "subtitles", "body_html",
                                                               "sign_off")}, "note": reason}
    draft.pending_by = user
    return None, ""


def _approve_correction(draft, *, user, **_kw):
    pending = draft.pending_correction
    if not pending:
        raise TransitionError(_("No correction is waiting for approval."))
    if draft.pending_by_id == user.pk:
        raise TransitionError(_("A second press officer must approve a major correction."))
    draft.pending_correction, draft.pending_by = {}, None
    _correct(draft, reason=pending["note"], correction=pending, major=True)
    draft.state_note = pending["note"]
    return None, pending["note"]


def _discard_correction(draft, **_kw):
    if not draft.pending_correction:
        raise TransitionError(_("No correction is waiting for approval."))
    draft.pending_correction, draft.pending_by = {}, None
    return None, ""


def _translate(draft, *, language, fields, note="", **_kw):
    existed = LanguageVersion.objects.filter(release_id=draft.release_id,
                                             language_id=language).exists()
    version = store.put_translation(draft.release, language=language, fields=fields, note=note)
    name = version.language.name
    said = (_("Updated the %(language)s translation") if existed
            else _("Added the %(language)s translation")) % {"language": name}
    return version, f"{said} ({_('of revision %(n)s') % {'n': version.translates_revision}})" \
        + (f": {note}" if note else "")


def _share_preview(draft, *, user, journalist, expires_at, **_kw):
    from .models import PreviewGrant

    grant = PreviewGrant.objects.create(draft=draft, created_by=user, journalist=journalist,
                                        expires_at=expires_at)
    until = timezone.localtime(expires_at).strftime("%d-%m-%Y %H:%M IST")
    return grant, _("%(journalist)s until %(until)s") % {"journalist": journalist,
                                                           "until": until}


def _revoke_preview(draft, *, grant_id, **_kw):
    from .models import PreviewGrant

    grant = PreviewGrant.objects.select_related("journalist").filter(
        pk=grant_id, draft=draft).first()
    if grant is None:
        raise TransitionError(_("No such preview link."))
    PreviewGrant.objects.filter(pk=grant.pk).update(revoked=True)
    return grant, str(grant.journalist)


def _set_status(status):
    def effect(draft, *, reason, **_kw):
        store.set_status(draft.release, status, reason)
        return None, ""
    return effect


def _approve(draft, **_kw):
    ensure_tasks(draft)
    return None, ""


_EFFECTS = {"approve": _approve, "edit": _edit, "schedule": _schedule, "unschedule": _unschedule,
            "publish": _publish, "force_publish": _publish, "correct": _correct,
            "translate": _translate, "propose_correction": _propose_correction,
            "approve_correction": _approve_correction, "discard_correction": _discard_correction,
            "share_preview": _share_preview,
            "revoke_preview": _revoke_preview,
            "withdraw": _set_status(Release.Status.WITHDRAWN),
            "remove": _set_status(Release.Status.REMOVED)}


# --- The two actions that make a draft ----------------------------------------------------


def create_draft(user, *, fields: dict) -> Draft:
    t = TRANSITIONS["create"]
    if not _may(user, t, fields["ministry"].pk):
        raise TransitionError(_("You do not work for that ministry."))
    fields = dict(fields)
    languages = fields.pop("translation_languages", None)
    with transaction.atomic():
        draft = Draft.objects.create(created_by=user, updated_by=user, state=t.target, **fields)
        if languages:
            draft.translation_languages.set(languages)
        record(user, "create", draft, to_state=draft.state)
    return draft


def save_draft(user, draft_id: int, *, fields: dict, lock_version: int) -> Draft:
    """Save an edit only if nobody saved since ``lock_version``; else raise EditConflict."""
    return transition(user, draft_id, "edit", fields=fields, lock_version=lock_version)


def adopt(user, release: Release) -> Draft:
    """The newsroom's draft for a release published elsewhere (imported from the archive), so
    that press officers can correct, translate, withdraw or remove it like any other.

    Opening a release only to look records nothing: the "adopt" entry is written with the
    first thing an officer does to it (``transition``)."""
    t = TRANSITIONS["adopt"]
    if not _may(user, t, release.ministry_id):
        raise TransitionError(_("Only press officers for its ministry manage a release."))
    existing = Draft.objects.filter(release=release).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            # The release row is the lock: two officers adopting at once make one draft.
            release = Release.objects.select_for_update().get(pk=release.pk)
            existing = Draft.objects.filter(release=release).first()
            if existing:
                return existing
            original = (LanguageVersion.objects.filter(release=release, is_original=True).first()
                        or LanguageVersion.objects.filter(release=release).first())
            if original is None:
                raise TransitionError(_("That release has no text to work on."))
            draft = Draft.objects.create(
                ministry_id=release.ministry_id, bureau_id=release.bureau_id,
                language_id=original.language_id, title=original.title,
                subtitles=original.subtitles, body_html=original.body_html,
                sign_off=original.sign_off, state=STATE_OF_STATUS[release.status],
                state_note=release.status_note, release=release, published_at=release.posted_at,
                created_by=None, updated_by=user)
    except IntegrityError:  # another officer adopted it at the same moment (SQLite)
        return Draft.objects.get(release=release)
    return draft


def may_translate(user, draft: Draft) -> bool:
    return allowed(user, draft, "translate")


def translate(user, draft: Draft, *, language: str, fields: dict, note: str = ""):
    """Add or update a language version of a published release."""
    return transition(user, draft.pk, "translate", language=language, fields=fields,
                      note=note.strip())


def share_preview(user, draft: Draft, *, journalist, expires_at):
    return transition(user, draft.pk, "share_preview", journalist=journalist,
                      expires_at=expires_at)


def revoke_preview(user, draft: Draft, grant_id: int):
    return transition(user, draft.pk, "revoke_preview", grant_id=grant_id)


# --- What a preview link shows --------------------------------------------------------------

EMBARGOED, PUBLIC, CLOSED = "embargoed", "public", "closed"


def preview_state(draft: Draft) -> str:
    """An opened preview link shows the embargoed page, sends to the public page once it is
    published, or is closed (removed, or sent back to work)."""
    if draft.release_id and draft.state != S.REMOVED:
        return PUBLIC
    if draft.state in PREVIEWABLE:
        return EMBARGOED
    return CLOSED


# --- The publisher ----------------------------------------------------------------------------


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


# --- Translation tasks ------------------------------------------------------------------------
#
# A task is one language of a release. Its own small table: drafted (by a translator, or a
# media officer for Hindi), reviewed by a press officer of that language, then published with
# the original or, once the original is out, at once. Each action locks the draft row, then
# the task row, and writes its audit entry on the draft.

T = TranslationTask.State
OPEN_FOR_TRANSLATION = frozenset({S.DRAFT, S.SUBMITTED, S.REJECTED, S.APPROVED, S.SCHEDULED,
                                  S.PUBLISHED, S.CORRECTED})


@dataclass(frozen=True)
class TaskTransition:
    sources: frozenset
    target: str
    who: str  # "translator": may_draft_translation; "reviewer": may_review_translation
    needs_reason: bool = False
    label: str = ""
    done: str = ""
    audit: str = ""


TASK_TRANSITIONS = {
    "save_translation": TaskTransition(
        frozenset(T.values), T.IN_REVIEW, "translator", label=_("Save and send for review"),
        done=_("Translation saved and sent for review."),
        audit=_("Drafted the translation: {note}")),
    "approve_translation": TaskTransition(
        frozenset({T.IN_REVIEW}), T.APPROVED, "reviewer", label=_("Approve translation"),
        done=_("Translation approved."), audit=_("Approved the translation: {note}")),
    "send_back_translation": TaskTransition(
        frozenset({T.IN_REVIEW}), T.TODO, "reviewer", True, _("Send back to the translator"),
        done=_("Sent back to the translator with your reason."),
        audit=_("Sent the translation back: {note}")),
}


def original_content(draft: Draft) -> dict:
    """The original's text as a translation compares against it (title, subtitles, body)."""
    return {"title": draft.title, "subtitles": draft.subtitles,
            "body_text": html_to_text(sanitise_html(draft.body_html or ""))}


def task_behind(task: TranslationTask) -> bool:
    """Drafted from an older text of the original than the current one."""
    return bool(task.source) and task.state != T.TODO and task.source != original_content(
        task.draft)


def ensure_tasks(draft: Draft) -> None:
    """A task for each language chosen for the draft that has none (and is not the original's
    language or already a published version)."""
    have = set(draft.tasks.values_list("language_id", flat=True))
    published = set(draft.release.versions.values_list("language_id", flat=True)) \
        if draft.release_id else set()
    TranslationTask.objects.bulk_create([
        TranslationTask(draft=draft, language=lang)
        for lang in draft.translation_languages.all()
        if lang.pk not in have | published and lang.pk != draft.language_id])


def _put_task(draft: Draft, task: TranslationTask) -> None:
    fields = store.content_fields(title=task.title, subtitles=task.subtitles,
                                  body_html=task.body_html, sign_off=task.sign_off)
    store.put_translation(draft.release, language=task.language_id, fields=fields,
                          note=task.state_note)
    task.state = T.PUBLISHED
    task.save()


def task_allowed(user, task: TranslationTask, action: str) -> bool:
    t = TASK_TRANSITIONS.get(action)
    if t is None or task.state not in t.sources or task.draft.state not in OPEN_FOR_TRANSLATION:
        return False
    check = may_draft_translation if t.who == "translator" else may_review_translation
    return check(user, task)


def task_transition(user, task_id: int, action: str, *, reason: str = "",
                    fields: dict | None = None) -> TranslationTask:
    t = TASK_TRANSITIONS.get(action)
    if t is None:
        raise TransitionError(_("Unknown action."))
    reason = reason.strip()
    with transaction.atomic():
        draft_id = TranslationTask.objects.values_list("draft_id", flat=True).get(pk=task_id)
        draft = (Draft.objects.select_for_update(of=("self",))
                 .select_related("ministry", "bureau", "release").get(pk=draft_id))
        task = (TranslationTask.objects.select_for_update(of=("self",))
                .select_related("language").get(pk=task_id))
        task.draft = draft
        if not task_allowed(user, task, action):
            raise TransitionError(_("You may not do that."))
        if t.needs_reason and not reason:
            raise TransitionError(_("Give a reason: it is recorded."))
        if action == "save_translation":
            if not fields or not fields.get("title", "").strip():
                raise TransitionError(_("A translation needs a title."))
            for name in ("title", "subtitles", "body_html", "sign_off"):
                setattr(task, name, fields.get(name, ""))
            task.source = original_content(draft)
        task.state = t.target
        task.state_note = reason
        task.updated_at, task.updated_by = timezone.now(), user
        task.save()
        if action == "approve_translation" and draft.release_id:
            try:
                _put_task(draft, task)  # the original is out: this one goes out now
            except store.RecordError as e:
                raise TransitionError(str(e)) from e
        # The language as its readers name it: the same in every interface language.
        note = task.language.native_name + (f": {reason}" if reason else "")
        record(user, action, draft, from_state=draft.state, to_state=draft.state, note=note)
    return task
