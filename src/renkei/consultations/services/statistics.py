"""Counts of a desk's cases for a period: the statistics page, the API, the Excel and CSV reports and
the ``consultations report`` command all ask :func:`statistics_request` which desks and which days
are counted, and take their numbers from :func:`compute_statistics`, so they cannot disagree."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from renkei.consultations.models import (
    REQUESTER_GROUP,
    Channel,
    Consultation,
    ConsultationCategory,
    FollowUp,
    RequesterGroup,
    RequesterType,
    Response,
    Status,
)
from renkei.consultations.services import small_counts
from renkei.consultations.services.rules import MAX_ID, ConsultationError, check_day, check_period
from renkei.consultations.services.small_counts import check_counts_only_period, hide_small_counts
from renkei.core import charts, permissions
from renkei.core.fiscal import Period, fiscal_year_of, month_label
from renkei.core.models import Municipality, Organization, Region, User

# --- what is counted: desks and period -------------------------------------------------------------

EARLIEST_FISCAL_YEAR, LATEST_FISCAL_YEAR = 2000, 9000  # beyond these a 年度 is a typo, not a date


class FiscalYearOutOfRange(ConsultationError):
    """A 年度 no one can mean (before 2000 or thousands of years ahead)."""


class IncompletePeriod(ConsultationError):
    """A period with only one of its two days."""


@dataclass(frozen=True)
class StatisticsScope:
    """The desks (and the municipalities as a whole) whose counts someone may see."""

    desks: QuerySet[Organization]
    municipalities: QuerySet[Municipality]
    actor: User | None = None  # None: the operator's command, which counts as the region administrator

    @classmethod
    def of(cls, actor) -> StatisticsScope:
        """What ``actor`` may count; refuses someone who may count nothing."""
        desks = permissions.consultation_statistics_desks(actor).select_related("municipality")
        if not desks.exists():
            raise PermissionDenied
        return cls(desks, permissions.consultation_statistics_municipalities(actor), actor)

    @classmethod
    def of_region(cls, region: Region) -> StatisticsScope:
        """Every desk of the region, as its administrators count them (the operator's commands)."""
        return cls(
            permissions.region_consultation_desks(region).select_related("municipality"),
            Municipality.objects.filter(region=region),
        )


@dataclass(frozen=True)
class StatisticsRequest:
    desks: list[Organization]
    period: Period
    scope_label: str
    exact: bool = True  # False: counts only, small ones hidden (.small_counts)
    whole_municipalities: bool = True  # every desk of the municipalities counted, not one desk


def statistics_period(
    fiscal_year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> Period:
    """A 年度, or the days from ``start`` to ``end``; the current 年度 when nothing is given. Raises
    :class:`ConsultationError` naming the field at fault (``fiscal_year``, ``start`` or ``end``)."""
    if fiscal_year is not None:
        if not EARLIEST_FISCAL_YEAR <= fiscal_year <= LATEST_FISCAL_YEAR:
            raise FiscalYearOutOfRange(
                "年度は2000年度以降の西暦で指定してください（例: 2024）。", "fiscal_year"
            )
        period = Period.for_fiscal_year(fiscal_year)
        message = check_period(period.start, period.end, today)
        if message:
            raise ConsultationError(message, "fiscal_year")
        return period
    if start is not None and end is not None:
        message = check_period(start, end, today)
        if message:
            raise ConsultationError(message, "start" if check_day(start, today) else "end")
        return Period(start, end)
    if start is not None or end is not None:
        raise IncompletePeriod(
            "期間を指定するときは開始日と終了日の両方を入力してください。", "end" if start else "start"
        )
    return Period.for_fiscal_year(fiscal_year_of(today or timezone.localdate()))


def statistics_desks(
    scope: StatisticsScope,
    *,
    desk_id: int | None = None,
    municipality: Municipality | None = None,
) -> tuple[list[Organization], str]:
    """The desks counted and the report's label for them: one desk, one municipality's desks, or
    every desk of the scope. Raises ``PermissionDenied`` for a desk or municipality outside it."""
    if desk_id is not None:
        desks = list(scope.desks.filter(pk=desk_id)) if 0 < desk_id <= MAX_ID else []
        if not desks:
            raise PermissionDenied
        return desks, desks[0].name
    if municipality is not None:
        if not scope.municipalities.filter(pk=municipality.pk).exists():
            raise PermissionDenied
        return list(scope.desks.filter(municipality=municipality)), f"{municipality.name}の全窓口"
    desks = list(scope.desks)
    return desks, desks[0].name if len(desks) == 1 else "すべての窓口"


def statistics_request(
    scope: StatisticsScope,
    *,
    fiscal_year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    desk_id: int | None = None,
    municipality: Municipality | None = None,
) -> StatisticsRequest:
    """Which days and which desks a report counts, with the same limits for every caller."""
    period = statistics_period(fiscal_year, start, end)
    desks, label = statistics_desks(scope, desk_id=desk_id, municipality=municipality)
    return request_for(scope, desks, label, period, whole_municipalities=desk_id is None)


def request_for(
    scope: StatisticsScope,
    desks: list[Organization],
    label: str,
    period: Period,
    *,
    whole_municipalities: bool,
) -> StatisticsRequest:
    """The request for ``desks`` and ``period`` as the scope's person may see it: exact for desk staff
    on their own desk; otherwise counts only, refused for a period under a month."""
    exact = permissions.sees_exact_counts(scope.actor, desks)
    if not exact:
        check_counts_only_period(period)
    return StatisticsRequest(desks, period, label, exact, whole_municipalities)


# --- the counts ------------------------------------------------------------------------------------


# A count, or 「5件未満」 where someone who sees counts only may not read it (.small_counts).
CountCell = int | str


@dataclass
class Row:
    label: str
    values: list[CountCell]


@dataclass
class Table:
    key: str
    title: str
    label_heading: str
    columns: list[str]
    rows: list[Row]
    note: str = ""
    shown_totals: list[CountCell] | None = None  # set when small counts are hidden

    @property
    def totals(self) -> list[CountCell]:
        if self.shown_totals is not None:
            return self.shown_totals
        return [sum(int(row.values[i]) for row in self.rows) for i in range(len(self.columns))]

    @property
    def chart_column(self) -> int:
        """The column the bar chart draws (the last: 合計 or 件数)."""
        return len(self.columns) - 1


@dataclass
class Statistics:
    period: Period
    scope_label: str
    total: CountCell
    follow_up_count: CountCell
    tables: list[Table] = field(default_factory=list)
    small_counts_hidden: bool = False

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)

    @property
    def small_counts_note(self) -> str:
        return small_counts.NOTE if self.small_counts_hidden else ""

    @property
    def continuing(self) -> CountCell:
        return self.table("status").rows[0].values[0]


TOP_INSTITUTIONS = 20


def _count_table(key: str, title: str, heading: str, counts: dict[str, int], choices: Iterable) -> Table:
    rows = [Row(str(choice.label), [counts[choice]]) for choice in choices]
    return Table(key=key, title=title, label_heading=heading, columns=["件数"], rows=rows)


def _institution_table(
    rows: QuerySet[Consultation], facility_field: str, key_field: str, text_field: str, **labels
) -> Table:
    """Cases per institution: a directory facility counts as one, free text groups by its normalised form."""
    from renkei.directory.models import Facility

    grouped = list(
        rows.exclude(**{f"{facility_field}__isnull": True, key_field: ""})
        .values_list(f"{facility_field}_id", key_field)
        .annotate(n=Count("id"), text=Min(text_field))
        .order_by()
    )
    facilities = {
        pk: (name, municipality)
        for pk, name, municipality in Facility.objects.filter(
            pk__in={pk for pk, _, _, _ in grouped if pk is not None}
        ).values_list("pk", "name", "municipality__name")
    }
    # One entry per facility (however its name was typed) or per normalised free text.
    merged: dict[tuple[str, object], list] = {}
    for pk, key, n, text in grouped:
        name, municipality = facilities.get(pk, ("", "")) if pk is not None else (text, "")
        entry = merged.setdefault(
            ("facility", pk) if pk is not None else ("text", key), [name, municipality, 0]
        )
        entry[2] += n
    uses = Counter(name for name, _, _ in merged.values())
    # Institutions of the same name are told apart by their municipality (tables, charts, Excel).
    counts: list[tuple[str, int]] = [
        (f"{name}（{municipality}）" if municipality and uses[name] > 1 else name, n)
        for name, municipality, n in merged.values()
    ]
    counts.sort(key=lambda pair: (-pair[1], pair[0]))
    table_rows = [Row(name, [count]) for name, count in counts[:TOP_INSTITUTIONS]]
    rest = counts[TOP_INSTITUTIONS:]
    if rest:
        table_rows.append(Row(f"その他（{len(rest)}機関）", [sum(count for _, count in rest)]))
    return Table(columns=["件数"], rows=table_rows, label_heading="機関名", **labels)


@dataclass
class _Cube:
    """One grouped scan of the period's cases: month, requester type, channel, response and status."""

    by_month: dict[int, dict[str, int]]
    by_type: dict[str, int]
    by_channel: dict[str, int]
    by_response: dict[str, int]
    by_status: dict[str, int]

    @classmethod
    def of(cls, rows: QuerySet[Consultation]) -> _Cube:
        cube = cls(defaultdict(lambda: defaultdict(int)), *(defaultdict(int) for _ in range(4)))
        grouped = rows.values_list("received_month", "requester_type", "channel", "response", "status")
        for month, requester_type, channel, response, status, n in grouped.annotate(n=Count("id")).order_by():
            cube.by_month[month][REQUESTER_GROUP[requester_type]] += n
            cube.by_type[requester_type] += n
            cube.by_channel[channel] += n
            cube.by_response[response] += n
            cube.by_status[status] += n
        return cube


def _month_table(cube: _Cube, period: Period) -> Table:
    resident, support = RequesterGroup.RESIDENT, RequesterGroup.SUPPORT_ORGANIZATION
    rows = []
    for month in period.months():
        counts = cube.by_month[month]
        rows.append(
            Row(month_label(month), [counts[resident], counts[support], counts[resident] + counts[support]])
        )
    return Table(
        key="month",
        title="月別相談件数（一般住民・支援機関）",
        label_heading="月",
        columns=[str(resident.label), str(support.label), "合計"],
        rows=rows,
    )


def _category_table(desk_ids: list[int], period: Period) -> Table:
    """Categories: several per case, so their sum may exceed the number of cases."""
    through = Consultation.categories.through
    category_counts = dict(
        through.objects.filter(
            consultation__desk_id__in=desk_ids,
            consultation__received_on__range=(period.start, period.end),
        )
        .values_list("consultationcategory_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    region_ids = set(
        Organization.objects.filter(pk__in=desk_ids).values_list("municipality__region_id", flat=True)
    )
    categories = ConsultationCategory.objects.filter(
        Q(region_id__in=region_ids, is_active=True) | Q(pk__in=category_counts.keys())
    ).order_by("region_id", "order", "id")
    return Table(
        key="category",
        title="相談内容別件数",
        label_heading="相談内容",
        columns=["件数"],
        rows=[
            Row(
                category.name if category.is_active else f"{category.name}（使用終了）",
                [category_counts.get(category.pk, 0)],
            )
            for category in categories
        ],
        note="1件の相談で複数の内容を選べるため、合計は相談件数（延べではない件数）と一致しないことがあります。",
    )


def _desk_table(rows: QuerySet[Consultation], desk_ids: list[int]) -> Table:
    desk_counts = dict(rows.values_list("desk_id").annotate(n=Count("id")).order_by())
    desk_names = dict(Organization.objects.filter(pk__in=desk_ids).values_list("pk", "name"))
    by_count = sorted(desk_counts.items(), key=lambda pair: (-pair[1], desk_names[pair[0]]))
    desk_rows = [Row(desk_names[pk], [n]) for pk, n in by_count]
    return Table(
        key="desk", title="相談窓口別件数", label_heading="相談窓口", columns=["件数"], rows=desk_rows
    )


def _top_note(what: str) -> str:
    return (
        f"{what}が記録された相談のみ。上位{TOP_INSTITUTIONS}機関を表示し、残りは「その他」にまとめています。"
    )


def compute_statistics(
    desks: Sequence[Organization | int] | QuerySet[Organization], period: Period, scope_label: str
) -> Statistics:
    """Counts of the cases received in ``period`` by ``desks``: the one source of every report."""
    desk_ids = [desk.pk if isinstance(desk, Organization) else desk for desk in desks]
    rows = Consultation.objects.filter(desk_id__in=desk_ids, received_on__range=(period.start, period.end))
    cube = _Cube.of(rows)
    tables = [
        _month_table(cube, period),
        Table(
            key="requester_type",
            title="相談者別件数",
            label_heading="相談者",
            columns=["件数"],
            rows=[
                Row(f"{choice.label}（{RequesterGroup(REQUESTER_GROUP[choice]).label}）", [cube.by_type[choice]])
                for choice in RequesterType
            ],
        ),
        _category_table(desk_ids, period),
        _institution_table(
            rows, "requester_facility", "requester_institution_key", "requester_institution",
            key="requester_institution", title="相談者の所属機関別件数（上位）", note=_top_note("所属機関"),
        ),
        _count_table("channel", "相談経路別件数", "経路", cube.by_channel, Channel),
        _count_table("response", "対応別件数", "対応", cube.by_response, Response),
        _institution_table(
            rows, "referred_facility", "referred_institution_key", "referred_institution",
            key="referred_institution", title="紹介先機関別件数（上位）", note=_top_note("紹介先"),
        ),
        _count_table("status", "継続・終結", "状況", cube.by_status, Status),
    ]  # fmt: skip
    if len(desk_ids) > 1:
        tables.append(_desk_table(rows, desk_ids))
    start, end = period.bounds()
    follow_up_count = FollowUp.objects.filter(
        consultation__desk_id__in=desk_ids, occurred_at__gte=start, occurred_at__lt=end
    ).count()
    return Statistics(
        period=period,
        scope_label=scope_label,
        total=sum(cube.by_type.values()),
        follow_up_count=follow_up_count,
        tables=tables,
    )


def statistics_of(request: StatisticsRequest) -> Statistics:
    """The counts of ``request``, as the person who asked may read them."""
    statistics = compute_statistics(request.desks, request.period, request.scope_label)
    if request.exact:
        return statistics
    return hide_small_counts(statistics, whole_municipalities=request.whole_municipalities)


# --- the page's charts -----------------------------------------------------------------------------


def _length(value: CountCell) -> int:
    """A bar's length: a hidden count (「5件未満」) draws none, its label says why."""
    return value if isinstance(value, int) else 0


def bar_chart(table: Table) -> charts.Chart:
    """Horizontal bars, one per row; the month table stacks 一般住民 and 支援機関."""
    if table.key == "month":
        groups = [
            (str(RequesterGroup.RESIDENT.label), "bar--resident"),
            (str(RequesterGroup.SUPPORT_ORGANIZATION.label), "bar--support"),
        ]
        stacked = [
            (row.label, row.values[table.chart_column], [_length(value) for value in row.values[:2]])
            for row in table.rows
        ]
        return charts.bar_chart(stacked, [css for _, css in groups], legend=groups)
    single = [
        (row.label, row.values[table.chart_column], [_length(row.values[table.chart_column])])
        for row in table.rows
    ]
    return charts.bar_chart(single, ["bar--single"])
