"""pressroom.sortondisk: whole-table sorts by the system's SQLite in a process of its own."""

import random
import sqlite3 as project_sqlite  # what pressroom.__init__ made it: the bundled SQLite

import pytest
from django.db import connection, transaction

from pressroom.sortondisk import run_in_file, run_on_disk


def shuffled_table(path, n=20_000):
    con = project_sqlite.connect(path)
    rows = list(range(n))
    random.Random(4).shuffle(rows)
    con.execute("CREATE TABLE t (k INTEGER, v TEXT)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(k, f"v{k}") for k in rows])
    con.commit()
    con.close()


def indexes(path):
    con = project_sqlite.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        con.close()


def test_an_index_is_built_in_the_file_by_another_process(tmp_path):
    db = tmp_path / "a.sqlite3"
    shuffled_table(db)
    assert run_in_file(db, "CREATE INDEX t_k ON t (k)")
    assert indexes(db) == {"t_k"}
    con = project_sqlite.connect(db)
    plan = " ".join(str(r) for r in con.execute("EXPLAIN QUERY PLAN SELECT v FROM t WHERE k = 7"))
    assert "t_k" in plan and con.execute("SELECT v FROM t WHERE k = 7").fetchone() == ("v7",)


def test_a_failing_script_writes_nothing_and_says_so(tmp_path):
    db = tmp_path / "a.sqlite3"
    shuffled_table(db, 100)
    assert not run_in_file(db, "BEGIN IMMEDIATE; DELETE FROM t; CREATE INDEX t_k ON t (k); "
                               "SELECT no_such_column FROM t; COMMIT;")
    con = project_sqlite.connect(db)
    assert con.execute("SELECT COUNT(*) FROM t").fetchone() == (100,)
    assert indexes(db) == set()


@pytest.mark.django_db
def test_not_inside_a_transaction_of_the_connection():
    # The other process would wait for this transaction's lock: the caller does it itself.
    with transaction.atomic():
        assert not run_on_disk(connection, "SELECT 1")


@pytest.mark.django_db(transaction=True)
def test_the_connections_own_file_when_it_is_sqlite():
    if connection.vendor != "sqlite":
        assert not run_on_disk(connection, "SELECT 1")
        return
    assert run_on_disk(connection, "BEGIN IMMEDIATE; CREATE TABLE sortondisk_probe (x); "
                                   "INSERT INTO sortondisk_probe VALUES (42); COMMIT;")
    with connection.cursor() as c:
        c.execute("SELECT x FROM sortondisk_probe")
        assert c.fetchall() == [(42,)]
        c.execute("DROP TABLE sortondisk_probe")
