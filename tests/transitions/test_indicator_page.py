"""The staff's 入退院 indicators for a 年度, by month and by hospital, counted by hand: who sees them
(the region administrator: the region; municipality staff: their municipality; nobody else), the
page, and its Excel file."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from renkei.transitions.models import Episode
from renkei.transitions.services import record_progress
from renkei.transitions.services.indicators import indicators_for
from tests.sharing.conftest import register
from tests.transitions.conftest import admit, tokyo


@pytest.fixture
def year_2024(cm, patient, gonohe):
    """年度2024 (default rule: the sheet by the second day after admission; 加算（Ⅰ）: the day itself
    when admitted in office hours on a business day):
    A 八戸市, テスト市民病院, admitted Tue 2024-05-07 10:00, sent 5/7 15:00 (rule ✓, 加算Ⅰ ✓);
      discharged 6/1, contact due 5/28, contacted 5/28 20:00 (✓).
    B 八戸市, 別の病院, admitted Mon 2024-05-13 10:00, sent 5/14 09:00 (rule ✓, 加算Ⅰ ✗);
      discharged 6/10, contact due 6/5, contacted 6/6 (✗).
    C 五戸町, テスト市民病院, admitted 2024-07-01 10:00, never sent (✗ ✗), still in hospital.
    D 八戸市, admitted 2025-04-01: 年度2025, not counted."""
    a = admit(cm, patient, tokyo(2024, 5, 7, 10))
    record_progress(cm, a.pk, "admission_info", tokyo(2024, 5, 7, 15))
    b = admit(cm, patient, tokyo(2024, 5, 13, 10), hospital_name="別の病院")
    record_progress(cm, b.pk, "admission_info", tokyo(2024, 5, 14, 9))
    gonohe_patient = register(
        cm,
        full_name="架空 五郎",
        full_name_kana="かくう ごろう",
        birth_date=date(1939, 3, 3),
        municipality=gonohe,
    )
    admit(cm, gonohe_patient, tokyo(2024, 7, 1, 10))
    admit(cm, patient, tokyo(2025, 4, 1, 10))
    Episode.objects.filter(pk=a.pk).update(
        discharged_on=date(2024, 6, 1), discharge_contact_due=date(2024, 5, 28),
        discharge_contacted_at=tokyo(2024, 5, 28, 20), status="discharged",
    )  # fmt: skip
    Episode.objects.filter(pk=b.pk).update(
        discharged_on=date(2024, 6, 10), discharge_contact_due=date(2024, 6, 5),
        discharge_contacted_at=tokyo(2024, 6, 6, 9), status="discharged",
    )  # fmt: skip


def _figures(row):
    return (row.label, str(row.admission_info), str(row.admission_bonus), str(row.discharge_contact))


def test_the_region_administrator_sees_the_region_by_month_and_by_hospital(alice, year_2024):
    figures = indicators_for(alice, 2024)
    assert figures.scope == "八戸地域保健医療圏域" and figures.label == "令和6年度"
    months = [_figures(row) for row in figures.months]
    assert len(months) == 12 and months[0][0] == "令和6年4月" and months[-1][0] == "令和7年3月"
    assert months[0] == ("令和6年4月", "0/0（—）", "0/0（—）", "0/0（—）")
    assert months[1] == ("令和6年5月", "2/2（100.0%）", "1/2（50.0%）", "0/0（—）")
    assert months[2] == ("令和6年6月", "0/0（—）", "0/0（—）", "1/2（50.0%）")
    assert months[3] == ("令和6年7月", "0/1（0.0%）", "0/1（0.0%）", "0/0（—）")
    assert _figures(figures.total) == ("合計", "2/3（66.7%）", "1/3（33.3%）", "1/2（50.0%）")
    assert [_figures(row) for row in figures.hospitals] == [
        ("テスト市民病院", "1/2（50.0%）", "1/2（50.0%）", "1/1（100.0%）"),
        ("別の病院", "1/1（100.0%）", "0/1（0.0%）", "0/1（0.0%）"),
    ]
    assert figures.total.admission_info.percent == 66.7
    assert figures.months[0].admission_info.percent is None


def test_municipality_staff_see_their_municipality_only(bob, year_2024):
    figures = indicators_for(bob, 2024)
    assert figures.scope == "五戸町"
    assert _figures(figures.total) == ("合計", "0/1（0.0%）", "0/1（0.0%）", "0/0（—）")
    assert [_figures(row) for row in figures.hospitals] == [
        ("テスト市民病院", "0/1（0.0%）", "0/1（0.0%）", "0/0（—）")
    ]


def test_care_teams_and_hospitals_never_see_the_indicators(cm, liaison, carol, year_2024, client):
    for user in (cm, liaison, carol):
        with pytest.raises(PermissionDenied):
            indicators_for(user, 2024)
        client.force_login(user)
        assert client.get("/transitions/indicators/").status_code == 403
        assert client.get("/transitions/indicators.xlsx").status_code == 403
        assert "入退院調整の指標" not in client.get("/").content.decode()


def test_the_page_and_its_excel_file(alice, year_2024, client):
    client.force_login(alice)
    page = client.get("/transitions/indicators/", {"fiscal_year": 2024}).content.decode()
    assert "令和6年度" in page and "2/3（66.7%）" in page and "別の病院" in page
    assert "架空" not in page  # no patient named
    assert "入退院調整の指標" in client.get("/").content.decode()  # the menu entry
    response = client.get("/transitions/indicators.xlsx", {"fiscal_year": 2024})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["月別", "病院別"]
    rows = [list(row) for row in workbook["病院別"].iter_rows(values_only=True)]
    assert rows[1:] == [
        ["テスト市民病院", 2, 1, 50.0, 1, 50.0, 1, 1, 100.0],
        ["別の病院", 1, 1, 100.0, 0, 0.0, 1, 0, 0.0],
        ["合計", 3, 2, 66.7, 1, 33.3, 2, 1, 50.0],
    ]
    april = [list(row) for row in workbook["月別"].iter_rows(values_only=True)][1]
    assert april == ["令和6年4月", 0, 0, None, 0, None, 0, 0, None]
