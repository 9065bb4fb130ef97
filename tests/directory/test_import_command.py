from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renkei.directory.models import Facility
from tests.directory.conftest import KAIGO_HEADER, KAIGO_SAMPLE, csv_bytes, kaigo_row


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_facilities", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_reports_counts(db):
    out, _ = _run("--format", "kaigo", str(KAIGO_SAMPLE))
    assert "取り込み結果: 追加 300 件、更新 0 件、変更なし 0 件、除外 0 件" in out
    out, _ = _run("--format", "kaigo", str(KAIGO_SAMPLE))
    assert "追加 0 件、更新 0 件、変更なし 300 件" in out


def test_dry_run_prints_the_plan_and_writes_nothing(db):
    out, _ = _run("--format", "kaigo", "--dry-run", str(KAIGO_SAMPLE))
    assert "取り込みの予定（確認のみ・書き込みなし）: 追加 300 件" in out
    assert Facility.objects.count() == 0


def test_an_invalid_row_stops_the_command_with_the_line_and_column(db, tmp_path):
    path = tmp_path / "jigyosho_130.csv"
    path.write_bytes(csv_bytes(KAIGO_HEADER, [kaigo_row(), kaigo_row(事業所番号="0291000002", 緯度="abc")]))
    with pytest.raises(CommandError, match="データベースは変更していません"):
        _run("--format", "kaigo", str(path))
    assert Facility.objects.count() == 0


def test_skip_invalid_writes_the_rejected_rows_to_a_csv(db, tmp_path):
    path = tmp_path / "jigyosho_130.csv"
    path.write_bytes(csv_bytes(KAIGO_HEADER, [kaigo_row(), kaigo_row(事業所番号="0291000002", 緯度="abc")]))
    rejected = tmp_path / "rejected.csv"
    out, err = _run("--format", "kaigo", "--skip-invalid", "--rejected-out", str(rejected), str(path))
    assert "追加 1 件" in out and "除外 1 件" in out
    assert "3行目「緯度・経度」" in err
    with open(rejected, encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["事業所番号"], r["エラー"]) for r in rows] == [
        ("0291000002", "緯度「abc」・経度「141.2962」が数値ではありません。")
    ]


def test_a_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError, match=r"ファイル「nope\.csv」が見つかりません"):
        _run("--format", "kaigo", "nope.csv")
