"""年度 start on 1 April and are named by the year they start in; 和暦 names years as Japanese reports do."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from renkei.core.fiscal import (
    Period,
    day_label,
    era_year,
    fiscal_year_label,
    fiscal_year_of,
    fiscal_year_range,
    month_key,
    month_label,
    reiwa_year_to_western,
)


def test_a_fiscal_year_runs_from_april_to_march():
    assert fiscal_year_of(date(2025, 3, 31)) == 2024
    assert fiscal_year_of(date(2025, 4, 1)) == 2025
    assert fiscal_year_range(2024) == (date(2024, 4, 1), date(2025, 3, 31))


@pytest.mark.parametrize(
    "year,label",
    [(2024, "令和6"), (2019, "令和元"), (2018, "平成30"), (2000, "平成12"), (1989, "平成元")],
)
def test_era_years(year, label):
    assert era_year(year) == label


def test_labels_of_fiscal_years_months_and_days():
    assert fiscal_year_label(2024) == "令和6年度"
    assert fiscal_year_label(2019) == "令和元年度"
    assert month_label(202404) == "令和6年4月"
    assert month_label(month_key(date(2025, 1, 31))) == "令和7年1月"
    assert day_label(date(2024, 4, 1)) == "2024年4月1日"
    assert reiwa_year_to_western(1) == 2019


def test_a_fiscal_year_period_names_itself_and_its_months(settings):
    period = Period.for_fiscal_year(2024)
    assert period.label == "令和6年度（2024年4月1日〜2025年3月31日）"
    assert period.months() == [*range(202404, 202413), 202501, 202502, 202503]
    assert Period(date(2024, 12, 30), date(2025, 1, 2)).label == "2024年12月30日〜2025年1月2日"
    assert Period(date(2024, 12, 30), date(2025, 1, 2)).months() == [202412, 202501]


def test_a_period_is_bounded_by_local_midnights():
    start, end = Period(date(2024, 4, 1), date(2024, 4, 30)).bounds()
    tokyo = ZoneInfo("Asia/Tokyo")
    assert (start, end) == (datetime(2024, 4, 1, tzinfo=tokyo), datetime(2024, 5, 1, tzinfo=tokyo))
