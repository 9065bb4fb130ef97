"""What the importers write is found by the search (through the full-text index), on both databases."""

from __future__ import annotations

from pathlib import Path

from renkei.directory.importers import run_import
from renkei.directory.services import parse_query, search_facilities

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "renkei" / "directory" / "data" / "samples"


def test_imported_visiting_nurse_stations_are_found_by_kana_in_their_municipality(db):
    report = run_import("kaigo", [SAMPLES / "kaigo_sample_hachinohe.csv"])
    assert report.added > 0
    by_like = search_facilities(parse_query({"q": "訪問看護", "municipality": "022039", "page_size": 500}))
    by_kana = search_facilities(parse_query({"q": "ﾎｳﾓﾝｶﾝｺﾞ", "municipality": "022039", "page_size": 500}))
    assert by_like.count > 0
    assert [f.pk for f in by_kana.facilities] == [f.pk for f in by_like.facilities]
    assert all(f.municipality.code == "022039" for f in by_like.facilities)
    assert all("訪問看護" in f.search_text for f in by_like.facilities)
