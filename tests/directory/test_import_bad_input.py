from __future__ import annotations

import csv
import io
import random

from renkei.directory.importers import InputFile, run_import, write_rejected_csv
from renkei.directory.models import Facility
from tests.directory.conftest import IRYO_FILES, KAIGO_HEADER, csv_bytes, kaigo_file, kaigo_row


def test_an_empty_file_is_refused_in_japanese(db):
    report = run_import("kaigo", [InputFile.from_bytes("empty.csv", b"")])
    assert report.refused == "empty.csv は空のファイルです。"
    assert not report.written and Facility.objects.count() == 0


def test_a_file_with_only_blank_lines_has_no_data(db):
    report = run_import("kaigo", [InputFile.from_bytes("blank.csv", b"\r\n\r\n")])
    assert report.refused == "blank.csv にはデータがありません（空のファイルです）。"


def test_a_medical_file_given_as_kaigo_is_recognised_by_its_headers(db):
    report = run_import("kaigo", [IRYO_FILES[0]])
    assert "医療情報ネットのファイルです" in report.refused
    assert Facility.objects.count() == 0


def test_a_kaigo_file_given_as_iryo_is_recognised_too(db):
    report = run_import("iryo", [kaigo_file([kaigo_row()])])
    assert "介護サービス情報公表システムのファイルです" in report.refused


def test_missing_required_columns_are_named(db):
    header = [column for column in KAIGO_HEADER if column != "事業所番号"]
    report = run_import("kaigo", [InputFile.from_bytes("x.csv", csv_bytes(header, [kaigo_row()]))])
    assert "必要な列「事業所番号」がありません" in report.refused


def test_columns_are_found_by_name_not_position(db):
    header = list(reversed(KAIGO_HEADER))
    report = run_import("kaigo", [InputFile.from_bytes("reversed.csv", csv_bytes(header, [kaigo_row()]))])
    assert report.added == 1
    assert Facility.objects.get().name == "テスト訪問看護ステーション"


def test_ten_megabytes_of_garbage_is_refused_without_a_traceback(db):
    noise = random.Random(3).randbytes(10 * 1024 * 1024)
    report = run_import("kaigo", [InputFile.from_bytes("garbage.csv", noise)])
    assert report.refused.startswith("garbage.csv の文字コードを判別できません")
    assert Facility.objects.count() == 0


def test_ten_megabytes_of_text_that_is_not_the_layout_is_refused(db):
    text = ("あいうえお,かきくけこ\n" * 700_000).encode("utf-8")
    report = run_import("kaigo", [InputFile.from_bytes("text.csv", text)])
    assert "必要な列" in report.refused


def test_a_malformed_row_is_reported_by_line_and_nothing_is_written(db):
    data = csv_bytes(KAIGO_HEADER, [kaigo_row()]) + b"0,\x00,x\r\n"
    report = run_import("kaigo", [InputFile.from_bytes("nul.csv", data)])
    assert not report.written
    assert {e.row for e in report.errors} == {3}
    assert Facility.objects.count() == 0


def test_utf16_is_refused_with_advice(db):
    report = run_import("kaigo", [InputFile.from_bytes("u16.csv", "事業所番号\n".encode("utf-16"))])
    assert "UTF-16" in report.refused


def test_one_invalid_row_means_nothing_is_written(db):
    rows = [
        kaigo_row(),
        kaigo_row(事業所番号="12345", 事業所名="番号の短い事業所"),
        kaigo_row(事業所番号="0291000003", 緯度="141.2962", 経度="40.5267"),
        kaigo_row(事業所番号="0291000004", 緯度="91", 経度="141.3"),
        kaigo_row(事業所番号="0291000005", 定員="たくさん"),
    ]
    report = run_import("kaigo", [kaigo_file(rows)])

    assert not report.written and report.blocked_by_errors
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "事業所番号"),
        (4, "緯度・経度"),
        (5, "緯度・経度"),
        (6, "定員"),
    ]
    assert report.errors[0].message == "事業所番号「12345」は10桁の数字で入力してください。"
    assert "入れ替わっていませんか" in report.errors[1].message
    assert "日本の範囲外" in report.errors[2].message
    assert (
        str(report.errors[3])
        == "jigyosho_130.csv 6行目「定員」: 定員「たくさん」は0以上の整数で入力してください。"
    )
    assert Facility.objects.count() == 0


def test_zero_coordinates_mean_unknown_and_a_far_point_is_only_a_warning(db):
    rows = [
        kaigo_row(緯度="0.0", 経度="0.0"),
        kaigo_row(事業所番号="0291000002", 緯度="40.5104", 経度="141.4909"),  # 八戸市中心部, not 五戸町
    ]
    report = run_import("kaigo", [kaigo_file(rows)])
    assert report.written and report.added == 2
    assert Facility.objects.get(care_office_number="0291000001").latitude is None
    assert [(w.row, w.column) for w in report.warnings] == [(3, "緯度・経度")]
    assert "五戸町の区域から外れています" in report.warnings[0].message


def test_a_broken_url_is_repaired_and_an_email_address_is_left_out(db):
    rows = [
        kaigo_row(URL="http//example.jp/a"),
        kaigo_row(事業所番号="0291000002", URL="info@example.jp"),
    ]
    report = run_import("kaigo", [kaigo_file(rows)])
    assert report.added == 2
    assert Facility.objects.get(care_office_number="0291000001").url == "http://example.jp/a"
    assert Facility.objects.get(care_office_number="0291000002").url == ""
    assert [w.message for w in report.warnings] == [
        "ホームページのアドレス「http//example.jp/a」を「http://example.jp/a」に直しました。",
        "「info@example.jp」はメールアドレスです。ホームページ欄には取り込みませんでした。",
    ]


