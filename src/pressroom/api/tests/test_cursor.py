"""The API cursor: anything but a cursor it gave out is a 400; a cursor is one index seek."""

import base64

import pytest
from django.db import connection
from django.test import Client

from pressroom.api import queries
from pressroom.releases.models import Release


def cursor_of(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize("raw", [
    "0001-01-01T00:00:00+05:30|5",  # overflows on the way to UTC (was a 500)
    "9999-12-31T23:59:59-05:00|5",  # likewise, the other end
    "9999-12-31T23:59:59+00:00|5",
    "0001-01-01T00:00:00+00:00|5",
    "1899-12-31T23:00:00+00:00|5",
    "2020-01-01T00:00:00|5",  # no offset
    "2020-01-01T00:00:00+05:30|-1",
    "2020-01-01T00:00:00+05:30|99999999999999999999",
    "2020-01-01T00:00:00+05:30",
    "2020-01-01T00:00:00+05:30|5|6",
    "\udcff",
])
def test_a_malformed_or_extreme_cursor_is_a_400_with_a_message(db, raw):
    cursor = cursor_of(raw) if raw != "\udcff" else "_w"  # _w: bytes that are not UTF-8
    r = Client(raise_request_exception=False).get("/api/v1/releases", {"cursor": cursor})
    assert r.status_code == 400, (raw, r.content[:200])
    assert "cursor" in r.json()["detail"]


def test_a_cursor_this_api_gave_out_still_works_at_the_archives_edges(db):
    from datetime import UTC, datetime
    posted, number = queries.decode_cursor(cursor_of("2100-12-31T23:59:59+00:00|1"))
    assert posted == datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC) and number == 1


def keyset_sql():
    from datetime import UTC, datetime
    qs = queries.before(Release.objects.exclude(status=Release.Status.REMOVED)
                        .order_by("-posted_at", "-release_id"),
                        datetime(2020, 1, 1, tzinfo=UTC), 5)[:21]
    return qs.query.sql_with_params()


def test_the_cursor_is_a_row_value_comparison_on_the_keyset_index(db):
    sql, params = keyset_sql()
    assert '("releases_release"."posted_at", "releases_release"."release_id") < (' in sql
    assert " OR " not in sql
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in c.fetchall())
            # One seek, and the index gives the order: no temporary B-tree to sort.
            assert "USING INDEX release_keyset ((posted_at,release_id)<(?,?))" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
        else:
            c.execute("SET LOCAL enable_seqscan = off")  # a test table is small enough to scan
            c.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in c.fetchall())
            assert "Index Scan Backward using release_keyset" in plan, plan
            assert "Index Cond: (ROW(posted_at, release_id) < ROW(" in plan, plan
            assert "Sort" not in plan, plan


def test_the_cursor_walks_ties_on_posted_at_by_release_id(client, sample_archive):
    # Several releases at one minute: the row value must order them exactly as the OR did.
    first = Release.objects.order_by("-posted_at", "-release_id")[3]
    Release.objects.filter(release_id__in=list(Release.objects.order_by("-posted_at", "-release_id")
                                               .values_list("release_id", flat=True)[:10])
                           ).update(posted_at=first.posted_at)
    seen, url = [], "/api/v1/releases?limit=3"
    while url:
        page = client.get(url.removeprefix("http://testserver")).json()
        seen += [item["release_id"] for item in page["items"]]
        url = page["next"]
    assert seen == list(Release.objects.order_by("-posted_at", "-release_id")
                        .values_list("release_id", flat=True))
