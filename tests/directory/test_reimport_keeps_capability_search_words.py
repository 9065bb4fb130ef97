from __future__ import annotations

from renkei.directory.importers import run_import
from renkei.directory.models import Facility
from renkei.directory.services import parse_query, search_facilities
from tests.directory.conftest import kaigo_file, kaigo_row


def found_by(text: str) -> list[str]:
    return [f.care_office_number for f in search_facilities(parse_query({"q": text})).facilities]


def test_a_station_marked_round_the_clock_is_still_found_by_24_hours_after_a_new_official_file(db):
    run_import("kaigo", [kaigo_file([kaigo_row()])])
    station = Facility.objects.get(care_office_number="0291000001")
    # Staff mark it 24時間対応 (a fact no official file carries), as the edit form does.
    station.round_the_clock = True
    station.set_search_fields()
    station.save()
    assert found_by("訪問看護 24時間") == ["0291000001"]

    # The next official file changes only the phone number.
    report = run_import("kaigo", [kaigo_file([kaigo_row(電話番号="0178-62-9999")])])

    assert report.updated == 1
    assert found_by("訪問看護 24時間") == ["0291000001"]
