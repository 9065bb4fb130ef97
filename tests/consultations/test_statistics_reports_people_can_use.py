"""Statistics: an invalid period shows the error with no figures and no export buttons; institutions
of the same name are told apart by their municipality (tables, charts, Excel); the 概要 sheet carries
the 一般住民/支援機関 split; every sheet prints on A4, fit to width, its title rows repeated."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login
from tests.directory.search_fixtures import make_facility


def test_an_invalid_period_shows_the_error_and_no_figures(client, dan, gonohe_desk):
    make_consultation(gonohe_desk, tokyo(2024, 4, 10, 9, 0))
    verified_login(client, dan)

    response = client.get("/consultations/statistics/", {"start": "2024-05-01", "end": "2024-04-01"})

    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-summary"' in page
    assert "期間の開始日が終了日より後になっています。" in page
    assert 'data-testid="total"' not in page and "Excelで出力" not in page and "CSVで出力" not in page
    assert "<svg" not in page


def test_institutions_of_the_same_name_are_told_apart_by_municipality(client, dan, gonohe_desk):
    hachinohe = make_facility("たかはしクリニック", "たかはしくりにっく", "clinic", "022039")
    gonohe = make_facility("たかはしクリニック", "たかはしくりにっく", "clinic", "024422")
    for facility, times in ((hachinohe, 2), (gonohe, 1)):
        for _ in range(times):
            make_consultation(
                gonohe_desk,
                tokyo(2024, 5, 1, 9, 0),
                response="referral",
                referred_institution=facility.name,
                referred_facility=facility,
            )
    verified_login(client, dan)

    page = client.get("/consultations/statistics/", {"fiscal_year": 2024}).content.decode()
    section = page.split('data-testid="table-referred_institution"')[1].split("</section>")[0]
    assert "たかはしクリニック（八戸市）" in section and "たかはしクリニック（五戸町）" in section

    workbook = load_workbook(
        io.BytesIO(client.get("/consultations/statistics.xlsx", {"fiscal_year": 2024}).content)
    )
    sheet = workbook["紹介先機関別件数（上位）"]
    assert [(sheet["A5"].value, sheet["B5"].value), (sheet["A6"].value, sheet["B6"].value)] == [
        ("たかはしクリニック（八戸市）", 2),
        ("たかはしクリニック（五戸町）", 1),
    ]


def test_the_summary_sheet_splits_residents_and_support_organisations(client, dan, gonohe_desk):
    make_consultation(gonohe_desk, tokyo(2024, 4, 10, 9, 0), requester_type="family")
    make_consultation(gonohe_desk, tokyo(2024, 4, 11, 9, 0), requester_type="self")
    make_consultation(gonohe_desk, tokyo(2024, 4, 12, 9, 0), requester_type="care_provider")
    verified_login(client, dan)

    workbook = load_workbook(
        io.BytesIO(client.get("/consultations/statistics.xlsx", {"fiscal_year": 2024}).content)
    )

    rows = {row[0]: row[1] for row in workbook["概要"].iter_rows(values_only=True) if row and row[0]}
    assert (rows["相談件数（新規）"], rows["うち一般住民"], rows["うち支援機関"]) == (3, 2, 1)
    for sheet in workbook.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    table = workbook["月別相談件数（一般住民・支援機関）"]
    assert table.print_title_rows == "$1:$4"
