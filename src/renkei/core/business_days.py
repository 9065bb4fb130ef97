"""Japanese calendar days for deadlines and rotas: 祝日, 行政機関の休日 and business-day arithmetic.

Holidays come from the maintained ``holidays`` library (振替休日 and 国民の休日 included, names in
Japanese), never from a table kept here. Every moment is turned into a date in Asia/Tokyo (the
project's ``TIME_ZONE``) before it is compared, so a deadline never falls on the wrong day because a
server or a test runs in UTC.

Two calendars, because Renkei's users keep two:

- ``ADMINISTRATIVE``: the days public offices are closed (行政機関の休日に関する法律 第1条): Saturdays,
  Sundays, national holidays and 12月29日〜1月3日. Municipal desks and most care-manager offices.
- ``WEEKENDS_AND_HOLIDAYS``: Saturdays, Sundays and national holidays only (no year-end closure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> holidays.HolidayBase:
    return holidays.Japan(years=year, language="ja")


def holiday_name(day: date) -> str | None:
    """The 祝日's Japanese name (「振替休日」, 「国民の休日」 included), or None on other days."""
    return _holidays_of(day.year).get(day)


def is_national_holiday(day: date) -> bool:
    return holiday_name(day) is not None


def is_year_end_closure(day: date) -> bool:
    """12月29日〜1月3日, the year-end and new-year days 行政機関 are closed."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days count as closed. Weekends and national holidays always do."""

    name: str
    year_end_closed: bool

    def is_closed(self, day: date) -> bool:
        return (
            day.weekday() >= 5
            or is_national_holiday(day)
            or (self.year_end_closed and is_year_end_closure(day))
        )

    def is_business_day(self, day: date) -> bool:
        return not self.is_closed(day)

    def next_business_day(self, day: date) -> date:
        """``day`` itself when it is a business day, else the first business day after it."""
        while self.is_closed(day):
            day += timedelta(days=1)
        return day

    def add_business_days(self, day: date, count: int) -> date:
        """The business day ``count`` business days after ``day`` (before it when negative).

        ``count == 0`` gives ``day`` moved forward to a business day. Counting starts from the day
        after ``day``, so 金曜 + 1 = the next Monday (when it is not a holiday)."""
        if count == 0:
            return self.next_business_day(day)
        step = timedelta(days=1 if count > 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_business_day(day):
                remaining -= 1
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return count


ADMINISTRATIVE = BusinessCalendar("行政機関の休日（土日・祝日・年末年始）", year_end_closed=True)
WEEKENDS_AND_HOLIDAYS = BusinessCalendar("土日・祝日", year_end_closed=False)


def local_date(moment: datetime) -> date:
    """The date of an aware moment in Asia/Tokyo. A naive datetime is refused, never guessed."""
    if timezone.is_naive(moment):
        raise ValueError("naive datetime: give an aware moment (timezone.now(), or make_aware)")
    return timezone.localtime(moment).date()
