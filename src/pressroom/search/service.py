"""Running a reader's search: the one path the search page, the search API and the bench
take from a SearchRequest to Results (errors become a message, never a 500)."""

import logging
from contextlib import nullcontext

from django.db import DatabaseError, connections, transaction

from pressroom import dbrouter
from pressroom.dbrouter import read_alias

from . import engine
from .models import SearchEntry
from .params import SearchRequest

log = logging.getLogger(__name__)


def run_search(req: SearchRequest, per_page: int = engine.PER_PAGE):
    """Results for a request, or None with an error added when the index cannot answer."""
    # PostgreSQL: a savepoint, so the connection stays usable after an error. Not on SQLite,
    # where errors leave transactions alone and atomic() would take the write lock.
    # On the database the search reads (a replica where there is one).
    alias = read_alias(SearchEntry)
    try:
        return _query(req, per_page, alias)
    except DatabaseError:
        if alias in dbrouter.broken_replicas():  # the replica went away: the primary answers
            dbrouter.mark_down(alias)
            try:
                with dbrouter.use_primary():
                    return _query(req, per_page, "default")
            except DatabaseError:
                pass
        log.exception("search failed for %r", req.q[:200])
        req.errors.append("Search is not working at the moment. Please try again in a few minutes.")
        return None


def _query(req: SearchRequest, per_page: int, alias: str):
    guard = transaction.atomic(using=alias) if connections[alias].vendor == "postgresql" else nullcontext()
    with guard:
        return engine.query(req.q, req.filters, req.sort, req.page, per_page)
