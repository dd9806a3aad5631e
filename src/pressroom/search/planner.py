"""Choosing how to run a filtered search from how common its words are. Pure functions.

Results are read newest first until ``cap`` are found. A filter (ministry, bureau,
language) can be applied two ways:

- ``join``: walk the text matches newest first and keep those whose row passes the filter.
  It reads about ``cap / filter_share`` matches, and never more than all of them: cheap for
  rare words or broad filters.
- ``tags``: add the filter's token (``m42``) to the FTS5 query, so FTS5 intersects the word's
  match list with the filter's and skips through the longer one. It costs about the length
  of the shorter list, a little more per step: cheap for a common word in a small ministry.

Probing the text index row by row for each filtered row (the third way) was measured at
100,000 releases at 1.5-25 s against 20-120 ms for ``join``, so it is never chosen.
"""

from __future__ import annotations

TAG_STEP_COST = 3.0  # a step of the intersection against a step along one match list


def estimate_matches(clause_dfs: list[list[int]]) -> int:
    """Rows matching an OR of ANDs, from each term's document frequency: an AND is at most
    its rarest term; an OR at most the sum of its sides."""
    return sum(min(dfs) if dfs else 0 for dfs in clause_dfs)


def choose_plan(matches: int, filtered: int, total: int, cap: int) -> str:
    """'join' or 'tags': whichever reads fewer entries to find ``cap`` results."""
    if total <= 0 or filtered >= total or matches <= 0:
        return "join"
    filter_share = max(filtered / total, 1e-9)
    join_cost = min(matches, cap / filter_share)
    tags_cost = TAG_STEP_COST * min(matches, filtered)
    return "tags" if tags_cost < join_cost else "join"


def estimate_total(matches: int, filtered: int, total: int) -> int:
    """Expected rows matching both the text and the filters, assuming independence."""
    if total <= 0:
        return 0
    return round(matches * min(1.0, filtered / total))


# PostgreSQL. Its own planner picks the plan there, and picks badly for a word outside its
# most-common-elements statistics: it guesses such a word is in 0.5% of the rows, so for
# "newest 1,001" it walks the primary key and tests every row (7.7 s at 1,000,000 for a word
# in no document) instead of reading the word's few matches from the GIN index. The
# backend asks for the estimate and chooses between two statements:
#
# - ``walk``: newest first along the key (or a filter's index), stopping at ``cap``; each
#   row read costs a decompressed tsvector. It reads about ``cap * scanned / matches`` of the
#   ``scanned`` rows that pass the filters (all of them when there are none).
# - ``gin``: every match from the GIN index (no tsvector read for a plain query), then the
#   newest ``cap`` of them. It reads ``matches`` rows, cheaply, and counts them exactly.
WALK_ROW_COST = 8.0  # a row of the walk against a row of the GIN read (measured at 1M)


def choose_pg_plan(matches: int, scanned: int, cap: int, gin_rows: int | None = None) -> str:
    """'walk' or 'gin' for ``matches`` estimated rows (filters included) of the ``scanned``
    rows the filters let through. ``gin_rows``: the rows the GIN read costs, the word's
    matches before any filter (the server cannot intersect its index with a filter's cheaply)."""
    gin_rows = matches if gin_rows is None else gin_rows
    if gin_rows <= cap or scanned <= 0:
        return "gin"
    walk_cost = WALK_ROW_COST * min(scanned, cap * scanned / max(matches, 1))
    return "walk" if walk_cost < gin_rows else "gin"
