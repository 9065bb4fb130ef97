"""Importing a survey table from a PDF's text layer (``renkei reports import-seed``, ``load-demo``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from renkei.core import permissions
from renkei.core.models import Region
from renkei.reports.items import SHORT_NAMES
from renkei.reports.models import ActivityEntry, EntryStatus, ReportedFigure, ReportRound
from renkei.reports.seed import ParsedRow, SeedFormatError, parse_table, quoted_counts
from renkei.reports.services.entries import TEXT_FIELDS, _save, region_municipalities
from renkei.reports.services.rules import ReportError

IMPORT_REASON = "資料から取込"


@dataclass
class SeedImportResult:
    report_round: ReportRound
    created: int = 0
    unchanged: int = 0
    # Entries changed since an earlier import: left as they are, never overwritten.
    kept: list[str] = field(default_factory=list)
    figures: int = 0
    unclassified_rows: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        parts = [f"新規 {self.created}件", f"変更なし {self.unchanged}件"]
        if self.kept:
            parts.append(f"取込後に編集済みのため上書きせず {len(self.kept)}件")
        parts.append(f"報告された数値 {self.figures}件")
        if self.unclassified_rows:
            parts.append(f"未分類あり {len(self.unclassified_rows)}件")
        return "、".join(parts)


def _store_row(
    result: SeedImportResult, report_round: ReportRound, municipality, row: ParsedRow, actor
) -> None:
    values = {"activities": row.activities, "issues": row.issues, "requests": row.requests}
    values["unclassified"] = row.unclassified
    entry = ActivityEntry.objects.filter(round=report_round, municipality=municipality, item=row.item).first()
    label = f"{municipality.name} {SHORT_NAMES[row.item]}"
    if row.unclassified:
        result.unclassified_rows.append(label)
    if entry is None:
        entry = ActivityEntry(
            round=report_round,
            municipality=municipality,
            item=row.item,
            status=EntryStatus.SUBMITTED,
            **values,
        )
        _save(entry, actor, IMPORT_REASON)
        result.created += 1
    elif all(getattr(entry, name) == values[name] for name in TEXT_FIELDS):
        result.unchanged += 1
    else:
        result.kept.append(label)


def _store_figures(result: SeedImportResult, report_round: ReportRound, municipality, row: ParsedRow) -> None:
    for key, (value, quoted) in quoted_counts(row.activities).items():
        ReportedFigure.objects.update_or_create(
            round=report_round,
            municipality=municipality,
            key=key,
            defaults={"value": value, "quoted": quoted},
        )
        result.figures += 1


@transaction.atomic
def import_seed(actor, region: Region, as_of: date, text: str, *, source: str) -> SeedImportResult:
    """The table in ``text`` as the survey of ``region`` as of ``as_of``, each answer 提出 (waiting for
    the region administrator). Running it again adds nothing and overwrites no later edit. ``actor``
    None is the operator at the console."""
    if actor is not None and not permissions.can_manage_report_rounds(actor, region):
        raise PermissionDenied
    municipalities = {municipality.name: municipality for municipality in region_municipalities(region)}
    try:
        table = parse_table(text, set(municipalities))
    except SeedFormatError as exc:
        raise ReportError(str(exc), "file") from None
    if not table.rows:
        raise ReportError(f"{region.name}の市町村の行が見つかりません。", "file")
    report_round, _ = ReportRound.objects.get_or_create(
        region=region, as_of=as_of, defaults={"source": source}
    )
    result = SeedImportResult(report_round)
    for row in table.rows:
        municipality = municipalities[row.municipality]
        _store_row(result, report_round, municipality, row, actor)
        _store_figures(result, report_round, municipality, row)
    unclassified = "\n\n".join(table.unclassified)
    if unclassified and not report_round.unclassified:
        report_round.unclassified = unclassified
        report_round.save(update_fields=["unclassified"])
    return result
