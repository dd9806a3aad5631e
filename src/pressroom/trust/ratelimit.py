"""Verifications per client per minute, counted in Django's cache (Redis when configured,
so every server counts together)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _


def client(request) -> str:
    header = settings.PRESSROOM.get("CLIENT_IP_HEADER") or ""
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(request) -> str | None:
    """Count one verification; a message when the client is over its limit."""
    limit = settings.PRESSROOM.get("VERIFY_RATE_PER_MINUTE", 30)
    key = f"trust:verify:{client(request)}:{int(time.time() // 60)}"
    if cache.add(key, 1, 120):
        n = 1
    else:
        try:
            n = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, 120)
            n = 1
    if n > limit:
        return _("Too many verifications from your address: at most %(n)d a minute. "
                 "Please wait a minute and try again.") % {"n": limit}
    return None
