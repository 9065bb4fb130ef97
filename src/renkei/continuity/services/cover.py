"""Where the region has no 24-hour cover: per municipality, the facilities known to offer 24時間対応,
往診, 訪問診療 and 看取り, known not to, and not known (unknown is never counted as "no"), and the known
ones per 1,000 residents aged 65+ (the figures municipal staff enter, with source and year)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q

from renkei.continuity.models import ElderlyPopulation
from renkei.continuity.services._common import full_clean
from renkei.core import permissions
from renkei.core.models import Municipality, Region, User
from renkei.core.spreadsheet import append_row, bold_row, new_workbook, workbook_bytes
from renkei.directory.catalog import FacilityStatus
from renkei.directory.models import Facility, field_label

COVER_FIELDS = ("round_the_clock", "house_call", "home_visit_care", "end_of_life_care")


@dataclass(frozen=True)
class Cover:
    label: str
    known_true: int
    known_false: int
    unknown: int
    per_1000: Decimal | None


@dataclass(frozen=True)
class CoverRow:
    municipality: Municipality
    population: ElderlyPopulation | None
    covers: list[Cover]


def _per_1000(count: int, population: ElderlyPopulation | None) -> Decimal | None:
    if population is None or population.aged_65_plus == 0:
        return None
    return (Decimal(count * 1000) / population.aged_65_plus).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _counts(region: Region) -> dict[int, dict[str, Any]]:
    aggregates = {}
    for name in COVER_FIELDS:
        aggregates[f"{name}_true"] = Count("pk", filter=Q(**{name: True}))
        aggregates[f"{name}_false"] = Count("pk", filter=Q(**{name: False}))
        aggregates[f"{name}_unknown"] = Count("pk", filter=Q(**{f"{name}__isnull": True}))
    rows = (
        Facility.objects.filter(municipality__region=region)
        .exclude(status=FacilityStatus.CLOSED)
        .values("municipality_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {row["municipality_id"]: dict(row) for row in rows}


def latest_populations(municipality_ids: list[int]) -> dict[int, ElderlyPopulation]:
    latest: dict[int, ElderlyPopulation] = {}
    for figure in ElderlyPopulation.objects.filter(municipality_id__in=municipality_ids).order_by("year"):
        latest[figure.municipality_id] = figure
    return latest


def cover_table(actor: User, region: Region) -> list[CoverRow]:
    if not permissions.can_view_cover_table(actor):
        raise PermissionDenied
    municipalities = list(Municipality.objects.filter(region=region).order_by("code"))
    counts = _counts(region)
    populations = latest_populations([m.pk for m in municipalities])
    table = []
    for municipality in municipalities:
        row = counts.get(municipality.pk, {})
        population = populations.get(municipality.pk)
        covers = [
            Cover(
                field_label(name),
                row.get(f"{name}_true", 0),
                row.get(f"{name}_false", 0),
                row.get(f"{name}_unknown", 0),
                _per_1000(row.get(f"{name}_true", 0), population),
            )
            for name in COVER_FIELDS
        ]
        table.append(CoverRow(municipality, population, covers))
    return table


@transaction.atomic
def record_population(actor: User, municipality: Municipality, data: dict[str, Any]) -> ElderlyPopulation:
    if not permissions.can_enter_population(actor, municipality):
        raise PermissionDenied
    figure = ElderlyPopulation.objects.filter(municipality=municipality, year=data["year"]).first()
    figure = figure or ElderlyPopulation(municipality=municipality)
    for name, value in data.items():
        setattr(figure, name, value)
    figure.entered_by = actor
    full_clean(figure, exclude=["municipality", "entered_by"])
    figure.save()
    return figure


def cover_workbook(actor: User, region: Region) -> bytes:
    table = cover_table(actor, region)
    workbook, sheet = new_workbook("24時間対応の資源")
    header: list[object] = ["市町村", "65歳以上人口", "人口の年・出典"]
    for name in COVER_FIELDS:
        label = field_label(name)
        header += [f"{label} あり", f"{label} なし", f"{label} 不明", f"{label} あり（65歳以上千人あたり）"]
    append_row(sheet, header)
    bold_row(sheet, 1)
    for row in table:
        population = row.population
        cells: list[object] = [
            row.municipality.name,
            population.aged_65_plus if population else None,
            f"{population.year}年 {population.source}" if population else "未入力",
        ]
        for cover in row.covers:
            per_1000 = float(cover.per_1000) if cover.per_1000 is not None else None
            cells += [cover.known_true, cover.known_false, cover.unknown, per_1000]
        append_row(sheet, cells)
    return workbook_bytes(workbook)
