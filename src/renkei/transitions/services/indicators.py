"""The region's 入退院 figures: how many admissions had their 入院時情報提供 within the deadline, and
how many discharges had the hospital's contact before it. Counts only — no patient is named.

- :func:`timeliness_by_municipality`, per municipality of the patients, for the yearly survey
  (``renkei.reports``);
- :func:`indicators_for`, by month and by hospital for a 年度, for the staff's indicator page.

Both count with one rule, :func:`renkei.transitions.deadlines.done_in_time` (the day in Asia/Tokyo).
An admission belongs to the day (in Asia/Tokyo) the patient was admitted; a discharge to its
``discharged_on``, and only one with a contact deadline (an expected discharge date) is counted.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from renkei.core import permissions
from renkei.core.business_days import local_date
from renkei.core.fiscal import fiscal_year_label, fiscal_year_range, month_key, month_label
from renkei.core.models import Region, User
from renkei.transitions.deadlines import done_in_time
from renkei.transitions.models import Episode

FIELDS = ("admissions", "admission_info_in_time", "discharges", "discharge_contact_in_time")
# The page also counts the 入院時情報連携加算（Ⅰ）'s own deadline (the day of admission).
INDICATOR_FIELDS = (*FIELDS, "admission_bonus_in_time")
K = TypeVar("K", bound=Hashable)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _tally(
    episodes: QuerySet[Episode],
    start: date,
    end: date,
    admission_key: Callable[[dict[str, Any]], K],
    discharge_key: Callable[[dict[str, Any]], K],
    fields: tuple[str, ...] = FIELDS,
) -> dict[K, dict[str, int]]:
    """Per key: admissions from ``start`` to ``end`` (days in Asia/Tokyo, both included) and of
    those the ones whose admission sheet went by its deadline; discharges in those days with a
    contact deadline and of those the ones contacted by it."""
    counts: dict[K, dict[str, int]] = {}

    def row(key: K) -> dict[str, int]:
        return counts.setdefault(key, dict.fromkeys(fields, 0))

    columns = ("patient__municipality_id", "hospital_name", "admitted_at", "discharged_on")
    admitted = episodes.filter(
        admitted_at__gte=_start_of(start), admitted_at__lt=_start_of(end + timedelta(days=1))
    ).values(*columns, "admission_info_sent_at", "admission_info_due", "admission_bonus_due")
    for values in admitted:
        counts_of = row(admission_key(values))
        counts_of["admissions"] += 1
        counts_of["admission_info_in_time"] += done_in_time(
            values["admission_info_sent_at"], values["admission_info_due"]
        )
        if "admission_bonus_in_time" in counts_of:
            counts_of["admission_bonus_in_time"] += done_in_time(
                values["admission_info_sent_at"], values["admission_bonus_due"]
            )
    discharged = episodes.filter(
        discharged_on__gte=start, discharged_on__lte=end, discharge_contact_due__isnull=False
    ).values(*columns, "discharge_contacted_at", "discharge_contact_due")
    for values in discharged:
        counts_of = row(discharge_key(values))
        counts_of["discharges"] += 1
        counts_of["discharge_contact_in_time"] += done_in_time(
            values["discharge_contacted_at"], values["discharge_contact_due"]
        )
    return counts


def _municipality(values: dict[str, Any]) -> int:
    return values["patient__municipality_id"]


def timeliness_by_municipality(region: Region, start: date, end: date) -> dict[int, dict[str, int]]:
    """Per municipality (of the patient) of ``region``: the counts of :func:`_tally`."""
    episodes = Episode.objects.filter(patient__municipality__region=region)
    return _tally(episodes, start, end, _municipality, _municipality)


@dataclass(frozen=True)
class Share:
    """n of N, with the share in per cent (one decimal); no share when N is 0."""

    n: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.n / self.total, 1) if self.total else None

    def __str__(self) -> str:
        return f"{self.n}/{self.total}（{self.percent:.1f}%）" if self.total else f"{self.n}/0（—）"


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    counts: dict[str, int]

    @property
    def admission_info(self) -> Share:
        return Share(self.counts["admission_info_in_time"], self.counts["admissions"])

    @property
    def admission_bonus(self) -> Share:
        return Share(self.counts["admission_bonus_in_time"], self.counts["admissions"])

    @property
    def discharge_contact(self) -> Share:
        return Share(self.counts["discharge_contact_in_time"], self.counts["discharges"])


@dataclass
class Indicators:
    fiscal_year: int
    scope: str  # the region's or the municipality's name
    months: list[IndicatorRow] = field(default_factory=list)
    hospitals: list[IndicatorRow] = field(default_factory=list)
    total: IndicatorRow | None = None

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


def _months(fiscal_year: int) -> list[int]:
    return [month_key(date(fiscal_year + (m < 4), m, 1)) for m in (*range(4, 13), 1, 2, 3)]


def _row(label: str, counts: dict[str, int] | None) -> IndicatorRow:
    return IndicatorRow(label, counts or dict.fromkeys(INDICATOR_FIELDS, 0))


def _admission_month(values: dict[str, Any]) -> int:
    return month_key(local_date(values["admitted_at"]))


def _discharge_month(values: dict[str, Any]) -> int:
    return month_key(values["discharged_on"])


def _hospital(values: dict[str, Any]) -> str:
    return values["hospital_name"]


def indicators_for(actor: User, fiscal_year: int) -> Indicators:
    """The 入退院 indicators of the 年度 for what the actor oversees: the region administrator the
    whole region, municipality staff their municipality (by the patients' municipality). Months in
    年度 order (every month shown); hospitals by the name the episode shows, most admissions first."""
    if not permissions.can_view_transition_indicators(actor):
        raise PermissionDenied
    episodes, scope = permissions.indicator_episodes(actor)
    start, end = fiscal_year_range(fiscal_year)
    by_month = _tally(episodes, start, end, _admission_month, _discharge_month, INDICATOR_FIELDS)
    by_hospital = _tally(episodes, start, end, _hospital, _hospital, INDICATOR_FIELDS)
    total = {name: sum(counts[name] for counts in by_month.values()) for name in INDICATOR_FIELDS}
    hospitals = sorted(
        by_hospital.items(), key=lambda item: (-item[1]["admissions"], -item[1]["discharges"], str(item[0]))
    )
    return Indicators(
        fiscal_year,
        scope,
        months=[_row(month_label(key), by_month.get(key)) for key in _months(fiscal_year)],
        hospitals=[_row(str(name), counts) for name, counts in hospitals],
        total=_row("合計", total),
    )


INDICATOR_HEADINGS = (
    "入院件数",
    "入院時情報提供（ルールの期限内）",
    "割合（%）",
    "入院時情報提供（加算（Ⅰ）の期限内）",
    "割合（%）",
    "退院件数（連絡の期限あり）",
    "退院前の連絡（期限内）",
    "割合（%）",
)


def indicator_cells(row: IndicatorRow) -> list[object]:
    """One row of the Excel table: N, then n and the share (empty when N is 0) of each figure."""
    cells: list[object] = [row.counts["admissions"]]
    for share in (row.admission_info, row.admission_bonus):
        cells += [share.n, share.percent]
    share = row.discharge_contact
    return [*cells, share.total, share.n, share.percent]


def indicators_xlsx(indicators: Indicators) -> bytes:
    from renkei.core.spreadsheet import append_row, new_workbook, style_table, workbook_bytes

    workbook, sheet = new_workbook("月別")
    for title, first, rows in (("月別", "月", indicators.months), ("病院別", "病院", indicators.hospitals)):
        if title != "月別":
            sheet = workbook.create_sheet(title)
        append_row(sheet, [first, *INDICATOR_HEADINGS])
        for row in [*rows, indicators.total]:
            assert row is not None  # the total is always built
            append_row(sheet, [row.label, *indicator_cells(row)])
        style_table(sheet, 1, len(rows) + 2, len(INDICATOR_HEADINGS) + 1)
        sheet.column_dimensions["A"].width = 26
    return workbook_bytes(workbook)
