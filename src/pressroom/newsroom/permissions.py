"""Who may see and do what. Every view asks here; nothing is trusted from the form.

Media officers see and edit their ministries' drafts only; press officers act on every
ministry or on their set; anyone else (even staff) sees nothing in the newsroom.
"""

from pressroom.releases.models import Ministry

from .models import Draft, Officer, TranslationTask


def officer_of(user) -> Officer | None:
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.officer
    except Officer.DoesNotExist:
        return None


def is_press(user) -> bool:
    officer = officer_of(user)
    return bool(officer and officer.is_press)


def ministries_for(user):
    """The ministries this user works for, as a queryset (empty for non-officers)."""
    officer = officer_of(user)
    if officer is None:
        return Ministry.objects.none()
    if officer.is_press and officer.all_ministries:
        return Ministry.objects.all()
    return officer.ministries.all()


def drafts_for(user):
    """The drafts this user may see: looking anything up through here gives 404 otherwise."""
    officer = officer_of(user)
    if officer is None or officer.is_translator:  # translators see their tasks, not drafts
        return Draft.objects.none()
    if officer.is_press and officer.all_ministries:
        return Draft.objects.all()
    return Draft.objects.filter(ministry__in=officer.ministries.all())


def may_work_on(user, ministry_id) -> bool:
    return ministries_for(user).filter(pk=ministry_id).exists()


def tasks_for(user):
    """The translation tasks this user may see (404 otherwise): a translator's languages in
    their bureaus (every bureau if none is set) and ministries (every one if so set); the
    tasks of the drafts an officer sees."""
    officer = officer_of(user)
    if officer is None:
        return TranslationTask.objects.none()
    if not officer.is_translator:
        return TranslationTask.objects.filter(draft__in=drafts_for(user))
    tasks = TranslationTask.objects.filter(language__in=officer.languages.all())
    if officer.bureaus.exists():
        tasks = tasks.filter(draft__bureau__in=officer.bureaus.all())
    if not officer.all_ministries and officer.ministries.exists():
        tasks = tasks.filter(draft__ministry__in=officer.ministries.all())
    return tasks


def may_draft_translation(user, task) -> bool:
    """Translators of its language, a media officer of its ministry for Hindi (beside the
    English), and its press officers of that language."""
    officer = officer_of(user)
    if officer is None or not tasks_for(user).filter(pk=task.pk).exists():
        return False
    if officer.is_translator or officer.is_press and reviews_language(officer, task.language_id):
        return True
    return task.language_id == "hi"  # a media officer of the ministry


def reviews_language(officer, language) -> bool:
    """A press officer reviews the languages set on them, or every language if none is."""
    return officer.is_press and (not officer.languages.exists()
                                 or officer.languages.filter(pk=language).exists())


def may_review_translation(user, task) -> bool:
    officer = officer_of(user)
    return bool(officer and officer.is_press and reviews_language(officer, task.language_id)
                and may_work_on(user, task.draft.ministry_id))
