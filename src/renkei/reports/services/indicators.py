"""Figures per municipality: as a survey reported them, or from the data of a period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied

from renkei.core import permissions
from renkei.core.fiscal import Period, fiscal_year_of, fiscal_year_range
from renkei.core.models import Region
from renkei.reports import indicators
from renkei.reports.models import ReportedFigure, ReportRound
from renkei.reports.services.entries import region_municipalities


@dataclass
class Indicators:
    """``municipalities``: name → field → value, every registered field for every municipality."""

    municipalities: dict[str, dict[str, indicators.Value]]
    basis: str  # 「報告された数値」 or 「データから集計」
    period: Period | None = None
    sources: list[tuple[str, str]] = field(default_factory=list)  # (source, what it covers)

    def as_json(self) -> dict:
        return {"municipalities": self.municipalities}


def _check(actor, region: Region) -> None:
    if actor is not None and not (
        permissions.can_use_reports(actor) and permissions.home_region(actor) == region
    ):
        raise PermissionDenied


def reported(report_round: ReportRound) -> Indicators:
    """The figures the municipalities typed into an imported survey; the other fields None."""
    names = indicators.fields()
    municipalities = region_municipalities(report_round.region)
    table: dict[str, dict[str, indicators.Value]] = {m.name: dict.fromkeys(names) for m in municipalities}
    for figure in ReportedFigure.objects.filter(round=report_round).select_related("municipality"):
        table.setdefault(figure.municipality.name, dict.fromkeys(names))[figure.key] = figure.value
    source = report_round.source or "取り込んだ調査"
    return Indicators(table, "報告された数値", sources=[(source, report_round.as_of_label)])


def from_data(actor, region: Region, period: Period) -> Indicators:
    """Every registered source's figures for ``period``."""
    municipalities = region_municipalities(region)
    table: dict[str, dict[str, indicators.Value]] = {m.name: {} for m in municipalities}
    sources = []
    for source in indicators.sources():
        values = source.compute(actor, region, municipalities, period)
        for municipality in municipalities:
            row = values.get(municipality.pk, {})
            table[municipality.name].update({name: row.get(name) for name in source.fields})
        sources.append((source.label, source.period_note or period.label))
    return Indicators(table, "データから集計", period, sources)


def indicators_for(
    actor, region: Region, *, as_of: date | None = None, fiscal_year: int | None = None
) -> Indicators:
    """For ``as_of``: the reported figures of the survey imported for that day, else the data from
    the start of its 年度 to that day. For ``fiscal_year``: the data of that whole 年度."""
    _check(actor, region)
    if as_of is not None:
        report_round = ReportRound.objects.filter(region=region, as_of=as_of).first()
        if report_round is not None and report_round.figures.exists():
            return reported(report_round)
        return from_data(actor, region, Period(fiscal_year_range(fiscal_year_of(as_of))[0], as_of))
    if fiscal_year is None:
        raise ValueError("as_of or fiscal_year")
    return from_data(actor, region, Period.for_fiscal_year(fiscal_year))
