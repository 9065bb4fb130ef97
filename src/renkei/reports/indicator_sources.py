"""The sources of figures the apps already in Renkei offer the survey: consultation counts (from
the desk records, through their statistics service) and the directory's freshness."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from renkei.core.fiscal import Period
from renkei.core.models import Municipality, Region
from renkei.reports.indicators import Source, Value, register

CONSULTATION_FIELDS = ("consultations_general", "consultations_agencies", "consultations_total")
FRESHNESS_FIELDS = ("directory_entries", "directory_fresh", "directory_fresh_share")


def consultation_counts(
    actor, region: Region, municipalities: list[Municipality], period: Period
) -> dict[int, dict[str, Value]]:
    """Cases per municipality split 一般住民/支援機関 as the 運営協議会 report counts them (every desk
    of the municipality; the statistics service decides what the actor may read)."""
    from renkei.consultations import services

    try:
        scope = (
            services.StatisticsScope.of(actor)
            if actor is not None
            else services.StatisticsScope.of_region(region)
        )
    except PermissionDenied:  # someone who may count no desk: the figures are not theirs to read
        return {municipality.pk: dict.fromkeys(CONSULTATION_FIELDS) for municipality in municipalities}
    visible = set(scope.municipalities.values_list("pk", flat=True))
    figures: dict[int, dict[str, Value]] = {}
    for municipality in municipalities:
        if municipality.pk not in visible:
            figures[municipality.pk] = dict.fromkeys(CONSULTATION_FIELDS)
            continue
        request = services.statistics_request(
            scope, start=period.start, end=period.end, municipality=municipality
        )
        general, agencies, total = services.statistics_of(request).table("month").totals
        figures[municipality.pk] = dict(zip(CONSULTATION_FIELDS, (general, agencies, total), strict=True))
    return figures


def directory_freshness(
    actor, region: Region, municipalities: list[Municipality], period: Period
) -> dict[int, dict[str, Value]]:
    """Entries listed, confirmed within the region's period and their share (%), now: a state, not a
    count over the period, so only for a period that has not ended (None for a past one)."""
    from renkei.freshness.services.dashboard import freshness_by_municipality

    if period.end < timezone.localdate():
        return {municipality.pk: dict.fromkeys(FRESHNESS_FIELDS) for municipality in municipalities}
    rows = freshness_by_municipality(municipalities, region)
    return {
        pk: {
            "directory_entries": row["total"],
            "directory_fresh": row["fresh"],
            "directory_fresh_share": row["share"],
        }
        for pk, row in rows.items()
    }


def register_builtin() -> None:
    register(
        Source(
            "consultations",
            "相談記録（相談支援）",
            CONSULTATION_FIELDS,
            consultation_counts,
            ("相談件数（一般住民）", "相談件数（支援機関）", "相談件数（計）"),
        )
    )
    register(
        Source(
            "freshness", "事業所情報の鮮度（情報更新）", FRESHNESS_FIELDS, directory_freshness,
            ("掲載事業所数", "有効期間内に確認済み", "確認済みの割合（%）"), "出力時点",
        )
    )  # fmt: skip
