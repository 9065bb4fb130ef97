"""Importing a desk's old tally sheet: template, encodings, line-numbered errors, all or nothing."""

from __future__ import annotations

import io

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from renkei.consultations.models import Consultation
from tests.consultations.conftest import tokyo
from tests.core.totp import verified_login

HEADINGS = (
    "受付日時,相談経路,相談者,相談者の所属機関,本人の年代,本人の性別,本人の市町村,相談内容区分,"
    "相談内容（要旨）,対応,紹介先機関,対応時間（分）,状況,次回対応予定日,担当者"
)
GOOD_ROWS = [
    "2023/04/03 10:00,電話,家族,,85歳以上,女性,五戸町,認知症、住まい,物忘れについて,情報提供,,15,終結,,",
    "令和5年5月8日,来所,医療機関,八戸みなと病院,75〜84歳,男性,八戸市,入退院・退院後の生活,退院調整,関係機関紹介,居宅介護支援事業所あおば,30,継続,2023/05/15,五戸 ダン",
    "2023-06-01,訪問,民生委員,,不明,不明・その他,,その他,,訪問,,,,,相談員A",
]
BAD_ROW = "2023/13/01,FAX,親戚,,,,青森市,占い,,情報提供,,二十,,,"


def upload(client, name: str, content: bytes, valid_rows_only: bool = False):
    data = {"file": SimpleUploadedFile(name, content)}
    if valid_rows_only:
        data["valid_rows_only"] = "on"
    return client.post("/consultations/import/", data)


