"""Dates readers type in filters. Pure functions."""

from datetime import date

# The archive's days: PIB began in 1919; search keys (newest first) end in 2106.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)


def archive_date(text: str) -> date:
    """'YYYY-MM-DD' -> date; ValueError for anything else, or a day the archive cannot hold
    (0001-01-01 or 9999-12-31 would overflow the day arithmetic behind every filter)."""
    day = date.fromisoformat(text.strip()[:10])
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day} is outside {FIRST_DAY.year}–{LAST_DAY.year}")
    return day
