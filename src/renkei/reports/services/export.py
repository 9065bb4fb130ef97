"""The regional table in the survey's layout: Excel (one sheet per item) and PDF (A4 landscape)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from renkei.core import permissions
from renkei.core.pdf import render_pdf
from renkei.core.spreadsheet import append_row, new_workbook, sheet_title, style_table, workbook_bytes
from renkei.reports.items import COLUMNS, SHORT_NAMES, Item
from renkei.reports.models import ActivityEntry, ReportRound
from renkei.reports.services.entries import region_municipalities

HEADERS = ["市町村名", *(label for _, label in COLUMNS)]
COLUMN_WIDTHS = {"A": 14, "B": 60, "C": 34, "D": 34}


@dataclass
class ItemTable:
    item: Item
    short_name: str
    title: str
    rows: list[tuple[str, ActivityEntry | None]]


def tables(report_round: ReportRound) -> list[ItemTable]:
    """Per item (旧ア … 旧キ), one row per municipality of the region in its order; a municipality
    without an entry (added to the region after the survey) gets an empty row."""
    by_cell = {
        (entry.municipality_id, entry.item): entry
        for entry in report_round.entries.select_related("municipality")
    }
    municipalities = region_municipalities(report_round.region)
    return [
        ItemTable(
            item,
            SHORT_NAMES[item],
            str(item.label),
            [(municipality.name, by_cell.get((municipality.pk, item))) for municipality in municipalities],
        )
        for item in Item
    ]


def _check(actor, report_round: ReportRound) -> None:
    if actor is not None and not permissions.can_export_report_round(actor, report_round):
        raise PermissionDenied


def _cells(entry: ActivityEntry | None) -> list[str]:
    return [getattr(entry, name) if entry is not None else "" for name, _ in COLUMNS]


def export_workbook(actor, report_round: ReportRound) -> bytes:
    """Sheets 旧ア … 旧キ: row 1 the item's title and the date line, row 2 the headings, then the
    municipalities. Text the import could not place is a cell note on the municipality's name."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    _check(actor, report_round)
    workbook, sheet = new_workbook(SHORT_NAMES[Item.A])
    for index, table in enumerate(tables(report_round)):
        if index:
            sheet = workbook.create_sheet(sheet_title(table.short_name))
        append_row(sheet, [table.title, "", "", report_round.as_of_label])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet["D1"].alignment = Alignment(horizontal="right")
        append_row(sheet, HEADERS)
        for name, entry in table.rows:
            append_row(sheet, [name, *_cells(entry)])
            if entry is not None and entry.unclassified:
                sheet.cell(sheet.max_row, 1).comment = Comment(f"未分類:\n{entry.unclassified}", "Renkei")
        style_table(sheet, 2, sheet.max_row, len(HEADERS))
        for row in sheet.iter_rows(min_row=3, max_col=len(HEADERS)):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for letter, width in COLUMN_WIDTHS.items():
            sheet.column_dimensions[letter].width = width
        sheet.print_title_rows = "2:2"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    return workbook_bytes(workbook)


def export_pdf(actor, report_round: ReportRound) -> bytes:
    """The same tables, A4 landscape, one item per page group, headings repeated on every page."""
    _check(actor, report_round)
    return render_pdf(
        "reports/table_pdf.html",
        {"report_round": report_round, "tables": tables(report_round), "headers": HEADERS},
    )


def filename(report_round: ReportRound, extension: str) -> str:
    return f"取組状況調査_{report_round.region.short_name}_{report_round.as_of:%Y%m%d}.{extension}"
