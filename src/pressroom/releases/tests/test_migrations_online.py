"""Indexes added to the archive's big tables are built without locking writers out."""

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)  # sqlmigrate opens a schema editor
def test_the_updated_at_indexes_are_built_concurrently_on_postgresql(capsys):
    call_command("sqlmigrate", "releases", "0010")
    sql = capsys.readouterr().out
    assert 'CREATE INDEX' in sql and "version_updated" in sql and "release_updated" in sql
    if connection.vendor == "postgresql":
        assert sql.count("CREATE INDEX CONCURRENTLY") == 2 and "BEGIN" not in sql
    else:
        assert "CONCURRENTLY" not in sql
