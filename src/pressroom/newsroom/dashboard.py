"""What the newsroom dashboard lists, for one officer."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from pressroom.releases.models import LanguageVersion

from .models import Draft, TranslationTask
from .permissions import drafts_for, is_press, officer_of, reviews_language, tasks_for
from .workflow import LATE_AFTER, task_behind

S = Draft.State
RECENT = timedelta(days=7)


def translations_behind(drafts):
    """Language versions of these drafts' releases made from an older original revision."""
    return list(
        LanguageVersion.objects.filter(
            release__draft__in=drafts, is_original=False, translates_revision__isnull=False,
            release__versions__is_original=True,
            translates_revision__lt=F("release__versions__revision"))
        .exclude(release__status="removed")
        .select_related("release", "language", "release__draft")
        .annotate(original_revision=F("release__versions__revision"))
        .order_by("-release__posted_at")[:50])


def behind_by_language(release) -> dict:
    """{language code: True if behind} for a release's translations."""
    versions = list(release.versions.all())
    original = next((v for v in versions if v.is_original), None)
    return {v.language_id: bool(original and v.translates_revision
                                and v.translates_revision < original.revision)
            for v in versions if not v.is_original}


def translation_tasks(user) -> list:
    """A translator's work: tasks missing, sent back, or behind a changed original."""
    tasks = tasks_for(user)
    officer = officer_of(user)
    if not officer.is_translator and not officer.is_press:
        tasks = tasks.filter(language="hi")  # a media officer drafts the Hindi, if anything
    tasks = [t for t in tasks.exclude(draft__state__in=[S.WITHDRAWN, S.REMOVED])
             .select_related("draft", "draft__ministry", "language").order_by("-draft__updated_at")
             [:100]]
    for t in tasks:
        t.behind = task_behind(t)
    return [t for t in tasks if t.state == TranslationTask.State.TODO or t.behind
            or t.state == TranslationTask.State.IN_REVIEW]


def translations_in_review(user) -> list:
    officer = officer_of(user)
    return [t for t in tasks_for(user).filter(state=TranslationTask.State.IN_REVIEW)
            .select_related("draft", "draft__ministry", "language")
            if reviews_language(officer, t.language_id)]


def sections(user, now=None) -> dict:
    now = now or timezone.now()
    officer = officer_of(user)
    if officer.is_translator:
        return {"translation_tasks": translation_tasks(user)}
    drafts = drafts_for(user).select_related("ministry", "created_by", "release")
    overdue = drafts.filter(state=S.SCHEDULED, scheduled_for__lt=now - LATE_AFTER)
    return {
        "my_drafts": drafts.filter(created_by=user, state__in=[S.DRAFT, S.REJECTED,
                                                               S.SUBMITTED, S.APPROVED]),
        "awaiting_review": drafts.filter(state=S.SUBMITTED).order_by("updated_at")
        if is_press(user) else drafts.none(),
        "scheduled": drafts.filter(state=S.SCHEDULED).order_by("scheduled_for"),
        "overdue": overdue.order_by("scheduled_for"),
        "published_late": drafts.filter(published_late=True, published_at__gte=now - RECENT)
        .order_by("-published_at"),
        "recently_published": drafts.filter(published_at__gte=now - RECENT)
        .order_by("-published_at")[:20],
        "translations_behind": translations_behind(drafts),
        "translations_in_review": translations_in_review(user) if officer.is_press else None,
        "translation_tasks": translation_tasks(user) if not officer.is_press else None,
    }
