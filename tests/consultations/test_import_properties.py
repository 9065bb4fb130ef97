"""Whatever a tally sheet contains, the importer answers with rows or Japanese reasons — never a crash."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei.consultations import services
from renkei.consultations.models import Consultation
from tests.consultations.conftest import tokyo

cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["電話", "家族", "情報提供", "継続", "2024/4/1", "令和6年4月1日", "R6.4.1", "25:99", "認知症、住まい"]
    ),
)


def sheet(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([services.IMPORT_HEADINGS, *rows])
    return buffer.getvalue().encode("utf-8")


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=16), min_size=1, max_size=5))
def test_any_sheet_imports_fully_or_not_at_all_with_line_numbered_reasons(gonohe_desk, rows):
    before = Consultation.objects.count()
    with time_machine.travel(tokyo(2025, 1, 1, 9, 0), tick=False):
        try:
            result = services.import_consultations(None, gonohe_desk, filename="x.csv", data=sheet(rows))
        except services.ImportRejected as exc:
            assert Consultation.objects.count() == before
            assert exc.result.errors
            assert all(2 <= line <= len(rows) + 1 for line, _ in exc.result.errors)
        except services.ConsultationError as exc:
            assert Consultation.objects.count() == before
            assert str(exc)
        else:
            assert Consultation.objects.count() == before + result.imported


@given(st.dates(min_value=date(2019, 5, 1), max_value=date(2050, 12, 31)))
def test_every_written_form_of_a_date_reads_back_as_that_date(day):
    era_year = "元" if day.year == 2019 else str(day.year - 2018)
    for text in [
        f"{day.year}/{day.month}/{day.day}",
        f"{day:%Y-%m-%d}",
        f"{day.year}年{day.month}月{day.day}日",
        f"令和{era_year}年{day.month}月{day.day}日",
        f"R{era_year}.{day.month}.{day.day}",
        f"{day:%Y/%m/%d} 9:05",
    ]:
        assert services.parse_day(text) == day, text
    assert services.parse_moment(f"{day:%Y/%m/%d} 9:05").strftime("%H:%M") == "09:05"
