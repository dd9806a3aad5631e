"""PostgreSQL: the backend's two ways of finding the newest matches (``planner.choose_pg_plan``).

The entries are written straight into the index table (``postgres_backend.add``, as an
import does), so the table is large enough for the server's statistics to tell a common
word from a rare one, without thousands of releases behind it.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from pressroom.search import postgres_backend, queryparse
from pressroom.search.types import Filters, entry_key

pytestmark = pytest.mark.django_db

N = 3000
RARE = {5, 2000}  # entries holding the word "zanskar"
START = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def entries():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the SQLite backend plans from FTS5's own counts (test_planner)")
    docs = []
    for n in range(N):
        words = ["common", "word", "text"] + (["zanskar"] if n in RARE else []) + \
            (["half"] if n % 2 else []) + (["ministry", "of", "coal"] if n % 7 == 0 else [])
        posted = START - timedelta(minutes=n)  # later entries are older: ascending keys
        docs.append({"key": entry_key(posted, n + 1), "version_id": n + 1, "release_id": 500_000 + n,
                     "ministry_id": 1 + n % 3, "bureau_id": 1, "language": "en",
                     "year": 2020, "withdrawn": False,
                     "title": f"entry {n}" + (" zanskar" if n == 2000 else ""),
                     "body": " ".join(words), "meta": ""})
    postgres_backend.add(docs)
    postgres_backend.analyze()
    return docs


def keys(entries, numbers):
    return [entries[n]["key"] for n in numbers]


def find(text, cap=10, plan=None, filters=None):
    return postgres_backend._find(queryparse.parse(text), filters or Filters(), cap, True,
                                  "default", plan=plan)


def test_a_rare_word_is_read_from_the_gin_index_and_counted_exactly(entries):
    m = find("zanskar")
    assert m.plan == "postgres:gin"
    assert [r.key for r in m.rows] == keys(entries, sorted(RARE))
    assert m.complete and m.estimate == 2


def test_a_match_in_the_title_scores_above_one_in_the_body(entries):
    by_key = {r.key: r.score for r in find("zanskar").rows}
    in_title, in_body = keys(entries, [2000, 5])
    assert by_key[in_title] > by_key[in_body] == 0


def test_a_word_in_no_entry_is_read_from_the_gin_index(entries):
    m = find("qxzqxz")
    assert m.plan == "postgres:gin"
    assert m.rows == [] and m.complete and m.estimate == 0


def test_a_word_in_every_entry_walks_the_key_and_estimates_the_count(entries):
    m = find("common")
    assert m.plan == "postgres:walk"
    assert [r.key for r in m.rows] == keys(entries, range(10))
    assert not m.complete
    # The server's estimate, not a count: near N, never below what was seen.
    assert N // 2 <= m.estimate <= 2 * N


@pytest.mark.parametrize("text", ["common", "half", "zanskar", "common half", '"word text"',
                                  '"text word"', "half -zanskar", "coal OR zanskar", "qxzqxz",
                                  '"ministry of coal" half'])
@pytest.mark.parametrize("cap", [1, 10, 5000])
def test_both_plans_find_the_same_newest_rows(entries, text, cap):
    walk, gin = find(text, cap, "walk"), find(text, cap, "gin")
    assert [r.key for r in walk.rows] == [r.key for r in gin.rows]
    assert [round(r.score, 6) for r in walk.rows] == [round(r.score, 6) for r in gin.rows]
    assert walk.complete == gin.complete
    if gin.complete:
        assert walk.estimate == gin.estimate == len(gin.rows)


def test_filters_apply_in_both_plans(entries):
    filters = Filters(date_to=date(2019, 12, 31))  # entry 2000 is of the 30th, entry 5 of 1 January (IST)
    for plan in ("walk", "gin"):
        m = find("zanskar", plan=plan, filters=filters)
        assert [r.key for r in m.rows] == keys(entries, [2000]), plan
