"""Signing keys: made once in $PRESSROOM_DATA/keys (mode 0600), or given for production by
PRESSROOM_SIGNING_KEY_FILE (a PEM file) or PRESSROOM_SIGNING_KEY (the PEM itself).

The database keeps only the public half of each key with its validity period, which the
site publishes at /.well-known/pressroom-keys.json. Private keys stay in the process and
the key folder: they are never logged, shown, exported or stored in the database.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction

from .models import SigningKey
from .offline import b64url, canonical_json

_loaded: dict[str, Ed25519PrivateKey] = {}


class KeyError_(Exception):
    """A key cannot be used (unknown, revoked, unreadable)."""


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z") if dt else None


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def kid_of(public: bytes) -> str:
    """RFC 7638 JWK thumbprint (SHA-256 of the canonical JWK), its first 16 characters."""
    thumb = hashlib.sha256(canonical_json({"crv": "Ed25519", "kty": "OKP", "x": b64url(public)}))
    return b64url(thumb.digest())[:16]


def key_dir() -> Path:
    return Path(settings.PRESSROOM.get("SIGNING_KEY_DIR") or settings.PRESSROOM["DATA_DIR"] / "keys")


def _configured() -> Ed25519PrivateKey | None:
    pem = settings.PRESSROOM.get("SIGNING_KEY") or ""
    path = settings.PRESSROOM.get("SIGNING_KEY_FILE") or ""
    if not pem and path:
        pem = Path(path).read_text()
    if not pem:
        return None
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyError_("the configured signing key is not an Ed25519 key")
    return key


def _write_new() -> tuple[str, Ed25519PrivateKey]:
    key = Ed25519PrivateKey.generate()
    kid = kid_of(raw_public(key))
    folder = key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    # Created with 0600 from the start, never readable by others even for a moment.
    fd = os.open(folder / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return kid, key


def _read(kid: str) -> Ed25519PrivateKey | None:
    if kid in _loaded:
        return _loaded[kid]
    path = key_dir() / f"{kid}.pem"
    if not path.is_file():
        return None
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if kid_of(raw_public(key)) != kid:
        raise KeyError_(f"key file {path.name} does not hold key {kid}")
    _loaded[kid] = key
    return key


def _register(kid: str, key: Ed25519PrivateKey, now: datetime) -> SigningKey:
    row, _ = SigningKey.objects.get_or_create(kid=kid, defaults={
        "public_key": b64url(raw_public(key)), "not_before": now})
    _loaded[kid] = key
    return row


def _current_row():
    return (SigningKey.objects.filter(not_after__isnull=True, revoked_at__isnull=True)
            .order_by("-not_before").first())


def signer() -> tuple[str, Ed25519PrivateKey]:
    """The key that signs now: the configured one, else the current one in the key folder,
    else one made now (once: later calls find it)."""
    now = utc_now()
    configured = _configured()
    if configured is not None:
        kid = kid_of(raw_public(configured))
        row = _register(kid, configured, now)
        if row.revoked_at and row.revoked_at <= now:
            raise KeyError_(f"the configured signing key {kid} is revoked")
        return kid, configured
    row = _current_row()
    if row is not None:
        key = _read(row.kid)
        if key is not None:
            return row.kid, key
        # The database names a key this machine does not hold: retire it, start another.
        SigningKey.objects.filter(pk=row.pk).update(not_after=now)
    known = set(SigningKey.objects.values_list("kid", flat=True))
    # A key file the database does not know yet (a fresh database beside an old key folder).
    for path in sorted(key_dir().glob("*.pem"), key=lambda p: p.stat().st_mtime, reverse=True):
        if path.stem not in known:
            key = _read(path.stem)
            if key is not None:
                _register(path.stem, key, now)
                return path.stem, key
    kid, key = _write_new()
    _register(kid, key, now)
    return kid, key


def rotate() -> str:
    """Retire the current key (what it signed stays valid) and start a new one."""
    if _configured() is not None:
        raise KeyError_("the signing key is configured (PRESSROOM_SIGNING_KEY[_FILE]): "
                        "rotate by configuring a new one")
    with transaction.atomic():
        now = utc_now()
        SigningKey.objects.filter(not_after__isnull=True).update(not_after=now)
        kid, key = _write_new()
        _register(kid, key, now)
    return kid


def revoke(kid: str, at: datetime) -> SigningKey:
    """From `at` on, nothing this key signed verifies; it signs nothing more."""
    row = SigningKey.objects.filter(kid=kid).first()
    if row is None:
        raise KeyError_(f"no key {kid!r}")
    row.revoked_at = at
    if row.not_after is None or row.not_after > at:
        row.not_after = at
    row.save()
    return row


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.urlsafe_b64encode(key.sign(message)).rstrip(b"=").decode("ascii")


def jwks() -> dict:
    """The public key set: JWK (RFC 8037 OKP/Ed25519) with validity and revocation."""
    return {"keys": [{
        "kty": "OKP", "crv": "Ed25519", "x": k.public_key, "kid": k.kid, "use": "sig",
        "alg": "EdDSA", "not_before": iso(k.not_before), "not_after": iso(k.not_after),
        "revoked": k.revoked_at is not None, "revoked_at": iso(k.revoked_at),
    } for k in SigningKey.objects.order_by("not_before", "kid")]}
