"""The yearly summary per municipality and for the region: meetings and trainings held, attendance by
profession (医療機関 apart), issues raised and closed, countermeasures done.

:func:`yearly_figures` is the one source of these counts: the page, its Excel file and other apps
(the yearly survey report) read it. It returns counts only — no names — and checks no permission:
callers decide who may see a region's or a municipality's figures (pages use :func:`summary_for`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum

from renkei.core import permissions
from renkei.core.fiscal import Period, fiscal_year_label
from renkei.core.models import Municipality, Region, User
from renkei.core.spreadsheet import append_row, new_workbook, style_table, workbook_bytes
from renkei.meetings.models import TRAINING_KINDS, Attendance, Countermeasure, Event, EventKind, Issue

REGION_WIDE = "圏域全体（医師会など）"


@dataclass
class MunicipalityFigures:
    """One municipality's 年度 (``municipality`` None: the region-wide events and issues)."""

    municipality: Municipality | None
    events_by_kind: dict[str, int] = field(default_factory=dict)
    attendance_by_profession: dict[str, int] = field(default_factory=dict)
    medical_attendance_by_profession: dict[str, int] = field(default_factory=dict)
    issues_raised: int = 0
    issues_closed: int = 0
    countermeasures_done: int = 0

    @property
    def name(self) -> str:
        return self.municipality.name if self.municipality else REGION_WIDE

    @property
    def trainings(self) -> int:
        return sum(n for kind, n in self.events_by_kind.items() if kind in TRAINING_KINDS)

    @property
    def meetings(self) -> int:
        return sum(n for kind, n in self.events_by_kind.items() if kind not in TRAINING_KINDS)

    @property
    def attendance(self) -> int:
        return sum(self.attendance_by_profession.values())

    @property
    def medical_attendance(self) -> int:
        return sum(self.medical_attendance_by_profession.values())


@dataclass
class YearlyFigures:
    region: Region
    fiscal_year: int
    rows: list[MunicipalityFigures]

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    def total(self) -> MunicipalityFigures:
        return total_of(self.rows)

    def for_municipality(self, municipality: Municipality) -> MunicipalityFigures:
        return next(row for row in self.rows if row.municipality and row.municipality.pk == municipality.pk)


def total_of(rows: list[MunicipalityFigures]) -> MunicipalityFigures:
    """The rows added up (the summary's 合計 line)."""
    total = MunicipalityFigures(None)
    for row in rows:
        for target, source in (
            (total.events_by_kind, row.events_by_kind),
            (total.attendance_by_profession, row.attendance_by_profession),
            (total.medical_attendance_by_profession, row.medical_attendance_by_profession),
        ):
            for key, n in source.items():
                target[key] = target.get(key, 0) + n
        total.issues_raised += row.issues_raised
        total.issues_closed += row.issues_closed
        total.countermeasures_done += row.countermeasures_done
    return total


def yearly_figures(region: Region, fiscal_year: int) -> YearlyFigures:
    """Counts of the 年度 for every municipality of ``region`` (in code order) and a last row for the
    region-wide events and issues. Five grouped queries, whatever the number of events."""
    period = Period.for_fiscal_year(fiscal_year)
    start, end = period.bounds()
    municipalities = list(Municipality.objects.filter(region=region).order_by("code"))
    rows: dict[int | None, MunicipalityFigures] = {m.pk: MunicipalityFigures(m) for m in municipalities}
    rows[None] = MunicipalityFigures(None)

    def row(pk: int | None) -> MunicipalityFigures:
        return rows.get(pk) or rows[None]  # an event of a municipality since moved out of the region

    events = Event.objects.filter(region=region, starts_at__gte=start, starts_at__lt=end)
    for item in events.values("municipality_id", "kind").annotate(n=Count("pk")).order_by():
        row(item["municipality_id"]).events_by_kind[item["kind"]] = item["n"]
    attendances = Attendance.objects.filter(region=region, fiscal_year=fiscal_year)
    grouped = attendances.values("municipality_id", "profession", "medical_institution")
    for counted in grouped.annotate(n=Sum("count")).order_by():
        target, profession = row(counted["municipality_id"]), counted["profession"]
        by_profession = target.attendance_by_profession
        by_profession[profession] = by_profession.get(profession, 0) + counted["n"]
        if counted["medical_institution"]:
            target.medical_attendance_by_profession[profession] = counted["n"]
    issues = Issue.objects.filter(region=region)
    raised = issues.filter(raised_on__gte=period.start, raised_on__lte=period.end)
    for raised_count in raised.values("municipality_id").annotate(n=Count("pk")).order_by():
        row(raised_count["municipality_id"]).issues_raised = raised_count["n"]
    closed = issues.filter(closed_on__gte=period.start, closed_on__lte=period.end)
    for closed_count in closed.values("municipality_id").annotate(n=Count("pk")).order_by():
        row(closed_count["municipality_id"]).issues_closed = closed_count["n"]
    done = Countermeasure.objects.filter(
        issue__region=region,
        status=Countermeasure.Status.DONE,
        done_on__gte=period.start,
        done_on__lte=period.end,
    )
    for done_count in done.values("issue__municipality_id").annotate(n=Count("pk")).order_by():
        row(done_count["issue__municipality_id"]).countermeasures_done = done_count["n"]
    return YearlyFigures(region, fiscal_year, [rows[m.pk] for m in municipalities] + [rows[None]])


