"""The shared cache of one box (no Redis) keeps to its size without listing its folder on
every write."""

import itertools

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from pressroom.cache import FileCache


class Listed(FileCache):
    CULL_CHECK_EVERY = 10
    _writes = itertools.count()
    listings = 0

    def _list_cache_files(self):
        type(self).listings += 1
        return super()._list_cache_files()


def test_the_folder_is_listed_on_one_write_in_n_and_kept_near_its_size(tmp_path):
    cache = Listed(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 30, "CULL_FREQUENCY": 3}})
    for i in range(200):
        cache.set(f"k{i}", i)
    assert Listed.listings == 20  # not 200: Django's FileBasedCache lists on each write
    files = len(list(tmp_path.glob("*.djcache")))
    assert files <= 30 + Listed.CULL_CHECK_EVERY
    assert cache.get("k199") == 199  # the newest entry is there, read as ever


@pytest.mark.parametrize("value", [0, "", None, {"count": 3, "about": True}, b"\x00" * 100])
def test_what_is_written_reads_back_as_from_djangos(tmp_path, value):
    ours = FileCache(str(tmp_path / "ours"), {})
    django = FileBasedCache(str(tmp_path / "django"), {})
    for cache in (ours, django):
        cache.set("key", value)
    assert ours.get("key", "missing") == django.get("key", "missing") == value
    assert ours.add("key", "other") is False and ours.get("key", "missing") == value


def test_the_setting_uses_it_without_redis(settings):
    if settings.CACHES["shared"]["BACKEND"] != "pressroom.cache.FileCache":
        pytest.skip("REDIS_URL is set: the shared cache is Redis here")
    from django.core.cache import caches

    assert isinstance(caches["shared"], FileCache)
