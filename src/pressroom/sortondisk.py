"""Statements that sort a whole table (an index built, a table rewritten in order), run by
the system's SQLite in a process of its own, so that the sort goes through temporary files.

The bundled SQLite (pysqlite3-binary) is built to keep every temporary thing in memory
(SQLITE_TEMP_STORE=3, which ``PRAGMA temp_store`` cannot change): an index built over the
shingles of a two-million archive took 317 MB and 71 s that way, against 15 MB and 7 s
through files; copying the search index's size table aside to rewrite it in order took
12 MB per 100,000 releases, so about 240 MB at 2M (a 2M import's peak RSS was 521 MB
where the steady state is about 190). Two copies of SQLite must never open one file in one
process (their POSIX locks would cancel each other), hence the process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_RUN = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=600, isolation_level=None)
con.execute("PRAGMA temp_store=FILE")
try:
    con.executescript(sys.argv[2])
except BaseException:
    if con.in_transaction:
        con.execute("ROLLBACK")
    raise
finally:
    con.close()
"""


def run_on_disk(connection, script: str) -> bool:
    """Run ``script`` (SQL statements; one transaction where it says BEGIN ... COMMIT) on the
    connection's database file by the system's SQLite. False, with nothing written, where it
    cannot be: not SQLite, a database in memory, inside a transaction of ``connection`` (the
    other process would wait for it), no system SQLite, or the script failed. The caller
    then runs the same statements itself."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return False
    name = str(connection.settings_dict["NAME"])
    if "mode=memory" in name or not Path(name).is_file():
        return False
    return run_in_file(Path(name), script)


def run_in_file(path: Path, script: str) -> bool:
    """``script`` on the database file at ``path`` by the system's SQLite: True when done."""
    # -I: the standard library's sqlite3 (the system's SQLite), not this project's path.
    done = subprocess.run([sys.executable, "-I", "-c", _RUN, str(path), script],
                          capture_output=True, text=True)
    return done.returncode == 0
