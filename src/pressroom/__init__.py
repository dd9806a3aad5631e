"""Pressroom: a press-release publishing and archive platform."""


def _use_bundled_sqlite() -> None:
    """Use the SQLite that pysqlite3-binary bundles (3.51) instead of the system's (3.40 on
    Debian 12), where that wheel is installed: FTS5 ``contentless_delete`` (3.43+) lets the
    search index keep no copy of the text it indexes -- less than half the size -- and still
    delete rows. Elsewhere the system's SQLite serves, with the larger index
    (search/migrations/0004)."""
    import sys

    try:
        import pysqlite3
        import pysqlite3.dbapi2
    except ImportError:
        return
    sys.modules["sqlite3"] = pysqlite3
    sys.modules["sqlite3.dbapi2"] = pysqlite3.dbapi2


_use_bundled_sqlite()
