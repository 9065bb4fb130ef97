"""The sources of figures the apps in Renkei offer the survey: consultation counts (from the desk
records, through their statistics service), the directory's freshness, and meetings and trainings
held with their attendance (from the meetings app's yearly summary). The survey reads the other apps;
they never import it."""

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


MEETING_FIELDS = (
    "meetings_held", "trainings_held", "attendance", "medical_attendance",
    "issues_raised", "issues_closed", "countermeasures_done",
)  # fmt: skip


def meetings_and_trainings(
    actor, region: Region, municipalities: list[Municipality], period: Period
) -> dict[int, dict[str, Value]]:
    """The meetings app's yearly summary (its one source of these counts), by 年度 only: for a period
    that is not one whole 年度 the figures are not known (None), never a year's counts put on part of it."""
    from renkei.core import permissions
    from renkei.meetings.services.summary import yearly_figures

    unknown = {municipality.pk: dict.fromkeys(MEETING_FIELDS) for municipality in municipalities}
    if period.fiscal_year is None:
        return unknown
    visible = (
        None if actor is None else set(permissions.summary_municipalities(actor).values_list("pk", flat=True))
    )
    figures = yearly_figures(region, period.fiscal_year)
    for municipality in municipalities:
        if visible is not None and municipality.pk not in visible:
            continue
        row = figures.for_municipality(municipality)
        unknown[municipality.pk] = dict(
            zip(
                MEETING_FIELDS,
                (
                    row.meetings, row.trainings, row.attendance, row.medical_attendance,
                    row.issues_raised, row.issues_closed, row.countermeasures_done,
                ),
                strict=True,
            )
        )  # fmt: skip
    return unknown


def admissions_and_discharges(
    actor, region: Region, municipalities: list[Municipality], period: Period
) -> dict[int, dict[str, Value]]:
    """入退院 timeliness (the 入退院 app's counts, by the patients' municipality): admissions of the
    period and those whose 入院時情報提供 was in time; discharges and those contacted in time.
    Municipality staff read their own municipality's figures, the region administrator every one."""
    from renkei.core import permissions
    from renkei.transitions.services.indicators import FIELDS, timeliness_by_municipality

    visible = (
        None if actor is None else set(permissions.managed_municipalities(actor).values_list("pk", flat=True))
    )
    counts = timeliness_by_municipality(region, period.start, period.end)
    return {
        municipality.pk: (
            dict.fromkeys(FIELDS)
            if visible is not None and municipality.pk not in visible
            else {**dict.fromkeys(FIELDS, 0), **counts.get(municipality.pk, {})}
        )
        for municipality in municipalities
    }


def register_builtin() -> None:
    from renkei.transitions.services.indicators import FIELDS as TRANSITION_FIELDS

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
    register(
        Source(
            "meetings", "会議・研修（会議・研修の記録）", MEETING_FIELDS, meetings_and_trainings,
            ("会議の開催回数", "研修・講演の開催回数", "出席者数", "うち医療機関の出席者数",
             "提起された課題", "終了した課題", "実施した対応策"),
            "年度単位",
        )
    )  # fmt: skip
    register(
        Source(
            "transitions", "入退院調整（入院の記録）",
            TRANSITION_FIELDS, admissions_and_discharges,
            ("入院数", "うち入院時情報提供が期限内", "退院数（連絡期限あり）", "うち退院前の連絡が期限内"),
        )
    )  # fmt: skip
