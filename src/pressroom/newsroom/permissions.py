"""Who may see and do what. Every view asks here; nothing is trusted from the form.

Media officers see and edit their ministries' drafts only; press officers act on every
ministry or on their set; anyone else (even staff) sees nothing in the newsroom.
"""

from pressroom.releases.models import Ministry

from .models import Draft, Officer


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
    if officer is None:
        return Draft.objects.none()
    if officer.is_press and officer.all_ministries:
        return Draft.objects.all()
    return Draft.objects.filter(ministry__in=officer.ministries.all())


def may_work_on(user, ministry_id) -> bool:
    return ministries_for(user).filter(pk=ministry_id).exists()
