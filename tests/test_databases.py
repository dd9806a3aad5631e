"""The database the suite runs on: PostgreSQL runs must get a UTF-8 database."""

import pytest
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_test_database_is_utf8():
    if connection.vendor != "postgresql":
        pytest.skip("running on SQLite: `make test-postgres` runs this on PostgreSQL")
    with connection.cursor() as c:
        c.execute("SELECT pg_encoding_to_char(encoding), datctype FROM pg_database "
                  "WHERE datname = current_database()")
        encoding, ctype = c.fetchone()
    assert encoding == "UTF8"
    # Indic text needs a UTF-8 character class (pg_trgm, lower()); "C" would be byte-wise.
    assert ctype.lower().replace("-", "").endswith("utf8"), ctype


@pytest.mark.django_db
def test_indic_text_round_trips_through_the_database(sample_archive):
    from pressroom.releases.models import LanguageVersion

    hindi = LanguageVersion.objects.filter(language_id="hi").first()
    assert hindi is not None
    again = LanguageVersion.objects.get(pk=hindi.pk)
    assert again.title == hindi.title and any("\u0900" <= ch <= "\u097f" for ch in again.title)


@pytest.mark.redis
def test_the_cache_is_the_redis_server_when_redis_url_is_set(settings):
    from django.core.cache import cache

    if not settings.PRESSROOM["REDIS_URL"]:
        pytest.skip("REDIS_URL not set: `make test-postgres` runs this with Redis")
    import redis

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("pressroom-test-key", "मंत्री", 30)
    server = redis.Redis.from_url(settings.PRESSROOM["REDIS_URL"])
    keys = [k.decode() for k in server.keys("*pressroom-test-key*")]
    assert keys, "the value did not reach the Redis server"
    assert cache.get("pressroom-test-key") == "मंत्री"
    cache.delete("pressroom-test-key")
    assert not server.keys("*pressroom-test-key*")
