"""--rejected-out to a place that cannot be written: a clear Japanese error before anything is
imported (no traceback after a committed import, no summary lost)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renkei.directory.models import Facility
from tests.directory.conftest import KAIGO_HEADER, csv_bytes, kaigo_row


def _file(tmp_path):
    path = tmp_path / "jigyosho_130.csv"
    path.write_bytes(csv_bytes(KAIGO_HEADER, [kaigo_row(), kaigo_row(事業所番号="0291000002", 緯度="abc")]))
    return path


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_facilities", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_rejected_out_path_in_a_missing_folder_stops_before_importing(db, tmp_path):
    target = tmp_path / "no-such-folder" / "rejected.csv"

    with pytest.raises(CommandError) as raised:
        _run("--format", "kaigo", "--skip-invalid", "--rejected-out", str(target), str(_file(tmp_path)))

    assert str(raised.value) == (
        f"--rejected-out「{target}」に書き出せません（フォルダー「{target.parent}」がありません）。"
        "取り込みは行っていません。"
    )
    assert Facility.objects.count() == 0
    assert not target.parent.exists()


def test_a_rejected_out_path_that_is_a_folder_stops_before_importing(db, tmp_path):
    with pytest.raises(CommandError, match="フォルダーです。ファイル名を指定してください"):
        _run("--format", "kaigo", "--skip-invalid", "--rejected-out", str(tmp_path), str(_file(tmp_path)))
    assert Facility.objects.count() == 0


def test_a_writable_rejected_out_path_still_gets_the_rows_and_the_summary(db, tmp_path):
    target = tmp_path / "rejected.csv"

    out, _ = _run("--format", "kaigo", "--skip-invalid", "--rejected-out", str(target), str(_file(tmp_path)))

    assert f"除外した 1 行を {target} に書き出しました。" in out
    assert "取り込み結果: 追加 1 件、更新 0 件、変更なし 0 件、除外 1 件" in out
    assert target.read_text(encoding="utf-8-sig").splitlines()[1].startswith("024422,")
