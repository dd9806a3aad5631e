"""Fixtures shared by every app's tests."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
# The shared corpus sits beside the project (/work/main -> /work/shared), or beside the
# worktrees folder (/work/wt/x -> /work/shared); PRESSROOM_SHARED names it elsewhere.
SHARED = next((p for p in (Path(os.environ.get("PRESSROOM_SHARED", ROOT.parent / "shared")),
                           ROOT.parent.parent / "shared") if (p / "corpus").is_dir()),
              ROOT.parent / "shared")
SAMPLE = ROOT / "sample"
SEED = SAMPLE / "seed" / "000_01f5e1dc6ab042ee.txt"


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Tests do not run collectstatic; the hashed-manifest storage is for production."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path_factory):
    """Photos and documents a test stores go to a folder of its own, never var/media."""
    base = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = base / "public"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": base / "public"}}, "originals": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": base / "originals", "base_url": None}}}
    return base


@pytest.fixture(autouse=True)
def fresh_process_state(settings):
    """Each test starts as a new process would: no pending visitor counts, no memory of
    earlier readers, empty caches. No background count flusher in tests (it would wait on
    the test's transaction): tests flush by hand. Request log lines are written at once, into
    the output of the test that made them."""
    from django.core.cache import cache, caches

    from pressroom.counters import buffer
    from pressroom.releases.queries import forget_choices
    from pressroom.website import pagecache

    settings.PRESSROOM = {**settings.PRESSROOM, "COUNTER_FLUSH_SECONDS": 0,
                          "REQUEST_LOG_FLUSH_SECONDS": 0}
    buffer.forget()
    cache.clear()
    caches["shared"].clear()
    pagecache.clear()
    forget_choices()
    yield
    buffer.forget()


@pytest.fixture
def shared_corpus():
    """The shared corpus beside the project; tests using it skip where it is absent."""
    corpus = SHARED / "corpus"
    if not (corpus / "pib-2020").is_dir():
        pytest.skip(f"shared corpus not found at {corpus}")
    return corpus


@pytest.fixture
def seed_bytes():
    return SEED.read_bytes()


def put_languages():
    """The Language rows the migration makes, again: a transactional test's flush deletes
    them, and the next test would find no languages (every import rejected)."""
    from pressroom.releases.languages import put_language_rows
    from pressroom.releases.models import Language

    put_language_rows(Language)


@pytest.fixture
def languages(db):
    """The Language rows (the one way tests get them): tests that need them ask for this
    rather than rely on the order tests run in."""
    put_languages()


@pytest.fixture
def import_paths(db, languages):
    """Run an import of the given paths; returns the report."""
    from pressroom.ingest.importer import Importer

    def run(*paths, **kwargs):
        return Importer(**kwargs).run([Path(p) for p in paths])

    return run


@pytest.fixture
def sample_archive(import_paths):
    report = import_paths(SAMPLE)
    assert report.counts["rejected"] == 0, report.rejects
    return report


@pytest.fixture(scope="session")
def collected_static():
    """A function giving a data folder the static files `make setup` collected and
    compressed (run here if it was not): a test that starts `pressroom serve` in its own
    folder links them, rather than spend minutes on collectstatic on a busy machine."""
    import shutil
    import subprocess
    import sys

    from django.conf import settings

    root = Path(settings.STATIC_ROOT)
    env = {**os.environ, "PRESSROOM_DATA": str(settings.PRESSROOM["DATA_DIR"])}
    subprocess.run([str(Path(sys.executable).parent / "pressroom"), "prepare-static", "-v0"],
                   env=env, check=True, timeout=1800)

    def into(data_dir: Path) -> Path:
        (data_dir / "static").symlink_to(root, target_is_directory=True)
        shutil.copy(root.with_name(root.name + ".stamp"), data_dir / "static.stamp")
        return data_dir

    return into
