from __future__ import annotations

import pytest
from django.db import connection

from renkei.directory.search_index import ensure_sqlite_search_index
from renkei.directory.services import parse_query, search_facilities
from tests.directory.search_fixtures import make_facility


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's index is a plain expression index")
def test_lost_triggers_come_back_and_the_index_is_rebuilt(directory):
    # What Django's SQLite table rebuild (AlterField…) does to the table's triggers:
    with connection.cursor() as cursor:
        for name in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER directory_facility_fts_{name}")
        cursor.execute("DELETE FROM directory_facility_fts")
    assert ensure_sqlite_search_index(connection) is True
    assert ensure_sqlite_search_index(connection) is False

    make_facility("白銀ふれあいサロン", "しろがねふれあいさろん", "gathering_place", "022039")
    found = search_facilities(parse_query({"q": "ふれあい"})).facilities
    assert [f.name for f in found] == ["白銀ふれあいサロン"]
    assert [f.name for f in search_facilities(parse_query({"q": "訪問看護"})).facilities] == [
        "櫛引訪問看護ステーション",
        "五戸ナースステーション",
        "みなと訪問看護ステーション",
    ]
