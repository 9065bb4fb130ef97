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


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers only")
def test_an_import_indexes_its_rows_in_bulk_and_leaves_the_trigger_in_place(db):
    from pathlib import Path

    from renkei.directory.importers import run_import

    samples = Path(__file__).resolve().parents[2] / "src" / "renkei" / "directory" / "data" / "samples"
    report = run_import("kaigo", [samples / "kaigo_sample_hachinohe.csv"])
    assert report.added == 300
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'directory_facility_fts_insert'")
        assert cursor.fetchone()[0] == 1
        cursor.execute(
            "SELECT count(*) FROM directory_facility_fts WHERE directory_facility_fts MATCH 'm022039'"
        )
        indexed = cursor.fetchone()[0]
    from renkei.directory.models import Facility

    assert indexed == Facility.objects.filter(municipality__code="022039").count() > 0
    make_facility("白銀ふれあいサロン", "しろがねふれあいさろん", "gathering_place", "022039")
    assert [f.name for f in search_facilities(parse_query({"q": "ふれあいさろん"})).facilities] == [
        "白銀ふれあいサロン"
    ]
