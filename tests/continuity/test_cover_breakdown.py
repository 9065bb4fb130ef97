"""The cover table per 日常生活圏域 or 町字 (「不明」 where the 町字 is not known or lies in no 圏域), read
from the summary table, which stays correct after a staff edit, a deletion and an import."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from openpyxl import load_workbook

from renkei.continuity import services
from renkei.continuity.models import CoverCount
from renkei.continuity.services import cover_areas, cover_summary
from renkei.continuity.services._common import ContinuityError
from renkei.core.models import Region
from renkei.directory.catalog import FacilityStatus
from renkei.directory.importers import run_import
from renkei.directory.models import Facility
from renkei.directory.services import save_facility
from tests.directory.conftest import kaigo_file, kaigo_row


def _facility(municipality, name, address, **capabilities) -> Facility:
    return Facility.objects.create(
        name=name, category="clinic", municipality=municipality, address=address, **capabilities
    )


def _areas(bob, code):
    table = services.cover_table(bob, Region.objects.get(slug="hachinohe"))
    row = next(row for row in table if row.municipality.code == code)
    return row, {
        area.name: [(c.known_true, c.known_false, c.unknown) for c in area.covers] for area in row.areas
    }


def _summary() -> set[tuple[int, str, str, str, int]]:
    return set(
        CoverCount.objects.exclude(count=0).values_list(
            "municipality_id", "town", "capability", "state", "count"
        )
    )


@pytest.fixture
def gonohe_facilities(gonohe):
    _facility(gonohe, "A", "青森県三戸郡五戸町字古堂1-1", round_the_clock=True, house_call=True)
    _facility(gonohe, "B", "五戸町大字浅水字浅水10", round_the_clock=False)
    _facility(gonohe, "C", "古堂5", end_of_life_care=True)  # the 町字 alone
    _facility(gonohe, "D", "どこか遠く1")  # no 町字 recognised
    _facility(gonohe, "E", "", round_the_clock=True)  # no address at all
    _facility(gonohe, "F 廃止", "古堂9", round_the_clock=True, status=FacilityStatus.CLOSED)


def test_without_living_areas_the_breakdown_is_per_town(gonohe_facilities, bob):
    row, areas = _areas(bob, "024422")
    assert not row.by_living_area
    # capabilities in order: 24時間対応, 往診, 訪問診療, 看取り — (あり, なし, 不明)
    assert areas == {
        "浅水": [(0, 1, 0), (0, 0, 1), (0, 0, 1), (0, 0, 1)],
        "古堂": [(1, 0, 1), (1, 0, 1), (0, 0, 2), (1, 0, 1)],
        "不明": [(1, 0, 1), (0, 0, 2), (0, 0, 2), (0, 0, 2)],
    }
    first = row.covers[0]
    assert (first.known_true, first.known_false, first.unknown) == (2, 1, 2)


def test_with_living_areas_the_breakdown_is_per_area_and_unlisted_towns_are_unknown(
    gonohe_facilities, bob, gonohe
):
    cover_areas.save_living_area(bob, gonohe, "五戸中央圏域", ["古堂", "大字豊間内"])
    cover_areas.save_living_area(bob, gonohe, "倉石圏域", ["倉石中市"])
    row, areas = _areas(bob, "024422")
    assert row.by_living_area
    assert list(areas) == ["五戸中央圏域", "倉石圏域", "不明"]
    assert areas["五戸中央圏域"] == [(1, 0, 1), (1, 0, 1), (0, 0, 2), (1, 0, 1)]
    assert areas["倉石圏域"] == [(0, 0, 0)] * 4
    # 浅水 is in no 圏域: counted under 不明 with the facilities whose 町字 is unknown.
    assert areas["不明"] == [(1, 1, 1), (0, 0, 3), (0, 0, 3), (0, 0, 3)]

    sheet = load_workbook(io.BytesIO(services.cover_workbook(bob, Region.objects.get(slug="hachinohe"))))[
        "圏域・町字別"
    ]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] == "五戸町"]
    assert rows[0][:6] == ("五戸町", "日常生活圏域", "五戸中央圏域", 1, 0, 1)
    assert rows[2][:6] == ("五戸町", "日常生活圏域", "不明", 1, 1, 1)


def test_living_areas_take_only_the_municipalitys_towns_each_once(bob, carol, gonohe, hachinohe):
    with pytest.raises(ContinuityError, match="五戸町に無い町字です: 湊町"):
        cover_areas.save_living_area(bob, gonohe, "X", ["湊町"])
    cover_areas.save_living_area(bob, gonohe, "X", ["古堂"])
    with pytest.raises(ContinuityError, match="ほかの圏域に含まれている町字です: 古堂（X）"):
        cover_areas.save_living_area(bob, gonohe, "Y", ["字古堂"])
    with pytest.raises(PermissionDenied):
        cover_areas.save_living_area(bob, hachinohe, "Z", ["湊町"])
    with pytest.raises(PermissionDenied):
        cover_areas.save_living_area(carol, gonohe, "Z", ["浅水"])


def test_the_summary_follows_an_edit_a_closure_and_a_deletion(gonohe_facilities, bob, alice, gonohe):
    a = Facility.objects.get(name="A")
    a.round_the_clock = None
    a.address = "浅水3"
    save_facility(a, service_codes=None, user=alice)
    _, areas = _areas(bob, "024422")
    assert areas["浅水"][0] == (0, 1, 1) and areas["古堂"][0] == (0, 0, 1)
    b = Facility.objects.get(name="B")
    b.status = FacilityStatus.CLOSED
    save_facility(b, service_codes=None, user=alice)
    Facility.objects.get(name="C").delete()
    _, areas = _areas(bob, "024422")
    assert areas["浅水"] == [(0, 0, 1), (1, 0, 0), (0, 0, 1), (0, 0, 1)]
    assert "古堂" not in areas
    before = _summary()
    call_command("continuity", "rebuild-cover", stdout=io.StringIO())
    assert _summary() == before


def test_the_summary_follows_an_import(db, bob):
    report = run_import("kaigo", [kaigo_file([kaigo_row()])])
    assert report.written and report.added == 1
    _, areas = _areas(bob, "024422")
    assert areas == {"古堂": [(0, 0, 1)] * 4}
    # The same station moved to 浅水 by the next file; a second station with no known 町字.
    report = run_import(
        "kaigo",
        [
            kaigo_file(
                [
                    kaigo_row(住所="青森県三戸郡五戸町大字浅水字浅水1"),
                    kaigo_row(住所="青森県三戸郡五戸町", 事業所番号="0291000002", No="0291000002",
                              事業所名="第二ステーション", 電話番号="0178-62-0002"),
                ]
            )
        ],
    )  # fmt: skip
    assert report.written
    _, areas = _areas(bob, "024422")
    assert areas == {"浅水": [(0, 0, 1)] * 4, "不明": [(0, 0, 1)] * 4}
    before = _summary()
    assert cover_summary.recompute() == 2
    assert _summary() == before
