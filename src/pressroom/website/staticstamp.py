"""Static files collected (hashed, gzip and brotli compressed) once, again only when they change.

collectstatic costs ~40 s of CPU here (brotli on every script and font), so `make setup`
runs it through `pressroom prepare-static`, which writes a stamp beside STATIC_ROOT
(`static.stamp`: outside it, so WhiteNoise never serves it): a digest of every source file
the finders list and of the settings that shape the output. `pressroom serve` collects only
when that stamp is missing or stale, or the manifest is gone.
"""

import fcntl
import hashlib
from importlib.metadata import version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command


def sources_digest() -> str:
    """sha256 over each source file's path and bytes, in order, and the storage settings."""
    h = hashlib.sha256()
    for part in (settings.STORAGES["staticfiles"]["BACKEND"], settings.STATIC_URL,
                 version("Django"), version("whitenoise")):
        h.update(f"{part}\0".encode())
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    found = {}
    for finder in get_finders():
        for path, storage in finder.list(ignore):
            prefix = getattr(storage, "prefix", None) or ""
            found.setdefault(f"{prefix}/{path}" if prefix else path, (storage, path))
    for name in sorted(found):  # the first finder's file wins, as collectstatic's does
        storage, path = found[name]
        h.update(f"{name}\0".encode())
        with storage.open(path) as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def stamp_path() -> Path:
    root = Path(settings.STATIC_ROOT)
    return root.with_name(root.name + ".stamp")


def is_current(digest: str | None = None) -> bool:
    """The collected files are those of today's sources (and their manifest is there)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and not (Path(settings.STATIC_ROOT) / manifest).is_file():
        return False
    try:
        stamped = stamp_path().read_text().strip()
    except OSError:
        return False
    return stamped == (digest or sources_digest())


def collect(*, force: bool = False, verbosity: int = 0) -> bool:
    """Collect if the sources changed since the stamp (or `force`); True if it collected.
    A lock in STATIC_ROOT keeps a `serve` and a `make setup` from collecting at once."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    with open(stamp_path().with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        digest = sources_digest()
        if not force and is_current(digest):
            return False
        stamp_path().unlink(missing_ok=True)  # stale until the collection is whole
        call_command("collectstatic", interactive=False, verbosity=verbosity)
        tmp = stamp_path().with_suffix(".tmp")
        tmp.write_text(digest + "\n")
        tmp.replace(stamp_path())
        return True
