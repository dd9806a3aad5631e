"""Sign-in throttling: failures counted per username and address in the cache.

After LIMIT failures the pair is locked out for LOCKOUT seconds, whatever password is
tried; a success clears the count. Another address is not affected, so an attacker
cannot lock a real officer out from elsewhere.
"""

import hashlib

from django.core.cache import cache

LIMIT = 5
LOCKOUT = 15 * 60


def _key(username: str, address: str) -> str:
    raw = f"{username.strip().lower()}|{address}".encode()
    return "newsroom:login-failures:" + hashlib.sha256(raw).hexdigest()


def locked_out(username: str, address: str) -> bool:
    return (cache.get(_key(username, address)) or 0) >= LIMIT


def failed(username: str, address: str) -> int:
    key = _key(username, address)
    cache.add(key, 0, LOCKOUT)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, LOCKOUT)
        return 1


def succeeded(username: str, address: str) -> None:
    cache.delete(_key(username, address))
