"""`reverse`, remembered: the same name and arguments give the same path for as long as the
process runs (the URLconf never changes after start), and Django's reverse costs ~20 µs
(namespaces, converters, quoting) where a lookup costs well under one. A release page
reverses two dozen names; robots.txt, the .json and the API one each.

The script prefix (SCRIPT_NAME, set per request) and the active URLconf are part of the key,
so a site mounted under a prefix gets its own paths.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def reverse_cached(viewname: str, args: tuple = ()) -> str:
    return _reverse(viewname, tuple(args), get_script_prefix(), get_urlconf())


@lru_cache(maxsize=20_000)
def _reverse(viewname: str, args: tuple, prefix: str, urlconf) -> str:
    return reverse(viewname, args=args, urlconf=urlconf)


def clear() -> None:
    """Forget every path (tests that change the URLconf)."""
    _reverse.cache_clear()


@receiver(setting_changed)
def _urlconf_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        clear()
