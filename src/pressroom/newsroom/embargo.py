"""Personal preview links for embargoed releases: signed, expiring, each opening logged."""

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PreviewGrant, PreviewOpening

SALT = "pressroom.newsroom.embargo-preview"


class PreviewRefused(Exception):
    def __init__(self, message, status=404):
        super().__init__(message)
        self.status = status


def token_for(grant: PreviewGrant) -> str:
    # The expiry is signed too: a link cannot be stretched by editing it. No timestamp of its
    # own, so the same grant always has the same link.
    return signing.Signer(salt=SALT).sign_object(
        {"g": grant.pk, "e": int(grant.expires_at.timestamp())})


def open_preview(token: str) -> PreviewGrant:
    """The grant a link stands for; PreviewRefused otherwise. Logs nothing: the caller logs
    an opening with ``log_opening`` only while the release is still under embargo."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        grant_id, expires = int(data["g"]), int(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as e:
        raise PreviewRefused(_("This preview link is not valid.")) from e
    grant = PreviewGrant.objects.select_related("draft", "journalist").filter(pk=grant_id).first()
    if grant is None or int(grant.expires_at.timestamp()) != expires:
        raise PreviewRefused(_("This preview link is not valid."))
    if grant.revoked or not grant.journalist.accredited:
        raise PreviewRefused(_("This preview link has been withdrawn."), status=410)
    if grant.expires_at <= timezone.now():
        raise PreviewRefused(_("This preview link has expired."), status=410)
    return grant


def log_opening(grant: PreviewGrant, *, ip: str | None, user_agent: str) -> PreviewOpening:
    return PreviewOpening.objects.create(grant=grant, ip=ip, user_agent=user_agent[:300])
