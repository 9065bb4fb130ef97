"""Business days in Japan: expected dates written out from the 2026–2027 calendars by hand."""

from datetime import UTC, date, datetime

import pytest

from renkei.core.business_days import (
    ADMINISTRATIVE,
    WEEKENDS_AND_HOLIDAYS,
    holiday_name,
    local_date,
)


def test_holidays_have_japanese_names_including_substitute_days():
    assert holiday_name(date(2026, 5, 6)) == "振替休日"
    assert holiday_name(date(2026, 9, 22)) == "国民の休日"
    assert holiday_name(date(2026, 5, 7)) is None


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # 金 → 月
        (date(2026, 4, 30), 1, date(2026, 5, 1)),  # 木 → 金
        (date(2026, 5, 1), 1, date(2026, 5, 7)),  # 金 → 土日・5/3〜5/6 の連休明け 木
        (date(2026, 9, 18), 1, date(2026, 9, 24)),  # 金 → シルバーウィーク明け
        (date(2026, 12, 28), 1, date(2027, 1, 4)),  # 年末年始を越える
        (date(2026, 12, 26), 0, date(2026, 12, 28)),  # 土 → 月
        (date(2027, 1, 4), -1, date(2026, 12, 28)),
    ],
)
def test_administrative_calendar_skips_weekends_holidays_and_year_end(start, count, expected):
    assert ADMINISTRATIVE.add_business_days(start, count) == expected


def test_weekend_calendar_keeps_the_year_end_days_open():
    assert WEEKENDS_AND_HOLIDAYS.add_business_days(date(2026, 12, 28), 1) == date(2026, 12, 29)
    assert WEEKENDS_AND_HOLIDAYS.add_business_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_business_days_between_counts_after_start_up_to_end():
    assert ADMINISTRATIVE.business_days_between(date(2026, 12, 4), date(2026, 12, 8)) == 2
    assert ADMINISTRATIVE.business_days_between(date(2026, 12, 8), date(2026, 12, 4)) == 0


def test_local_date_is_the_date_in_tokyo_not_utc():
    # 2026-12-03 15:30 UTC is 2026-12-04 00:30 in Tokyo.
    assert local_date(datetime(2026, 12, 3, 15, 30, tzinfo=UTC)) == date(2026, 12, 4)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 12, 3, 15, 30))
