"""Choosing how to run a filtered search from how common its words are. Pure functions.

A search is a set of text matches (known from the index's document frequencies) crossed
with a set of filtered rows (ministry, bureau, language, dates; known from cached counts).
Results are read newest first until ``cap`` are found, so two plans are possible:

- ``text``: walk the text matches newest first, keep those passing the filters. It reads
  about ``cap / share_of_matches_passing_filters`` matches, and never more than all of them.
- ``filter``: walk the filtered rows newest first, probe the text index for each. It reads
  about ``cap / share_of_rows_matching_text`` rows, and never more than all of them.

A probe costs more than a step along a match list, hence ``PROBE_COST``.
"""

from __future__ import annotations

PROBE_COST = 4.0


def estimate_matches(clause_dfs: list[list[int]]) -> int:
    """Rows matching an OR of ANDs, from each term's document frequency: an AND is at most
    its rarest term; an OR at most the sum of its sides."""
    return sum(min(dfs) if dfs else 0 for dfs in clause_dfs)


def choose_plan(matches: int, filtered: int, total: int, cap: int) -> str:
    """'text' or 'filter': whichever reads fewer rows to find ``cap`` results."""
    if filtered >= total or matches <= 0:
        return "text"
    total = max(total, 1)
    match_share = min(1.0, matches / total)
    filter_share = min(1.0, filtered / total)
    # Assume independence: a match passes the filters with probability filter_share.
    text_cost = min(matches, cap / max(filter_share, 1e-9))
    filter_cost = PROBE_COST * min(filtered, cap / max(match_share, 1e-9))
    return "filter" if filter_cost < text_cost else "text"


def estimate_total(matches: int, filtered: int, total: int) -> int:
    """Expected rows matching both the text and the filters, assuming independence."""
    if total <= 0:
        return 0
    return round(matches * min(1.0, filtered / total))
