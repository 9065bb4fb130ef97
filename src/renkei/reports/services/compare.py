"""What changed since the previous survey, per municipality and item, for the 協議会."""

from __future__ import annotations

from dataclasses import dataclass

from renkei.reports.items import COLUMNS, Item
from renkei.reports.models import ActivityEntry, ReportRound
from renkei.reports.services.entries import region_municipalities


@dataclass
class ColumnChange:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before.strip() != self.after.strip()


@dataclass
class RowChange:
    municipality: str
    columns: list[ColumnChange]

    @property
    def changed(self) -> bool:
        return any(column.changed for column in self.columns)


def previous_round(report_round: ReportRound) -> ReportRound | None:
    return (
        ReportRound.objects.filter(region=report_round.region, as_of__lt=report_round.as_of)
        .order_by("-as_of")
        .first()
    )


def _texts(report_round: ReportRound | None, item: Item) -> dict[int, ActivityEntry]:
    if report_round is None:
        return {}
    return {entry.municipality_id: entry for entry in report_round.entries.filter(item=item)}


def compare(report_round: ReportRound, item: Item, earlier: ReportRound | None) -> list[RowChange]:
    """One row per municipality of the region: each column before (``earlier``) and now."""
    before, after = _texts(earlier, item), _texts(report_round, item)
    rows = []
    for municipality in region_municipalities(report_round.region):
        old, new = before.get(municipality.pk), after.get(municipality.pk)
        rows.append(
            RowChange(
                municipality.name,
                [
                    ColumnChange(label, getattr(old, name, "") or "", getattr(new, name, "") or "")
                    for name, label in COLUMNS
                ],
            )
        )
    return rows
