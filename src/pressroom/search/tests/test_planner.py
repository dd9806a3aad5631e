"""The planner picks the cheaper way to find the newest results."""

from pressroom.search.planner import choose_pg_plan, choose_plan, estimate_matches, estimate_total


def test_rare_word_in_a_big_ministry_joins():
    assert choose_plan(matches=50, filtered=10_000, total=1_000_000, cap=1000) == "join"


def test_common_word_in_a_small_ministry_intersects_tags():
    assert choose_plan(matches=600_000, filtered=10_000, total=1_000_000, cap=1000) == "tags"


def test_common_word_in_a_broad_filter_joins():
    # English is most of the archive: walking the word's matches finds 1,000 at once.
    assert choose_plan(matches=600_000, filtered=800_000, total=1_000_000, cap=1000) == "join"


def test_no_filter_joins():
    assert choose_plan(matches=600_000, filtered=1_000_000, total=1_000_000, cap=1000) == "join"


def test_estimates():
    assert estimate_matches([[10, 500], [7]]) == 17
    assert estimate_total(1000, 100, 10_000) == 10
    assert estimate_total(5, 5, 0) == 0


def test_postgres_reads_a_rare_word_from_the_gin_index():
    # 6,248 is PostgreSQL's guess at 1M for any word outside its statistics.
    assert choose_pg_plan(matches=6_248, scanned=1_000_000, cap=1000) == "gin"
    assert choose_pg_plan(matches=0, scanned=1_000_000, cap=1000) == "gin"


def test_postgres_walks_the_key_for_a_word_in_most_entries():
    assert choose_pg_plan(matches=600_000, scanned=1_000_000, cap=1000) == "walk"


def test_postgres_never_walks_for_fewer_matches_than_the_cap_or_an_unanalysed_table():
    assert choose_pg_plan(matches=900, scanned=1000, cap=1000) == "gin"
    assert choose_pg_plan(matches=5_000, scanned=-1, cap=1000) == "gin"


def test_postgres_walks_a_filter_whose_rows_mostly_match():
    # A common word in a ministry of 12,000 entries: 1,250 of them read along its index
    # find the newest 1,000, where the GIN read takes every one of its 10,000 matches.
    assert choose_pg_plan(matches=10_000, scanned=12_000, cap=1000) == "walk"
    assert choose_pg_plan(matches=1_500, scanned=12_000, cap=1000) == "gin"


def test_postgres_weighs_the_gin_read_by_the_word_before_the_filter():
    # "the" in a small ministry: 3,600 filtered matches, but the GIN read takes all 966,000.
    assert choose_pg_plan(matches=3_600, scanned=3_700, cap=1000, gin_rows=966_000) == "walk"
    # A rare word in the same ministry: its 1,000 matches in all are the cheaper read.
    assert choose_pg_plan(matches=10, scanned=3_700, cap=1000, gin_rows=1_000) == "gin"
