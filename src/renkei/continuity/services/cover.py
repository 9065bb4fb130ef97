"""Where the region has no 24-hour cover: per municipality, the facilities known to offer 24時間対応,
往診, 訪問診療 and 看取り, known not to, and not known (unknown is never counted as "no"), and the known
ones per 1,000 residents aged 65+ (the figures municipal staff enter, with source and year)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum

from renkei.continuity.models import CoverCount, ElderlyPopulation, LivingArea
from renkei.continuity.services._common import full_clean
from renkei.continuity.services.cover_summary import COVER_FIELDS
from renkei.core import permissions
from renkei.core.models import Municipality, Region, User
from renkei.core.spreadsheet import append_row, bold_row, new_workbook, workbook_bytes
from renkei.directory import geocoding
from renkei.directory.models import field_label

UNKNOWN_AREA = "不明"


@dataclass(frozen=True)
class Cover:
    capability: str  # the directory field, also the search page's ``capability`` parameter
    label: str
    known_true: int
    known_false: int
    unknown: int
    per_1000: Decimal | None


@dataclass(frozen=True)
class AreaRow:
    """One 日常生活圏域 (or, where the municipality has none, one 町字), or 「不明」: the facilities
    whose 町字 is not recognised or lies in no 圏域."""

    name: str
    covers: list[Cover]


@dataclass(frozen=True)
class CoverRow:
    municipality: Municipality
    population: ElderlyPopulation | None
    covers: list[Cover]
    areas: list[AreaRow] = field(default_factory=list)
    by_living_area: bool = False  # the areas are 日常生活圏域 (else 町字)


Tally = dict[str, int]  # "round_the_clock_true" … → facilities


def _per_1000(count: int, population: ElderlyPopulation | None) -> Decimal | None:
    if population is None or population.aged_65_plus == 0:
        return None
    return (Decimal(count * 1000) / population.aged_65_plus).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _counts(region: Region) -> dict[int, dict[str, Tally]]:
    """municipality id → 町字 ("" unknown) → tally, from the summary table."""
    rows = (
        CoverCount.objects.filter(municipality__region=region, count__gt=0)
        .values_list("municipality_id", "town", "capability", "state")
        .annotate(total=Sum("count"))
        .order_by()
    )
    result: dict[int, dict[str, Tally]] = {}
    for municipality_id, town, capability, state, total in rows:
        tally = result.setdefault(municipality_id, {}).setdefault(town, {})
        tally[f"{capability}_{state}"] = tally.get(f"{capability}_{state}", 0) + total
    return result


def _add(into: Tally, tally: Tally) -> None:
    for key, value in tally.items():
        into[key] = into.get(key, 0) + value


def _covers(tally: Tally, population: ElderlyPopulation | None) -> list[Cover]:
    return [
        Cover(
            name,
            field_label(name),
            tally.get(f"{name}_true", 0),
            tally.get(f"{name}_false", 0),
            tally.get(f"{name}_unknown", 0),
            _per_1000(tally.get(f"{name}_true", 0), population),
        )
        for name in COVER_FIELDS
    ]


def _areas(municipality: Municipality, towns: dict[str, Tally], living: list[LivingArea]) -> list[AreaRow]:
    """Per 日常生活圏域 where the municipality has them, else per 町字; 「不明」 last."""
    if living:
        area_of = {geocoding.town_key(town): area.name for area in living for town in area.towns}
        names = [area.name for area in living]
    else:
        area_of = {geocoding.town_key(town): town for town in towns if town}
        order = {town: n for n, town in enumerate(geocoding.towns_of(municipality.code))}
        names = sorted(area_of.values(), key=lambda town: (order.get(town, len(order)), town))
    tallies: dict[str, Tally] = {name: {} for name in [*names, UNKNOWN_AREA]}
    for town, tally in towns.items():
        _add(tallies[area_of.get(geocoding.town_key(town), UNKNOWN_AREA) if town else UNKNOWN_AREA], tally)
    return [AreaRow(name, _covers(tally, None)) for name, tally in tallies.items() if tally or living]


def cover_table(actor: User, region: Region) -> list[CoverRow]:
    if not permissions.can_view_cover_table(actor):
        raise PermissionDenied
    municipalities = list(Municipality.objects.filter(region=region).order_by("code"))
    counts = _counts(region)
    populations = latest_populations([m.pk for m in municipalities])
    living: dict[int, list[LivingArea]] = {}
    for area in LivingArea.objects.filter(municipality__region=region).order_by("name"):
        living.setdefault(area.municipality_id, []).append(area)
    table = []
    for municipality in municipalities:
        towns = counts.get(municipality.pk, {})
        total: Tally = {}
        for tally in towns.values():
            _add(total, tally)
        population = populations.get(municipality.pk)
        areas = _areas(municipality, towns, living.get(municipality.pk, []))
        table.append(
            CoverRow(municipality, population, _covers(total, population), areas, municipality.pk in living)
        )
    return table


def latest_populations(municipality_ids: list[int]) -> dict[int, ElderlyPopulation]:
    latest: dict[int, ElderlyPopulation] = {}
    for figure in ElderlyPopulation.objects.filter(municipality_id__in=municipality_ids).order_by("year"):
        latest[figure.municipality_id] = figure
    return latest


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


def _header(first: list[object], *, rates: bool) -> list[object]:
    header = list(first)
    for name in COVER_FIELDS:
        label = field_label(name)
        header += [f"{label} あり", f"{label} なし", f"{label} 不明"]
        if rates:
            header.append(f"{label} あり（65歳以上千人あたり）")
    return header


def cover_workbook(actor: User, region: Region) -> bytes:
    """The table on a first sheet, the breakdown per 日常生活圏域 or 町字 on a second."""
    table = cover_table(actor, region)
    workbook, sheet = new_workbook("24時間対応の資源")
    append_row(sheet, _header(["市町村", "65歳以上人口", "人口の年・出典"], rates=True))
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
    areas = workbook.create_sheet("圏域・町字別")
    append_row(areas, _header(["市町村", "区分", "日常生活圏域・町字"], rates=False))
    bold_row(areas, 1)
    for row in table:
        kind = "日常生活圏域" if row.by_living_area else "町字"
        for area in row.areas:
            cells = [row.municipality.name, kind, area.name]
            for cover in area.covers:
                cells += [cover.known_true, cover.known_false, cover.unknown]
            append_row(areas, cells)
    return workbook_bytes(workbook)
