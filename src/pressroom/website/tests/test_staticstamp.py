"""Static files are collected once (make setup) and again only when their sources change."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from pressroom.website import staticstamp


@pytest.fixture
def static_dirs(settings, tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "extra.css").write_text("body { color: black }\n")
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "root" / "static"
    return source, Path(settings.STATIC_ROOT)


def test_collects_once_then_only_when_a_source_changes(static_dirs):
    source, root = static_dirs
    assert not staticstamp.is_current()
    assert staticstamp.collect() is True
    assert (root / "extra.css").read_text() == "body { color: black }\n"
    assert staticstamp.stamp_path() == root.with_name("static.stamp")  # outside what is served
    assert staticstamp.is_current()
    assert staticstamp.collect() is False  # unchanged: nothing to do

    (source / "extra.css").write_text("body { color: navy }\n")
    later = (root / "extra.css").stat().st_mtime + 10  # an edit after the collection
    os.utime(source / "extra.css", (later, later))
    assert not staticstamp.is_current()
    assert staticstamp.collect() is True
    assert "navy" in (root / "extra.css").read_text()
    (source / "new.js").write_text("1;\n")
    assert not staticstamp.is_current()
    staticstamp.collect()
    assert (root / "new.js").exists() and staticstamp.is_current()

    staticstamp.stamp_path().unlink()
    assert not staticstamp.is_current()


def test_the_command_says_what_it_did(static_dirs):
    out = StringIO()
    call_command("prepare-static", stdout=out)
    assert "collected" in out.getvalue()
    out = StringIO()
    call_command("prepare-static", stdout=out)
    assert "up to date" in out.getvalue()
    out = StringIO()
    call_command("prepare-static", "--force", stdout=out)
    assert "collected" in out.getvalue()


def test_a_missing_manifest_means_collect_again(static_dirs, settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    _, root = static_dirs
    assert staticstamp.collect() is True
    assert (root / "staticfiles.json").is_file() and staticstamp.is_current()
    (root / "staticfiles.json").unlink()  # someone emptied the folder, not the stamp
    assert not staticstamp.is_current()


def test_the_storage_is_part_of_the_digest(static_dirs, settings):
    before = staticstamp.sources_digest()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    assert staticstamp.sources_digest() != before


def test_the_storage_keeps_each_url_and_forgets_them_when_it_collects(static_dirs, settings):
    from django.contrib.staticfiles.storage import staticfiles_storage
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "pressroom.website.staticstorage.StaticStorage"}}
    source, _ = static_dirs
    staticstamp.collect()
    first = staticfiles_storage.url("extra.css")
    assert first == CompressedManifestStaticFilesStorage().url("extra.css") != "/static/extra.css"
    assert staticfiles_storage.url("extra.css") is first  # kept, not worked out again

    (source / "extra.css").write_text("body { color: navy }\n")
    staticstamp.collect()
    again = staticfiles_storage.url("extra.css")
    assert again != first
    assert again == CompressedManifestStaticFilesStorage().url("extra.css")
