"""Where the region has no 24-hour cover: known true, known false and unknown counted apart (unknown
is not false), per 1,000 residents aged 65+, for municipal staff; the Excel export says the same."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from renkei.continuity import services
from renkei.core.models import Region
from renkei.directory.catalog import FacilityStatus
from renkei.directory.models import Facility


def facility(municipality, name, **capabilities) -> Facility:
    return Facility.objects.create(name=name, category="clinic", municipality=municipality, **capabilities)


@pytest.fixture
def facilities(hachinohe, gonohe):
    facility(hachinohe, "A", round_the_clock=True, house_call=True, end_of_life_care=True)
    facility(hachinohe, "B", round_the_clock=True, house_call=False)
    facility(hachinohe, "C", round_the_clock=False)
    facility(hachinohe, "D")  # nothing known
    facility(hachinohe, "E 廃止", round_the_clock=True, status=FacilityStatus.CLOSED)
    facility(gonohe, "F", house_call=True)


def _row(table, code):
    return next(row for row in table if row.municipality.code == code)


def test_the_cover_table_counts_unknown_apart(facilities, bob, alice, hachinohe, gonohe):
    services.record_population(
        alice, hachinohe, {"year": 2025, "aged_65_plus": 40000, "source": "住民基本台帳"}
    )
    services.record_population(bob, gonohe, {"year": 2025, "aged_65_plus": 6000, "source": "住民基本台帳"})
    region = Region.objects.get(slug="hachinohe")
    table = services.cover_table(bob, region)
    hachinohe_row = _row(table, "022039")
    assert [(c.label, c.known_true, c.known_false, c.unknown, c.per_1000) for c in hachinohe_row.covers] == [
        ("24時間対応", 2, 1, 1, Decimal("0.05")),
        ("往診", 1, 1, 2, Decimal("0.03")),
        ("訪問診療", 0, 0, 4, Decimal("0.00")),
        ("看取り", 1, 0, 3, Decimal("0.03")),
    ]
    gonohe_row = _row(table, "024422")
    assert [(c.known_true, c.known_false, c.unknown) for c in gonohe_row.covers][:2] == [(0, 0, 1), (1, 0, 0)]
    assert gonohe_row.covers[1].per_1000 == Decimal("0.17")
    # A municipality without a population figure has no rate, and says so.
    sannohe = _row(table, "024414")
    assert sannohe.population is None and sannohe.covers[0].per_1000 is None

    sheet = load_workbook(io.BytesIO(services.cover_workbook(bob, region))).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["八戸市"][:7] == ("八戸市", 40000, "2025年 住民基本台帳", 2, 1, 1, 0.05)
    assert rows["三戸町"][1:3] == (None, "未入力")


def test_only_municipal_staff_see_it_and_enter_their_own_figure(facilities, bob, carol, hachinohe):
    region = Region.objects.get(slug="hachinohe")
    with pytest.raises(PermissionDenied):
        services.cover_table(carol, region)
    with pytest.raises(PermissionDenied):
        services.record_population(bob, hachinohe, {"year": 2025, "aged_65_plus": 1, "source": "x"})


def test_a_second_figure_for_the_same_year_replaces_the_first(bob, gonohe):
    services.record_population(bob, gonohe, {"year": 2025, "aged_65_plus": 6000, "source": "住民基本台帳"})
    services.record_population(bob, gonohe, {"year": 2025, "aged_65_plus": 6100, "source": "訂正"})
    services.record_population(bob, gonohe, {"year": 2024, "aged_65_plus": 5900, "source": "住民基本台帳"})
    latest = services.cover.latest_populations([gonohe.pk])[gonohe.pk]
    assert (latest.year, latest.aged_65_plus, latest.source) == (2025, 6100, "訂正")


def test_the_page_and_the_export(facilities, bob, client):
    client.force_login(bob)
    page = client.get("/continuity/cover/")
    assert page.status_code == 200
    assert "2／1／1" in page.content.decode()
    response = client.get("/continuity/cover.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
