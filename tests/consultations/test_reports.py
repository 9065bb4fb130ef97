"""The Excel report and the CSV carry the same numbers as the statistics page."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login


@pytest.fixture
def year_of_records(gonohe_desk, categories):
    dementia, housing = categories["認知症"], categories["住まい"]
    # 令和6年度: April 3 residents + 1 organisation, July 2 organisations; one case before and one after.
    make_consultation(gonohe_desk, tokyo(2024, 4, 1, 0, 0), requester_type="family", categories=[dementia])
    make_consultation(
        gonohe_desk, tokyo(2024, 4, 10, 9, 0), requester_type="self", categories=[dementia, housing]
    )
    make_consultation(gonohe_desk, tokyo(2024, 4, 30, 23, 59), requester_type="resident")
    make_consultation(
        gonohe_desk,
        tokyo(2024, 4, 15, 9, 0),
        requester_type="care_provider",
        requester_institution="ケアプランあおば",
    )
    make_consultation(
        gonohe_desk,
        tokyo(2024, 7, 1, 9, 0),
        requester_type="medical_institution",
        requester_institution="八戸みなと病院",
        status="continuing",
    )
    make_consultation(gonohe_desk, tokyo(2025, 3, 31, 23, 59), requester_type="government", channel="email")
    make_consultation(gonohe_desk, tokyo(2024, 3, 31, 23, 59), requester_type="family")
    make_consultation(gonohe_desk, tokyo(2025, 4, 1, 0, 0), requester_type="family")


def page_totals(client) -> dict[str, list[int]]:
    response = client.get("/consultations/statistics/", {"fiscal_year": 2024})
    html = response.content.decode()
    totals: dict[str, list[int]] = {}
    for key, _index, value in re.findall(r'data-testid="total-([a-z_]+)-(\d)">(\d+)<', html):
        totals.setdefault(key, []).append(int(value))
    return totals


def test_excel_report_has_one_sheet_per_table_and_the_pages_totals(client, dan, year_of_records):
    verified_login(client, dan)
    totals = page_totals(client)
    assert totals["month"] == [3, 3, 6]

    response = client.get("/consultations/statistics.xlsx", {"fiscal_year": 2024})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "令和6年度" in unquote(response["Content-Disposition"])
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 7  # every table with rows gets its bar chart; the referral table is empty
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "概要",
        "月別相談件数（一般住民・支援機関）",
        "相談者別件数",
        "相談内容別件数",
        "相談者の所属機関別件数（上位）",
        "相談経路別件数",
        "対応別件数",
        "紹介先機関別件数（上位）",
        "継続・終結",
    ]
    summary = workbook["概要"]
    assert summary["A1"].value == "令和6年度 相談支援 集計表"
    assert {row[0]: row[1] for row in summary.iter_rows(min_row=3, values_only=True)}["相談件数（新規）"] == 6

    sheet_totals = {}
    for name in workbook.sheetnames[1:]:
        rows = list(workbook[name].iter_rows(values_only=True))
        assert rows[3][0] in {"月", "相談者", "相談内容", "機関名", "経路", "対応", "状況"}
        total_row = next(row for row in rows if row[0] == "合計")
        sheet_totals[name] = [value for value in total_row[1:] if value is not None]
    assert sheet_totals["月別相談件数（一般住民・支援機関）"] == totals["month"]
    assert sheet_totals["相談者別件数"] == totals["requester_type"] == [6]
    assert sheet_totals["相談内容別件数"] == totals["category"] == [3]
    assert sheet_totals["相談者の所属機関別件数（上位）"] == totals["requester_institution"] == [2]
    assert sheet_totals["相談経路別件数"] == totals["channel"] == [6]
    assert sheet_totals["継続・終結"] == totals["status"] == [6]
    months = list(
        workbook["月別相談件数（一般住民・支援機関）"].iter_rows(min_row=5, max_row=16, values_only=True)
    )
    assert months[0] == ("令和6年4月", 3, 1, 4)
    assert months[3] == ("令和6年7月", 0, 1, 1)
    assert months[11] == ("令和7年3月", 0, 1, 1)


def test_csv_is_utf8_with_bom_and_has_the_same_tables(client, dan, year_of_records):
    verified_login(client, dan)
    response = client.get("/consultations/statistics.csv", {"fiscal_year": 2024})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["相談件数（新規）", "6"] in rows
    month_start = rows.index(["月別相談件数（一般住民・支援機関）"])
    assert rows[month_start + 1] == ["月", "一般住民", "支援機関", "合計"]
    assert rows[month_start + 2] == ["令和6年4月", "3", "1", "4"]
    assert rows[month_start + 14] == ["合計", "3", "3", "6"]


def test_page_draws_a_bar_for_every_row(client, dan, year_of_records):
    verified_login(client, dan)
    html = client.get("/consultations/statistics/", {"fiscal_year": 2024}).content.decode()
    month_section = html.split('data-testid="table-month"')[1].split("</section>")[0]
    assert month_section.count("<rect") == 24  # 12 months × (一般住民, 支援機関)
    assert 'class="bar--support"' in month_section


def test_a_reversed_period_is_refused_with_a_japanese_message(client, dan):
    verified_login(client, dan)
    response = client.get("/consultations/statistics/", {"start": "2024-05-01", "end": "2024-04-01"})
    assert response.status_code == 400
    assert "期間の開始日が終了日より後になっています。" in response.content.decode()


def test_an_institution_name_typed_like_a_formula_stays_text_in_excel_and_csv(client, dan, gonohe_desk):
    make_consultation(gonohe_desk, tokyo(2024, 5, 1, 9, 0), requester_institution='=HYPERLINK("http://x")')
    verified_login(client, dan)
    workbook = load_workbook(
        io.BytesIO(client.get("/consultations/statistics.xlsx", {"fiscal_year": 2024}).content)
    )
    cell = workbook["相談者の所属機関別件数（上位）"]["A5"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://x")', "s")
    text = client.get("/consultations/statistics.csv", {"fiscal_year": 2024}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_institution_names_are_escaped_in_the_chart(client, dan, gonohe_desk):
    make_consultation(gonohe_desk, tokyo(2024, 5, 1, 9, 0), requester_institution="<b>病院")
    verified_login(client, dan)
    html = client.get("/consultations/statistics/", {"fiscal_year": 2024}).content.decode()
    chart = html.split('data-testid="table-requester_institution"')[1].split("</svg>")[0]
    assert "&lt;b&gt;病院" in chart
    assert "<b>" not in html
