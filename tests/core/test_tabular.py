"""The one strict reader of uploaded tables: CSV in UTF-8 or CP932, Excel workbooks, zips of CSVs."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from renkei.core.services import RuleError
from renkei.core.tabular import EmptyTable, Limits, TableError, TableFile, cell_text, read_table, zip_members

ROWS = [["名前", "電話"], ["八戸　髙橋医院", "0178-22-1234"], ["①号棟㈱", "0178"]]


def csv_text() -> str:
    return "".join(",".join(row) + "\r\n" for row in ROWS)


def rows_of(name: str, data: bytes) -> tuple[list, list]:
    table = read_table(TableFile.from_bytes(name, data))
    return table.header, [values for _, values in table.rows]


@pytest.mark.parametrize(
    "data",
    [csv_text().encode("utf-8"), b"\xef\xbb\xbf" + csv_text().encode("utf-8"), csv_text().encode("cp932")],
    ids=["utf-8", "utf-8 with BOM", "cp932"],
)
def test_utf8_with_or_without_bom_and_cp932_read_the_same(data):
    header, rows = rows_of("a.csv", data)
    assert [header, *rows] == ROWS


def test_euc_jp_is_refused_never_guessed():
    # charset_normalizer guesses this right; the policy still refuses it (a guess may be wrong).
    data = "名前,相談内容\r\n認知症の相談,訪問看護ステーション\r\n".encode("euc_jp")
    with pytest.raises(TableError, match=r"^old\.csv の文字コードを判別できません"):
        rows_of("old.csv", data)


def test_utf16_and_a_broken_utf8_file_are_refused_with_advice():
    with pytest.raises(TableError, match="UTF-16"):
        rows_of("u16.csv", csv_text().encode("utf-16"))
    with pytest.raises(TableError, match="UTF-8 と書かれていますが"):
        rows_of("bom.csv", b"\xef\xbb\xbf" + csv_text().encode("utf-8") + "髙".encode("cp932"))


@pytest.mark.parametrize(
    "name,data,kind",
    [
        ("report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG 画像"),
        ("scan.xlsx", b"\xff\xd8\xff\xe0\x00\x10JFIF", "Excel"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "古いExcel形式（.xls）"),
        ("word.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "古いExcel形式（.xls）"),
    ],
)
def test_a_file_that_is_neither_csv_nor_excel_is_named_as_such(name, data, kind):
    with pytest.raises(TableError) as refused:
        rows_of(name, data)
    assert refused.value.message.startswith(name)
    assert kind in refused.value.message
    assert "CSV" in refused.value.message


def test_every_refusal_is_a_rule_error_with_a_japanese_message():
    with pytest.raises(RuleError) as refused:
        rows_of("x.xlsx", b"PK\x03\x04garbage")
    assert refused.value.message == (
        "x.xlsx は壊れた Excel ファイルです（開けません）。"
        "Excel で開けるか確認し、「Excel ブック（.xlsx）」か CSV で保存し直してください。"
    )
    with pytest.raises(EmptyTable, match="空のファイルです"):
        rows_of("empty.csv", b"")
    with pytest.raises(EmptyTable, match="データがありません"):
        rows_of("blank.csv", b"\r\n,,\r\n")


def workbook_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_cells_keep_their_types_and_a_date_and_time_its_time():
    received = datetime(2024, 4, 8, 10, 30)
    data = workbook_bytes(
        [[], ["受付日時", "件数"], [received, 3], [None, None], [datetime(2024, 4, 9), 2.0]]
    )
    table = read_table(TableFile.from_bytes("sheet.xlsx", data))
    assert (table.header, table.header_row) == (["受付日時", "件数"], 2)
    rows = list(table.rows)
    assert rows == [(3, [received, 3]), (5, [datetime(2024, 4, 9), 2.0])]
    assert [cell_text(value) for value in rows[0][1]] == ["2024-04-08 10:30:00", "3"]
    assert [cell_text(value) for value in rows[1][1]] == ["2024-04-09", "2"]


def test_blank_lines_above_the_header_count_in_the_row_numbers():
    table = read_table(TableFile.from_bytes("a.csv", ("\r\n,,\r\n" + csv_text()).encode()))
    assert table.header_row == 3
    assert [number for number, _ in table.rows] == [4, 5]


def test_more_rows_than_allowed_are_refused_while_reading():
    table = read_table(TableFile.from_bytes("a.csv", csv_text().encode()), Limits.from_settings(max_rows=1))
    with pytest.raises(TableError, match="一度に取り込めるのは1行までです"):
        list(table.rows)


def test_a_zip_of_csvs_opens_into_its_members_each_read_by_the_same_policy():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/01-1_hospital_facility_info.csv", csv_text().encode("cp932"))
        archive.writestr("data/02-1_clinic_facility_info.csv", b"\xef\xbb\xbf" + csv_text().encode())
        archive.writestr("readme.txt", "説明")
    members = zip_members(TableFile.from_bytes("iryo.zip", buffer.getvalue()))
    assert [member.name for member in members] == [
        "iryo.zip:01-1_hospital_facility_info.csv",
        "iryo.zip:02-1_clinic_facility_info.csv",
    ]
    for member in members:
        table = read_table(member)
        assert [table.header, *(values for _, values in table.rows)] == ROWS


def test_a_zip_that_is_not_a_table_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "説明")
    data = buffer.getvalue()
    with pytest.raises(TableError, match="の中に CSV ファイルがありません"):
        zip_members(TableFile.from_bytes("x.zip", data))
    with pytest.raises(TableError, match="zip ファイルです"):
        rows_of("x.zip", data)
    with pytest.raises(TableError, match="壊れた zip ファイル"):
        zip_members(TableFile.from_bytes("x.zip", b"PK\x03\x04" + b"\x00" * 200))
