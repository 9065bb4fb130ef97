"""Deadlines of the region's rule, expected dates written out by hand from the calendar (2026–27):
weekends, 祝日 (Silver Week 2026, Golden Week 2026, 勤労感謝の日), the year-end closure 12/29–1/3,
and moments given in UTC that fall on another day in Tokyo."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from renkei.transitions.deadlines import admission_bonus_due, admission_info_due, discharge_contact_due
from renkei.transitions.models import TransitionRule

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TOKYO)


DEFAULT = TransitionRule()
BUSINESS = TransitionRule(admission_sheet_business_days=True)
NO_YEAR_END = TransitionRule(admission_sheet_business_days=True, calendar="weekends_and_holidays")


@pytest.mark.parametrize(
    ("admitted", "expected"),
    [
        (tokyo(2026, 12, 3, 10), date(2026, 12, 3)),  # Thursday, in office hours: the same day
        (tokyo(2026, 12, 3, 8, 29), date(2026, 12, 4)),  # before the office opens: the next day
        (tokyo(2026, 12, 3, 17, 30), date(2026, 12, 4)),  # at closing time: the next day
        (tokyo(2026, 12, 5, 10), date(2026, 12, 6)),  # Saturday: the next day (Sunday), as the 加算 says
        (tokyo(2026, 11, 23, 10), date(2026, 11, 24)),  # 勤労感謝の日
        (tokyo(2026, 12, 29, 10), date(2026, 12, 30)),  # year-end closure
        # 2026-12-02 15:30 UTC is 2026-12-03 00:30 in Tokyo: outside hours on the 3rd.
        (datetime(2026, 12, 2, 15, 30, tzinfo=UTC), date(2026, 12, 4)),
        # 2026-12-03 01:00 UTC is 10:00 in Tokyo: in hours, the same day.
        (datetime(2026, 12, 3, 1, 0, tzinfo=UTC), date(2026, 12, 3)),
    ],
)
def test_bonus_one_deadline(admitted, expected):
    assert admission_bonus_due(admitted, DEFAULT) == expected


def test_bonus_one_on_the_year_end_counts_as_open_when_the_region_keeps_no_closure():
    assert admission_bonus_due(tokyo(2026, 12, 29, 10), NO_YEAR_END) == date(2026, 12, 29)


def test_an_office_with_other_hours():
    rule = TransitionRule(office_opens=time(9, 0), office_closes=time(18, 0))
    assert admission_bonus_due(tokyo(2026, 12, 3, 17, 45), rule) == date(2026, 12, 3)
    assert admission_bonus_due(tokyo(2026, 12, 3, 8, 45), rule) == date(2026, 12, 4)


@pytest.mark.parametrize(
    ("admitted", "rule", "expected"),
    [
        (tokyo(2026, 12, 3), DEFAULT, date(2026, 12, 5)),  # 加算Ⅱ: the day after next, calendar days
        (tokyo(2026, 12, 31, 23, 30), DEFAULT, date(2027, 1, 2)),  # across the new year
        (datetime(2026, 12, 31, 15, 30, tzinfo=UTC), DEFAULT, date(2027, 1, 3)),  # 1/1 00:30 in Tokyo
        (tokyo(2026, 12, 3), BUSINESS, date(2026, 12, 7)),  # Thu + 2 business days: Fri, Mon
        (tokyo(2026, 12, 25), BUSINESS, date(2027, 1, 4)),  # Fri: Mon 12/28, then closed to 1/3, Mon 1/4
        (tokyo(2026, 12, 25), NO_YEAR_END, date(2026, 12, 29)),  # no year-end closure: Mon 12/28, Tue 12/29
        (tokyo(2026, 9, 18), BUSINESS, date(2026, 9, 25)),  # Silver Week 9/19–9/23: Thu 9/24, Fri 9/25
        (tokyo(2026, 5, 1), BUSINESS, date(2026, 5, 8)),  # Golden Week 5/2–5/6: Thu 5/7, Fri 5/8
    ],
)
def test_admission_sheet_deadline(admitted, rule, expected):
    assert admission_info_due(admitted, rule) == expected


@pytest.mark.parametrize(
    ("discharge", "rule", "expected"),
    [
        (date(2026, 12, 10), DEFAULT, date(2026, 12, 7)),  # Thu − 3: Wed 9, Tue 8, Mon 7
        (date(2026, 12, 7), DEFAULT, date(2026, 12, 2)),  # Mon − 3 across the weekend: Fri 4, Thu 3, Wed 2
        (date(2027, 1, 5), DEFAULT, date(2026, 12, 25)),  # Mon 1/4, (closed 1/3–12/29), Mon 12/28, Fri 12/25
        (date(2027, 1, 5), NO_YEAR_END, date(2026, 12, 30)),  # Mon 1/4, (元日, weekend), Thu 12/31, Wed 12/30
        (date(2026, 9, 24), DEFAULT, date(2026, 9, 16)),  # Silver Week: Fri 9/18, Thu 9/17, Wed 9/16
        (date(2026, 5, 7), DEFAULT, date(2026, 4, 28)),  # Golden Week and 昭和の日 4/29: 5/1, 4/30, 4/28
        (
            date(2026, 11, 24),
            TransitionRule(discharge_contact_days=1),
            date(2026, 11, 20),
        ),  # 勤労感謝の日 Mon
        (None, DEFAULT, None),
    ],
)
def test_discharge_contact_deadline(discharge, rule, expected):
    assert discharge_contact_due(discharge, rule) == expected


def test_a_naive_moment_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        admission_info_due(datetime(2026, 12, 3, 10, 0), DEFAULT)