def test_the_dry_run_reports_without_writing(db):
    report = run_import("kaigo", [kaigo_file([kaigo_row()])], dry_run=True)
    assert (report.added, report.written) == (1, False)
    assert Facility.objects.count() == 0


def test_skip_invalid_imports_the_good_rows_and_lists_the_rejected_ones(db, tmp_path):
    rows = [kaigo_row(), kaigo_row(事業所番号="0291000002", 事業所名="")]
    report = run_import("kaigo", [kaigo_file(rows)], skip_invalid=True)

    assert report.written and (report.added, report.rejected) == (1, 1)
    out = tmp_path / "rejected.csv"
    assert write_rejected_csv(report, out) == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert lines[0] == [*KAIGO_HEADER, "エラー"]
    assert lines[1][KAIGO_HEADER.index("事業所番号")] == "0291000002"
    assert lines[1][-1] == "事業所名が空欄です。"


def test_rows_of_municipalities_renkei_does_not_know_are_skipped_as_out_of_scope(db):
    rows = [kaigo_row(), kaigo_row(事業所番号="1310000001", 都道府県コード又は市町村コード="131016")]
    report = run_import("kaigo", [kaigo_file(rows)])
    assert (report.added, report.out_of_scope, report.error_count) == (1, 1, 0)


def test_a_municipality_code_with_a_wrong_check_digit_is_an_error(db):
    report = run_import("kaigo", [kaigo_file([kaigo_row(都道府県コード又は市町村コード="024420")])])
    assert "検査数字" in report.errors[0].message


def test_a_broken_zip_and_a_fake_workbook_are_refused(db):
    broken_zip = run_import("iryo", [InputFile.from_bytes("iryo.zip", b"PK\x03\x04" + b"\x00" * 200)])
    assert "壊れた zip ファイル" in broken_zip.refused
    fake_workbook = run_import("renkei", [InputFile.from_bytes("t.xlsx", b"PK\x03\x04garbage")])
    assert fake_workbook.refused
    assert Facility.objects.count() == 0


def test_an_excel_workbook_given_as_kaigo_is_refused(db):
    from renkei.directory.importers.renkei_template import template_xlsx

    report = run_import("kaigo", [InputFile.from_bytes("template.xlsx", template_xlsx())])
    assert "Renkei 取込テンプレートです" in report.refused


def test_a_file_with_headings_and_no_rows_says_there_are_no_data_rows(db):
    report = run_import("kaigo", [InputFile.from_bytes("jigyosho_130.csv", csv_bytes(KAIGO_HEADER, []))])

    assert not report.refused and report.added == 0
    assert [(w.file, w.row, w.message) for w in report.warnings] == [
        ("jigyosho_130.csv", None, "データ行がありません（見出しの行だけのファイルです）。")
    ]


def test_blank_lines_above_the_headings_count_in_the_row_numbers_of_errors(db):
    data = b"\r\n,,\r\n" + csv_bytes(KAIGO_HEADER, [kaigo_row(), kaigo_row(事業所番号="12345")])[3:]

    report = run_import("kaigo", [InputFile.from_bytes("jigyosho_130.csv", b"\xef\xbb\xbf" + data)])

    # Lines 1-2 blank, 3 the headings, 4 the good row, 5 the bad one — as a spreadsheet shows it.
    assert [(e.row, e.column) for e in report.errors] == [(5, "事業所番号")]


def test_a_damaged_excel_file_is_called_a_damaged_excel_file(db):
    from renkei.directory.importers.renkei_template import template_xlsx

    content = template_xlsx()
    report = run_import("renkei", [InputFile.from_bytes("施設一覧.xlsx", content[: len(content) // 2])])

    assert report.refused.startswith("施設一覧.xlsx は壊れた Excel ファイルです（開けません）。")
    assert "zip" not in report.refused
    assert Facility.objects.count() == 0


def test_a_file_that_is_neither_csv_nor_excel_is_named_as_such(db):
    from renkei.directory.importers import InputFile, run_import

    for format in ("renkei", "kaigo", "iryo"):
        report = run_import(format, [InputFile.from_bytes("施設一覧.pdf", b"%PDF-1.7\n%...")])

        assert report.refused.startswith(
            "施設一覧.pdf はPDFのファイルで、CSV でも Excel ブック（.xlsx）でもありません。"
        )


def test_an_import_is_bounded_by_the_shared_table_limits_before_it_is_read(db, settings):
    settings.RENKEI_TABLE_MAX_BYTES = 1024
    data = csv_bytes(KAIGO_HEADER, [kaigo_row(事業所番号=f"02910{n:05d}") for n in range(40)])
    assert len(data) > 1024
    report = run_import("kaigo", [InputFile.from_bytes("large.csv", data)])
    assert report.refused.startswith("large.csv")
    assert "1KB" in report.refused
    assert Facility.objects.count() == 0


def test_a_zip_of_csvs_over_the_member_limit_is_refused_as_an_import(db, settings):
    import zipfile

    settings.RENKEI_TABLE_MAX_ZIP_MEMBERS = 2
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(3):
            archive.writestr(f"part{index}.csv", "a,b\n1,2\n")
    report = run_import("iryo", [InputFile.from_bytes("many.zip", buffer.getvalue())])
    assert report.refused.startswith("many.zip には3個のファイルが入っています（2個まで）")
    assert Facility.objects.count() == 0