def summary_for(actor: User, fiscal_year: int) -> tuple[YearlyFigures, list[MunicipalityFigures]]:
    """The figures and the rows ``actor`` may read: every row for a region administrator, their own
    municipality's for municipality staff."""
    region = permissions.home_region(actor)
    allowed = set(permissions.summary_municipalities(actor).values_list("pk", flat=True))
    if region is None or not allowed:
        raise PermissionDenied
    figures = yearly_figures(region, fiscal_year)
    if permissions.can_view_region_summary(actor):
        return figures, figures.rows
    return figures, [row for row in figures.rows if row.municipality and row.municipality.pk in allowed]


PROFESSIONS = User.Profession.choices
KINDS = EventKind.choices


def _summary_rows(rows: list[MunicipalityFigures]) -> list[list[object]]:
    return [
        [
            row.name,
            row.meetings,
            row.trainings,
            row.attendance,
            row.medical_attendance,
            row.issues_raised,
            row.issues_closed,
            row.countermeasures_done,
        ]
        for row in rows
    ]


SUMMARY_HEADINGS = [
    "市町村",
    "会議",
    "研修・講演",
    "出席者数",
    "うち医療機関",
    "課題の提起",
    "課題の終了",
    "対応策の実施",
]


def _table(sheet, headings: list[str], rows: list[list[object]]) -> None:
    """A table whose last row is its 合計 line."""
    append_row(sheet, headings)
    for values in rows:
        append_row(sheet, values)
    style_table(sheet, 1, len(rows) + 1, len(headings))
    sheet.column_dimensions["A"].width = 26


def summary_xlsx(figures: YearlyFigures, rows: list[MunicipalityFigures]) -> bytes:
    """The summary of ``rows`` as Excel: an overview, attendance by profession, 医療機関 attendance
    by profession and events by kind, each with its 合計 line."""
    total = total_of(rows)
    workbook, overview = new_workbook("概要")
    _table(overview, SUMMARY_HEADINGS, [*_summary_rows(rows), ["合計", *_summary_rows([total])[0][1:]]])
    headings = ["市町村", *(label for _c, label in PROFESSIONS)]
    for title, source in (
        ("職種別出席", lambda row: row.attendance_by_profession),
        ("うち医療機関", lambda row: row.medical_attendance_by_profession),
    ):
        table = [[row.name, *(source(row).get(code, 0) for code, _l in PROFESSIONS)] for row in rows]
        table.append(["合計", *(source(total).get(code, 0) for code, _l in PROFESSIONS)])
        _table(workbook.create_sheet(title), headings, table)
    kinds = [[row.name, *(row.events_by_kind.get(code, 0) for code, _l in KINDS)] for row in [*rows, total]]
    kinds[-1][0] = "合計"
    _table(workbook.create_sheet("種別"), ["市町村", *(label for _c, label in KINDS)], kinds)
    return workbook_bytes(workbook)
