"""The report command refuses a 年度 or desk id no one can mean with one Japanese line, not a traceback."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.consultations.conftest import tokyo


@pytest.mark.parametrize("year", ["9999", "1", "2100"])
@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_operator_asking_for_an_impossible_fiscal_year_gets_a_japanese_line(tmp_path, gonohe_desk, year):
    output = tmp_path / "report.xlsx"
    with pytest.raises(CommandError, match="年度"):
        call_command("consultations", "report", str(output), "--fiscal-year", year)
    assert not output.exists()


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_operator_naming_a_desk_id_past_any_id_is_told_it_is_not_there(tmp_path, gonohe_desk):
    with pytest.raises(CommandError, match="ありません"):
        call_command("consultations", "report", str(tmp_path / "r.csv"), "--desk", "99999999999999999999")