def csv_bytes(rows: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([HEADINGS, *rows]) + "\r\n").encode(encoding)


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_desk_imports_a_utf8_csv_with_all_its_rows(client, dan, gonohe_desk):
    verified_login(client, dan)
    response = upload(client, "old.csv", b"\xef\xbb\xbf" + csv_bytes(GOOD_ROWS))
    assert response.status_code == 302
    records = {c.received_on.isoformat(): c for c in Consultation.objects.filter(desk=gonohe_desk)}
    assert sorted(records) == ["2023-04-03", "2023-05-08", "2023-06-01"]
    first, second, third = records["2023-04-03"], records["2023-05-08"], records["2023-06-01"]
    assert sorted(c.name for c in first.categories.all()) == ["住まい", "認知症"]
    assert (first.subject_age_band, first.subject_sex, first.subject_municipality.name) == (
        "85_over",
        "female",
        "五戸町",
    )
    assert (second.requester_institution, second.referred_institution) == (
        "八戸みなと病院",
        "居宅介護支援事業所あおば",
    )
    assert (second.status, second.next_action_on.isoformat(), second.staff) == (
        "continuing",
        "2023-05-15",
        dan,
    )
    assert (third.staff, third.staff_name, third.status) == (None, "相談員A", "closed")


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_a_shift_jis_file_from_old_excel_is_read(client, dan):
    verified_login(client, dan)
    response = upload(client, "集計.csv", csv_bytes(GOOD_ROWS, "cp932"))
    assert response.status_code == 302
    assert Consultation.objects.count() == 3
    assert Consultation.objects.filter(summary="物忘れについて").exists()


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_one_bad_row_stops_the_whole_import_and_every_problem_is_listed_by_line(client, dan):
    verified_login(client, dan)
    response = upload(client, "old.csv", csv_bytes([GOOD_ROWS[0], BAD_ROW, GOOD_ROWS[1]]))
    assert response.status_code == 400
    assert Consultation.objects.count() == 0
    errors = response.context["result"].errors
    assert {line for line, _ in errors} == {3}
    messages = [message for _, message in errors]
    assert "受付日時「2023/13/01」を日付として読めません（例: 2024/04/08 10:30）。" in messages
    assert any(m.startswith("相談経路「FAX」は選べません") for m in messages)
    assert any(m.startswith("相談者「親戚」は選べません") for m in messages)
    assert "本人の市町村「青森市」はこの圏域の市町村ではありません。" in messages
    assert "相談内容区分「占い」は登録されていません。" in messages
    assert "対応時間（分）「二十」は0〜1440の整数で入力してください。" in messages
    assert "3行目" in response.content.decode()
    assert "何も取り込みませんでした" in response.content.decode()


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_choosing_valid_rows_only_imports_the_good_rows_and_lists_the_skipped(client, dan):
    verified_login(client, dan)
    response = upload(
        client, "old.csv", csv_bytes([GOOD_ROWS[0], BAD_ROW, GOOD_ROWS[1]]), valid_rows_only=True
    )
    assert response.status_code == 200
    assert Consultation.objects.count() == 2
    assert response.context["result"].skipped == 1
    assert "次の行は取り込みませんでした（1行）" in response.content.decode()


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_the_excel_template_filled_in_is_imported(client, dan):
    verified_login(client, dan)
    template = client.get("/consultations/import/template.xlsx")
    assert template.status_code == 200
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == HEADINGS.split(",")
    sheet.append(["2023/04/04 09:00", "電話", "介護事業所", "", "", "", "", "認知症", "", "情報提供"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, "filled.xlsx", buffer.getvalue())
    assert response.status_code == 302
    # The added row only: the template's example row (marked 記入例) is never imported (issue 11).
    assert Consultation.objects.count() == 1


def test_csv_template_is_utf8_with_bom(client, dan):
    verified_login(client, dan)
    response = client.get("/consultations/import/template.csv")
    assert response.content.startswith(b"\xef\xbb\xbf" + "受付日時,相談経路".encode())


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_files_that_cannot_be_read_are_refused_with_a_reason(client, dan):
    verified_login(client, dan)
    assert (
        "見出し行）に必要な列がありません: 受付日時"
        in upload(client, "x.csv", "日時,相談経路,相談者,対応\r\n".encode()).content.decode()
    )
    assert "古いExcel形式" in upload(client, "x.xls", b"\xd0\xcf\x11\xe0").content.decode()
    assert "x.xlsx は壊れた Excel ファイルです" in upload(client, "x.xlsx", b"not a zip").content.decode()
    assert "入力されたファイルは空です" in upload(client, "x.csv", b"").content.decode()
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "ファイルに行がありません" in upload(client, "empty.xlsx", buffer.getvalue()).content.decode()
    assert Consultation.objects.count() == 0


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_exported_records_import_again_unchanged_and_every_export_is_logged(client, dan, gonohe_desk, erin):
    from renkei.core.models import AccessLog

    verified_login(client, dan)
    upload(client, "old.csv", csv_bytes(GOOD_ROWS))
    exported = client.get("/consultations/records.csv")
    assert exported.status_code == 200
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = exported.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("番号,受付日時,相談経路")
    assert len(rows) == 4
    assert AccessLog.objects.filter(action="export", subject_type="consultation").count() == 3

    before = {
        (
            c.received_at,
            c.requester_type,
            c.status,
            c.minutes_spent,
            c.summary,
            tuple(c.categories.values_list("name", flat=True)),
        )
        for c in Consultation.objects.all()
    }
    Consultation.objects.all().delete()
    assert upload(client, "again.csv", exported.content).status_code == 302
    after = {
        (
            c.received_at,
            c.requester_type,
            c.status,
            c.minutes_spent,
            c.summary,
            tuple(c.categories.values_list("name", flat=True)),
        )
        for c in Consultation.objects.all()
    }
    assert after == before

    verified_login(client, erin)
    assert client.get("/consultations/records.csv").content.decode("utf-8-sig").splitlines() == [rows[0]]


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_an_euc_jp_file_is_refused_rather_than_guessed(client, dan):
    verified_login(client, dan)
    response = upload(client, "old.csv", csv_bytes(GOOD_ROWS, "euc_jp"))
    assert response.status_code == 400
    assert "old.csv の文字コードを判別できません" in response.content.decode()
    assert Consultation.objects.count() == 0


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_a_pdf_given_as_a_csv_is_named_as_neither_csv_nor_excel(client, dan):
    verified_login(client, dan)
    response = upload(client, "集計.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >>\nendobj\n")
    assert response.status_code == 400
    assert (
        "集計.csv はPDFのファイルで、CSV でも Excel ブック（.xlsx）でもありません。"
        in response.content.decode()
    )
    assert Consultation.objects.count() == 0


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_a_date_and_time_cell_of_a_workbook_keeps_its_time(client, dan):
    from datetime import datetime

    verified_login(client, dan)
    workbook = Workbook()
    workbook.active.append(HEADINGS.split(","))
    workbook.active.append(
        [datetime(2023, 4, 4, 9, 45), "電話", "介護事業所", "", "", "", "", "認知症", "", "情報提供"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert upload(client, "filled.xlsx", buffer.getvalue()).status_code == 302
    assert Consultation.objects.get().received_at == tokyo(2023, 4, 4, 9, 45)


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_more_rows_than_the_limit_are_refused_and_nothing_is_imported(client, dan, settings):
    settings.CONSULTATIONS_IMPORT_MAX_ROWS = 2
    verified_login(client, dan)
    response = upload(client, "old.csv", csv_bytes(GOOD_ROWS))
    assert response.status_code == 400
    assert "一度に取り込めるのは2行までです。ファイルを分けてください。" in response.content.decode()
    assert Consultation.objects.count() == 0
