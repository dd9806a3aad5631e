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
    args = tuple(args)
    if any(type(a) is int for a in args):
        # Release IDs: 2M of them, read evenly, would each miss a cache of paths. The path is
        # reversed once per name and shape with stand-in numbers, and the IDs are put in.
        parts = _int_template(viewname, _shape(args), get_script_prefix(), get_urlconf())
        if parts is not None:
            ints = iter(str(a) for a in args if type(a) is int)
            return parts[0] + "".join(next(ints) + part for part in parts[1:])
    return _reverse(viewname, args, get_script_prefix(), get_urlconf())


def int_path_parts(viewname: str, shape: tuple) -> tuple[str, ...] | None:
    """The pieces of `viewname`'s path around its integer arguments (None in `shape` where
    each goes), for the script prefix and URLconf active now; join them with the numbers.
    For loops making thousands of paths (a sitemap page): reverse_cached reads the prefix
    and URLconf (thread-local) on every call, which was most of its cost there."""
    return _int_template(viewname, shape, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=20_000)
def _reverse(viewname: str, args: tuple, prefix: str, urlconf) -> str:
    return reverse(viewname, args=args, urlconf=urlconf)


# Stand-ins for integer arguments: digits the converters (int, \d+) take as they are, long
# enough never to be part of a real path. Negative numbers are reversed as they are.
_STAND_INS = (7103958264, 8216049375, 9327150486)


def _shape(args: tuple) -> tuple:
    return tuple(None if type(a) is int and a >= 0 else a for a in args)


@lru_cache(maxsize=1_000)
def _int_template(viewname: str, shape: tuple, prefix: str, urlconf) -> tuple[str, ...] | None:
    """The path around its integer arguments, as pieces to join with them; None where that
    cannot be done safely (a negative number, too many numbers, a stand-in seen twice)."""
    if None not in shape or sum(a is None for a in shape) > len(_STAND_INS) or any(
            type(a) is int for a in shape):
        return None
    stand_ins = iter(_STAND_INS)
    args = tuple(next(stand_ins) if a is None else a for a in shape)
    path = reverse(viewname, args=args, urlconf=urlconf)
    parts, rest = [], path
    for number in (str(a) for a, s in zip(args, shape, strict=True) if s is None):
        if path.count(number) != 1 or number not in rest:
            return None
        before, _, rest = rest.partition(number)
        parts.append(before)
    return (*parts, rest)


def clear() -> None:
    """Forget every path (tests that change the URLconf)."""
    _reverse.cache_clear()
    _int_template.cache_clear()


@receiver(setting_changed)
def _urlconf_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        clear()
