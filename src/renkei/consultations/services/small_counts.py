"""Counts that must not re-identify a person, for everyone who sees counts only.

Municipality staff and region administrators read a desk's cases as counts, never as records. A
count of one to four cases in one cell of a short period can still point at a person (「先週、五戸町で
男性85歳以上の相談が1件」), so for them:

- a period shorter than one calendar month is refused (:func:`check_counts_only_period`);
- every cell of 1 to 4 below the municipality total reads 「5件未満」 (:func:`hide_small_counts`), in
  the page, the Excel and CSV reports and the API alike, since they all read the same
  :class:`~renkei.consultations.services.statistics.Statistics`;
- where one hidden cell could be worked back from its row or column total, the next smallest cell
  of that line is hidden too (secondary suppression, as official statistics do).

Desk staff reading their own desk keep exact counts (``permissions.sees_exact_counts``).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import replace
from datetime import date, timedelta

from renkei.consultations.services.rules import ConsultationError
from renkei.core.fiscal import Period

SMALL_COUNT = "5件未満"
SMALLEST_SHOWN = 5
NOTE = (
    "件数のみを閲覧する方には、個人が特定されないよう1〜4件を「5件未満」と表示しています"
    "（合計から逆算できる欄も伏せています）。"
)


class PeriodTooShort(ConsultationError):
    """A period under one calendar month asked by someone who sees counts only."""


def one_month_after(day: date) -> date:
    """The same day of the next month (the month's last day when it has no such day)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def check_counts_only_period(period: Period) -> None:
    """Refuse a period shorter than one calendar month (4月15日〜5月14日 is one month)."""
    if period.end < one_month_after(period.start) - timedelta(days=1):
        raise PeriodTooShort(
            "件数のみを閲覧する方は、1か月以上の期間を指定してください"
            "（少ない件数から個人が特定されないようにするためです）。",
            "start",
        )


def _is_small(value: int | str) -> bool:
    return isinstance(value, int) and 0 < value < SMALLEST_SHOWN


Cell = tuple[int, int]  # (row, column); row -1 is the table's 合計 line


def _lines(row_count: int, column_count: int, row_sums: bool) -> list[list[Cell]]:
    """Groups of cells that add up to a shown total: each column with its 合計, and (in a table whose
    last column is the row's sum, the months) each row."""
    lines = [[(row, column) for row in [*range(row_count), -1]] for column in range(column_count)]
    if row_sums:
        lines += [[(row, column) for column in range(column_count)] for row in [*range(row_count), -1]]
    return lines


def _hidden_cells(values: dict[Cell, int], lines: list[list[Cell]], totals_exempt: bool) -> set[Cell]:
    exempt = {cell for cell in values if cell[0] == -1} if totals_exempt else set()
    hidden = {cell for cell, value in values.items() if _is_small(value) and cell not in exempt}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            candidates = [
                cell for cell in line if cell not in hidden and cell not in exempt and values[cell] > 0
            ]
            if candidates:
                hidden.add(min(candidates, key=lambda cell: (values[cell], cell)))
                changed = True
    return hidden


def _hide_in_table(table, totals_exempt: bool):
    values: dict[Cell, int] = {
        (r, c): value for r, row in enumerate(table.rows) for c, value in enumerate(row.values)
    }
    values |= {(-1, c): value for c, value in enumerate(table.totals)}
    lines = _lines(len(table.rows), len(table.columns), row_sums=table.key == "month")
    hidden = _hidden_cells(values, lines, totals_exempt)

    def shown(cell: Cell) -> int | str:
        return SMALL_COUNT if cell in hidden else values[cell]

    rows = [
        replace(row, values=[shown((r, c)) for c in range(len(row.values))])
        for r, row in enumerate(table.rows)
    ]
    return replace(table, rows=rows, shown_totals=[shown((-1, c)) for c in range(len(table.columns))])


def hide_small_counts(statistics, *, whole_municipalities: bool):
    """``statistics`` as someone who sees counts only may read it. ``whole_municipalities``: the
    report counts every desk of one or more municipalities, so its totals are the municipality's
    totals and stay exact; for one desk, they are below it and are hidden when small."""
    exempt = whole_municipalities

    def small_or(value: int) -> int | str:
        return SMALL_COUNT if _is_small(value) and not exempt else value

    return replace(
        statistics,
        total=small_or(statistics.total),
        follow_up_count=small_or(statistics.follow_up_count),
        tables=[_hide_in_table(table, exempt) for table in statistics.tables],
        small_counts_hidden=True,
    )
