from __future__ import annotations

import io
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from renkei.consultations.models import Consultation
from tests.consultations.conftest import make_consultation, tokyo


def test_operator_lists_desks_and_writes_the_yearly_report(tmp_path, gonohe_desk, hachinohe_desk):
    make_consultation(gonohe_desk, tokyo(2024, 4, 1, 9, 0))
    make_consultation(gonohe_desk, tokyo(2024, 9, 1, 9, 0), requester_type="care_provider")
    make_consultation(hachinohe_desk, tokyo(2024, 9, 1, 9, 0))
    out = StringIO()
    call_command("consultations", "desks", stdout=out)
    assert f"{gonohe_desk.pk}\t五戸町\t五戸町地域包括支援センター\t2件" in out.getvalue()

    target = tmp_path / "report.xlsx"
    out = StringIO()
    call_command(
        "consultations",
        "report",
        str(target),
        "--fiscal-year",
        "2024",
        "--municipality",
        "024422",
        stdout=out,
    )
    assert "令和6年度 五戸町の全窓口: 相談件数 2件" in out.getvalue()
    workbook = load_workbook(io.BytesIO(target.read_bytes()))
    rows = list(workbook["月別相談件数（一般住民・支援機関）"].iter_rows(values_only=True))
    assert rows[-1] == ("合計", 1, 1, 2)

    with pytest.raises(CommandError, match="拡張子"):
        call_command("consultations", "report", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="八戸地域保健医療圏域の市町村ではありません"):
        call_command("consultations", "report", str(target), "--municipality", "022012")


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_operator_imports_a_tally_sheet_and_sees_bad_lines(tmp_path, gonohe_desk):
    sheet = tmp_path / "old.csv"
    sheet.write_bytes(
        "受付日時,相談経路,相談者,対応,相談内容区分\r\n2023/04/03,電話,家族,情報提供,認知症\r\n2023/04/04,FAX,家族,情報提供,認知症\r\n".encode(
            "cp932"
        )
    )
    err = StringIO()
    with pytest.raises(CommandError, match="何も取り込みませんでした"):
        call_command("consultations", "import", str(gonohe_desk.pk), str(sheet), stderr=err)
    assert "3行目: 相談経路「FAX」は選べません" in err.getvalue()
    assert Consultation.objects.count() == 0
    out = StringIO()
    call_command(
        "consultations",
        "import",
        str(gonohe_desk.pk),
        str(sheet),
        "--valid-rows-only",
        stdout=out,
        stderr=err,
    )
    assert "1件を取り込みました" in out.getvalue()
    assert Consultation.objects.get().desk == gonohe_desk
