"""PostgreSQL: a search's time limit ends with the search, even inside a caller's transaction."""

import pytest
from django.db import connection, transaction

from pressroom.search import engine


@pytest.mark.django_db
def test_the_time_limit_does_not_outlive_the_search_in_an_outer_transaction(languages):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's time limit is a progress handler")
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("SHOW statement_timeout")
            before = c.fetchone()[0]
        engine.query("defence")
        with connection.cursor() as c:
            c.execute("SHOW statement_timeout")
            assert c.fetchone()[0] == before
