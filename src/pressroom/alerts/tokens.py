"""Signed links: confirm a subscription, manage an address's alerts, leave one subscription.

Signed with the site's SECRET_KEY (django.core.signing), each purpose with its own salt so
one link cannot stand for another. Confirmation links expire; manage and unsubscribe links
in old e-mails keep working (they only ever act on the address they were sent to).
"""

from django.core import signing

CONFIRM_MAX_AGE = 7 * 24 * 3600

_confirm = signing.TimestampSigner(salt="pressroom.alerts.confirm")
_manage = signing.Signer(salt="pressroom.alerts.manage")
_leave = signing.Signer(salt="pressroom.alerts.unsubscribe")


def confirm_token(subscription_id: int) -> str:
    return _confirm.sign(str(subscription_id))


def manage_token(subscriber_id: int) -> str:
    return _manage.sign(str(subscriber_id))


def unsubscribe_token(subscription_id: int) -> str:
    return _leave.sign(str(subscription_id))


def _read(signer, token: str, **kwargs) -> int | None:
    try:
        value = signer.unsign(token, **kwargs)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return int(value) if value.isdigit() else None


def read_confirm(token: str) -> int | None:
    return _read(_confirm, token, max_age=CONFIRM_MAX_AGE)


def read_manage(token: str) -> int | None:
    return _read(_manage, token)


def read_unsubscribe(token: str) -> int | None:
    return _read(_leave, token)


_hook = signing.Signer(salt="pressroom.alerts.webhook")


def hook_token(hook_id: int) -> str:
    return _hook.sign(str(hook_id))


def read_hook(token: str) -> int | None:
    return _read(_hook, token)
