"""Sign-up limits, counted in the database (shared by every server process).

Per address: at most ``ALERTS_CONFIRMATIONS_PER_ADDRESS`` confirmation e-mails a day, so
nobody can bomb someone else's inbox by signing it up again and again. Per client (IP
address): at most ``ALERTS_SIGNUPS_PER_CLIENT`` sign-ups an hour. Keys are HMACs of the
address or IP with the site's secret: the counts hold neither.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import SignupAttempt


def _key(kind: str, value: str) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    return f"{kind}:{mac.hexdigest()[:64]}"


def client_address(request) -> str:
    header = settings.PRESSROOM.get("CLIENT_IP_HEADER") or "REMOTE_ADDR"
    return (request.META.get(header) or request.META.get("REMOTE_ADDR") or "").split(",")[0].strip()


def count(kind: str, value: str, within: timedelta) -> int:
    return SignupAttempt.objects.filter(key=_key(kind, value), at__gte=timezone.now() - within).count()


def record(kind: str, value: str) -> None:
    SignupAttempt.objects.create(key=_key(kind, value))


def client_allowed(ip: str) -> bool:
    return count("client", ip, timedelta(hours=1)) < settings.PRESSROOM["ALERTS_SIGNUPS_PER_CLIENT"]


def address_allowed(email: str) -> bool:
    limit = settings.PRESSROOM["ALERTS_CONFIRMATIONS_PER_ADDRESS"]
    return count("address", email.lower(), timedelta(days=1)) < limit
