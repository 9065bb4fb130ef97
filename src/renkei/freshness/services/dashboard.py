"""The figures of the freshness dashboard (aggregate queries only) and the Excel list of the entries
to phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Case, Count, Max, Q, QuerySet, Sum, When
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import Municipality
from renkei.core.spreadsheet import append_row, new_workbook
from renkei.directory.catalog import Category, FacilityStatus
from renkei.directory.models import Facility
from renkei.freshness.models import FacilityContact, FreshnessPolicy
from renkei.freshness.services.policy import policy_for
from renkei.freshness.services.review import pending_changes

if TYPE_CHECKING:
    from openpyxl import Workbook

KEYS = ("total", "fresh", "overdue", "never", "missing")
TREND_MONTHS = 12


@dataclass
class Dashboard:
    policy: FreshnessPolicy
    municipalities: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    totals: dict[str, int]
    overdue: list[Facility]
    overdue_count: int
    never: list[Facility]
    missing: list[Facility]
    bounced: list[FacilityContact]
    trend: list[dict[str, Any]]
    pending_reviews: int


def _month_starts(today: date, months: int) -> list[date]:
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def overdue_queryset(municipalities, policy: FreshnessPolicy, now: datetime) -> QuerySet[Facility]:
    cutoff = now - timedelta(days=policy.fresh_days)
    return (
        Facility.objects.filter(municipality__in=municipalities, verified_at__lt=cutoff)
        .exclude(status=FacilityStatus.CLOSED)
        .select_related("municipality")
        .order_by("verified_at", "id")
    )


def oldest_overdue(municipalities, policy: FreshnessPolicy, now: datetime, limit: int) -> list[Facility]:
    """The ``limit`` oldest overdue entries: the oldest few of each municipality (each an ordered walk
    of the (municipality, verified_at) index), merged."""
    cutoff = now - timedelta(days=policy.fresh_days)
    found: list[Facility] = []
    for municipality in municipalities:
        found.extend(
            Facility.objects.filter(municipality=municipality, verified_at__lt=cutoff)
            .exclude(status=FacilityStatus.CLOSED)
            .select_related("municipality")
            .order_by("verified_at", "id")[:limit]
        )
    return sorted(found, key=lambda facility: (facility.verified_at, facility.pk))[:limit]


@dataclass
class _Windows:
    """The trend's windows: for each month, the moment it is counted at (its end; for this month,
    now) and the start of the period an entry confirmed then counts as fresh."""

    months: list[date]
    starts: list[datetime]
    ends: list[datetime]


def _windows(policy: FreshnessPolicy, now: datetime, cutoff: datetime) -> _Windows:
    months = _month_starts(timezone.localdate(now), TREND_MONTHS)
    ends = [timezone.make_aware(datetime.combine(month, datetime.min.time())) for month in months[1:]]
    ends.append(now + timedelta(microseconds=1))
    fresh_for = timedelta(days=policy.fresh_days)
    starts = [end - fresh_for for end in ends[:-1]] + [cutoff]
    return _Windows(months, starts, ends)


def _confirmed_per_month(base: QuerySet[Facility], windows: _Windows) -> dict[str, int | None]:
    """Trend: for each month, how many entries were confirmed within the period as of the month's end.
    An entry was fresh at a moment T when one of its versions in the history carries a confirmation
    in [T - fresh_days, T); later confirmations add versions and never change past months.

    One query over the history: per listed entry (its versions come in id order from the index, so
    the grouping needs no sort) whether it had a confirmation in each window, then summed."""
    starts, ends = windows.starts, windows.ends
    flags = {
        f"f{index}": Max(
            Case(When(verified_at__gte=starts[index], verified_at__lt=ends[index], then=1), default=0)
        )
        for index in range(len(windows.months))
    }
    return (
        Facility.history.model.objects.filter(
            id__in=base.values("id"), verified_at__gte=min(starts), verified_at__lt=ends[-1]
        )
        .order_by()
        .values("id")
        .annotate(**flags)
        .aggregate(**{f"m{index}": Sum(f"f{index}") for index in range(len(windows.months))})
    )


def _scan(base: QuerySet[Facility], cutoff: datetime, windows: _Windows):
    """One scan, grouped by municipality and category; both tables are rolled up from it. Also the
    entries listed at each month's end (today's listed ones that existed then: created before it)."""
    counts = dict(
        total=Count("id"),
        fresh=Count("id", filter=Q(verified_at__gte=cutoff)),
        overdue=Count("id", filter=Q(verified_at__lt=cutoff)),
        never=Count("id", filter=Q(verified_at=None)),
        missing=Count("id", filter=Q(missing_from_source_at__isnull=False)),
        **{f"m{index}": Count("id", filter=Q(created_at__lt=end)) for index, end in enumerate(windows.ends)},
    )
    by_municipality: dict[int, dict[str, int]] = {}
    by_category: dict[str, dict[str, int]] = {}
    listed_per_month = [0] * len(windows.months)
    for values in base.values("municipality_id", "category").annotate(**counts).order_by():
        row = cast(dict[str, Any], values)  # the counts are keyed by name
        for bucket in (
            by_municipality.setdefault(row["municipality_id"], dict.fromkeys(KEYS, 0)),
            by_category.setdefault(row["category"], dict.fromkeys(KEYS, 0)),
        ):
            for key in KEYS:
                bucket[key] += row[key]
        for index in range(len(windows.months)):
            listed_per_month[index] += row[f"m{index}"]
    return by_municipality, by_category, listed_per_month


def _municipality_rows(municipalities: list[Municipality], by_municipality: dict[int, dict[str, int]]):
    rows = []
    totals = dict.fromkeys(KEYS, 0)
    for municipality in municipalities:
        row = by_municipality.get(municipality.pk, dict.fromkeys(KEYS, 0))
        for key in KEYS:
            totals[key] += row[key]
        rows.append(
            {
                "municipality": municipality,
                **{k: row[k] for k in KEYS},
                "share": _share(row["fresh"], row["total"]),
            }
        )
    totals["share"] = _share(totals["fresh"], totals["total"])
    return rows, totals


def _trend(
    windows: _Windows, listed_per_month: list[int], confirmed: dict[str, int | None], totals: dict[str, int]
):
    """Past months from the history; this month is the table's figure, read from the entries
    themselves (an entry confirmed without a version, as the demo data are, counts there too)."""
    trend = []
    current = len(windows.months) - 1
    for index, month in enumerate(windows.months):
        if index == current:
            listed, fresh = totals["total"], totals["fresh"]
        else:
            listed, fresh = listed_per_month[index], confirmed[f"m{index}"] or 0
        share = _share(fresh, listed) if listed else None
        height = round(120 * share / 100) if share else 0
        trend.append(
            {"label": f"{month.month}月", "year": month.year, "month": month.month, "share": share,
             "fresh": fresh, "listed": listed, "x": 40 + index * 50, "y": 150 - height, "height": height}
        )  # fmt: skip
    return trend


def _lists(municipalities, policy, now: datetime, totals: dict[str, int], limit: int):
    """The overdue, never-confirmed and missing entries and the bounced contacts, ``limit`` each."""
    listed = (
        Facility.objects.filter(municipality__in=municipalities)
        .exclude(status=FacilityStatus.CLOSED)
        .select_related("municipality")
    )
    overdue = oldest_overdue(municipalities, policy, now, limit) if totals["overdue"] else []
    never = list(listed.filter(verified_at=None).order_by("id")[:limit]) if totals["never"] else []
    missing = (
        list(
            listed.filter(missing_from_source_at__isnull=False).order_by("missing_from_source_at", "id")[
                :limit
            ]
        )
        if totals["missing"]
        else []
    )
    bounced = (
        FacilityContact.objects.filter(bounced_at__isnull=False, facility__municipality__in=municipalities)
        .select_related("facility__municipality")
        .order_by("-bounced_at")
    )
    return overdue, never, missing, list(bounced[:limit])


def dashboard(user, *, now: datetime | None = None, list_limit: int = 50) -> Dashboard:
    """The figures for the municipalities ``user`` manages, with aggregate queries only. Closed
    entries are left out everywhere on the page."""
    now = now or timezone.now()
    municipalities = list(permissions.freshness_municipalities(user).order_by("code"))
    policy = policy_for(permissions.home_region(user))
    cutoff = now - timedelta(days=policy.fresh_days)
    base = Facility.objects.filter(municipality__in=municipalities).exclude(status=FacilityStatus.CLOSED)
    windows = _windows(policy, now, cutoff)
    confirmed = _confirmed_per_month(base, windows)
    by_municipality, by_category, listed_per_month = _scan(base, cutoff, windows)
    municipality_rows, totals = _municipality_rows(municipalities, by_municipality)
    names = dict(Category.choices)
    category_rows = [
        {"category": category, "label": names.get(category, category), **row,
         "share": _share(row["fresh"], row["total"])}
        for category, row in sorted(by_category.items())
    ]  # fmt: skip
    overdue, never, missing, bounced = _lists(municipalities, policy, now, totals, list_limit)
    return Dashboard(
        policy=policy,
        municipalities=municipality_rows,
        categories=category_rows,
        totals=totals,
        overdue=overdue,
        overdue_count=totals["overdue"],
        never=never,
        missing=missing,
        bounced=bounced,
        trend=_trend(windows, listed_per_month, confirmed, totals),
        pending_reviews=pending_changes(user).count(),
    )


def overdue_workbook(user, *, now: datetime | None = None) -> Workbook:
    """The overdue and never-confirmed entries as an Excel workbook, oldest first, for phoning."""
    now = now or timezone.now()
    municipalities = list(permissions.freshness_municipalities(user))
    policy = policy_for(permissions.home_region(user))
    workbook, sheet = new_workbook("要確認")
    append_row(sheet, ["市町村", "名称", "種別", "電話番号", "所在地", "最終確認日", "状態"])
    never = (
        Facility.objects.filter(municipality__in=municipalities, verified_at=None)
        .exclude(status=FacilityStatus.CLOSED)
        .select_related("municipality")
        .order_by("municipality__code", "id")
    )
    for facility in [*never.iterator(), *overdue_queryset(municipalities, policy, now).iterator()]:
        append_row(
            sheet,
            [
                facility.municipality.name,
                facility.name,
                facility.get_category_display(),
                facility.phone,
                facility.address,
                timezone.localdate(facility.verified_at) if facility.verified_at else "未確認",
                "公表データに無し" if facility.missing_from_source_at else "",
            ],
        )
    for column, width in zip("ABCDEFG", (12, 36, 22, 16, 40, 14, 16), strict=True):
        sheet.column_dimensions[column].width = width
    return workbook


def freshness_by_municipality(
    municipalities: list[Municipality], region, *, now: datetime | None = None
) -> dict[int, dict[str, Any]]:
    """The dashboard's per-municipality figures (listed, fresh, overdue, never confirmed, missing
    and the fresh share in %) without a user: for the yearly survey (``renkei.reports``), which
    reports them per municipality of a region. Closed entries are left out, as on the dashboard."""
    now = now or timezone.now()
    policy = policy_for(region)
    cutoff = now - timedelta(days=policy.fresh_days)
    base = Facility.objects.filter(municipality__in=municipalities).exclude(status=FacilityStatus.CLOSED)
    by_municipality, _, _ = _scan(base, cutoff, _windows(policy, now, cutoff))
    rows, _ = _municipality_rows(municipalities, by_municipality)
    return {row["municipality"].pk: row for row in rows}
