"""The regional table generated in the seed's layout: the Excel re-read cell by cell, the PDF's text."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from renkei.reports.items import Item
from renkei.reports.models import ActivityEntry, ReportRound
from renkei.reports.seed_data import shipped_text
from renkei.reports.services import entries
from renkei.reports.services.importing import import_seed

ORDER = ["八戸市", "おいらせ町", "三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村"]
SHEETS = ["旧ア", "旧イ", "旧ウ", "旧エ", "旧オ", "旧カ", "旧キ"]
HEADERS = ("市町村名", "具体的内容", "課題", "医師会・医療機関に協力を依頼している内容")


@pytest.fixture
def report_round(region):
    from datetime import date

    return import_seed(None, region, date(2021, 12, 31), shipped_text(), source="seed").report_round


def _export(fmt: str, tmp_path) -> bytes:
    target = tmp_path / f"table.{fmt}"
    call_command(
        "reports", "export", "--region", "hachinohe", "--as-of", "2021-12-31", "--format", fmt, str(target),
        stdout=StringIO(),
    )  # fmt: skip
    return target.read_bytes()


def test_the_workbook_has_the_seeds_layout_cell_by_cell(report_round, tmp_path):
    workbook = load_workbook(io.BytesIO(_export("xlsx", tmp_path)))
    assert workbook.sheetnames == SHEETS
    sheet = workbook["旧ア"]
    assert sheet["A1"].value == "（旧ア）地域の医療・介護の資源の把握"
    assert sheet["D1"].value == "Ｒ3.12.末日時点"
    assert tuple(cell.value for cell in sheet[2]) == HEADERS
    assert [sheet.cell(row, 1).value for row in range(3, 11)] == ORDER
    assert sheet.max_row == 10
    # Written out by hand from the seed.
    assert sheet["B10"].value == "・マップの運用（H30.3月に更新）"
    assert sheet["C10"].value == "・情報更新をどのように行うか。"
    assert sheet["D10"].value == "・はちのへ医療・介護連携マップの運用を八戸医師会へ依頼している。"
    assert workbook["旧オ"]["A1"].value == "（旧オ）在宅医療・介護連携に関する相談支援"
    assert workbook["旧オ"]["D3"].value == "・在宅療養相談窓口の設置・運営を委託"
    assert workbook["旧キ"]["C3"].value == "・特になし"
    assert (
        sheet["A7"].comment.text
        == "未分類:\n【列を判別できなかった記載（課題または医師会・医療機関への依頼）】\n・マップの定期更新"
    )


def test_every_cell_is_the_stored_answer(report_round, tmp_path):
    workbook = load_workbook(io.BytesIO(_export("xlsx", tmp_path)))
    for sheet_name, item in zip(
        SHEETS, [Item.A, Item.I, Item.U, Item.E, Item.O, Item.KA, Item.KI], strict=True
    ):
        sheet = workbook[sheet_name]
        for row, name in enumerate(ORDER, start=3):
            entry = ActivityEntry.objects.get(round=report_round, item=item, municipality__name=name)
            cells = [sheet.cell(row, column).value or "" for column in range(2, 5)]
            assert cells == [entry.activities, entry.issues, entry.requests], (sheet_name, name)


def test_text_starting_like_a_formula_stays_text(region, alice, bob, tmp_path):
    from datetime import date

    report_round = entries.open_round(alice, region, date(2021, 12, 31))
    entry = ActivityEntry.objects.get(round=report_round, municipality__code="024422", item=Item.A)
    entries.save_entry(bob, entry, entries.EntryInput(activities="=1+1"))
    sheet = load_workbook(io.BytesIO(_export("xlsx", tmp_path)))["旧ア"]
    assert sheet["B6"].value == "'=1+1"
    assert sheet["B6"].data_type == "s"


def test_the_pdf_is_a4_landscape_with_the_table_and_repeated_headings(report_round, tmp_path):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(_export("pdf", tmp_path))) as pdf:
        first = pdf.pages[0]
        assert round(first.width) > round(first.height)  # landscape
        assert (round(first.width * 25.4 / 72), round(first.height * 25.4 / 72)) == (297, 210)
        texts = [page.extract_text() or "" for page in pdf.pages]
    whole = "\n".join(texts)
    for title in ("（旧ア）地域の医療・介護の資源の把握", "（旧キ）地域住民への普及啓発", "Ｒ3.12.末日時点"):
        assert title in whole
    assert "はちのへ圏域医療・介護連携" in whole
    assert "一般住民17件" in whole
    assert len(texts) > 7
    assert all("市町村名" in text and "具体的内容" in text for text in texts)  # headings on every page


def test_the_page_offers_both_files(client, alice, report_round):
    client.force_login(alice)
    page = client.get(f"/reports/{report_round.pk}/").content.decode()
    assert f'href="/reports/{report_round.pk}/export.xlsx"' in page
    response = client.get(f"/reports/{report_round.pk}/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames == SHEETS
    assert client.get(f"/reports/{report_round.pk}/export.csv").status_code == 404
    assert ReportRound.objects.count() == 1


def test_exporting_a_survey_that_does_not_exist_is_refused(region, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="2020-03-31時点の調査はありません"):
        call_command(
            "reports", "export", "--region", "hachinohe", "--as-of", "2020-03-31", "--format", "pdf",
            str(tmp_path / "x.pdf"),
        )  # fmt: skip
    assert not (tmp_path / "x.pdf").exists()
