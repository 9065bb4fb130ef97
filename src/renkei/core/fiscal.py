"""年度 (the Japanese fiscal year, April to March) and 和暦 (era years), for every area that counts by 年度.

A 年度 is named by the calendar year it starts in: 2024年度 = 令和6年度 runs from 1 April 2024 to
31 March 2025. Months are keyed ``yyyymm`` (202404) so that they sort and group as integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

# (first Western year, name), newest first. Renkei's records start in 2000, so older eras are not needed.
ERAS = (
    (2019, "令和"),
    (1989, "平成"),
)
REIWA_OFFSET = 2018  # 令和元年 = 2019


def fiscal_year_of(day: date) -> int:
    """The 年度 (April–March) a day belongs to, named by the calendar year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(fiscal_year: int) -> tuple[date, date]:
    """The first and the last day of a 年度."""
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)


def era_year(year: int) -> str:
    """``令和6`` for 2024, ``令和元`` for 2019, ``平成30`` for 2018 (without 年). By the year alone, as
    年度 and yearly reports are named: January–April 2019 (still 平成31年) is called 令和元年."""
    for first, name in ERAS:
        if year >= first:
            number = year - first + 1
            return f"{name}元" if number == 1 else f"{name}{number}"
    raise ValueError(f"{year} is before the eras Renkei names")


def reiwa_year_to_western(number: int) -> int:
    """The Western year of 令和 ``number`` (1 for 元年)."""
    return REIWA_OFFSET + number


def fiscal_year_label(fiscal_year: int) -> str:
    """``令和6年度`` for 2024."""
    return f"{era_year(fiscal_year)}年度"


def month_key(day: date) -> int:
    """``202404`` for any day of April 2024."""
    return day.year * 100 + day.month


def month_label(key: int) -> str:
    """``令和6年4月`` for 202404."""
    year, month = divmod(key, 100)
    return f"{era_year(year)}年{month}月"


def day_label(day: date) -> str:
    """``2024年4月1日`` (Western year, no leading zeros), as Japanese reports write a day."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end`` (both included); ``fiscal_year`` when it is one whole 年度."""

    start: date
    end: date
    fiscal_year: int | None = None

    @classmethod
    def for_fiscal_year(cls, fiscal_year: int) -> Period:
        start, end = fiscal_year_range(fiscal_year)
        return cls(start, end, fiscal_year)

    @property
    def label(self) -> str:
        span = f"{day_label(self.start)}〜{day_label(self.end)}"
        if self.fiscal_year is not None:
            return f"{fiscal_year_label(self.fiscal_year)}（{span}）"
        return span

    def months(self) -> list[int]:
        """The ``yyyymm`` keys of every month the period touches, in order."""
        keys, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            keys.append(year * 100 + month)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return keys

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) in the local time zone."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )
