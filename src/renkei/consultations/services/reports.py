"""The statistics as files (the 運営協議会's Excel report, CSV) and a desk's records as CSV."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from renkei.consultations.models import Consultation
from renkei.consultations.services.importing import IMPORT_HEADINGS
from renkei.consultations.services.recording import ListFilter, consultation_list
from renkei.consultations.services.statistics import Statistics, Table
from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.fiscal import day_label, fiscal_year_label
from renkei.core.models import AccessLog, Organization
from renkei.core.spreadsheet import (
    add_bar_chart,
    append_row,
    csv_bytes,
    new_workbook,
    print_setup,
    sheet_title,
    style_table,
    workbook_bytes,
)


def _summary_sheet(sheet, statistics: Statistics) -> None:
    from openpyxl.styles import Font

    period = statistics.period
    heading = "相談支援 集計表"
    if period.fiscal_year is not None:
        heading = f"{fiscal_year_label(period.fiscal_year)} {heading}"
    append_row(sheet, [heading])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [])
    month = next((table for table in statistics.tables if table.key == "month"), None)
    split = [("うち一般住民", month.totals[0]), ("うち支援機関", month.totals[1])] if month else []
    for label, value in [
        ("対象", statistics.scope_label),
        ("期間", period.label),
        ("相談件数（新規）", statistics.total),
        *split,
        ("うち継続中", statistics.continuing),
        ("継続対応の回数（期間内）", statistics.follow_up_count),
        ("作成日", day_label(timezone.localdate())),
        *([("注記", statistics.small_counts_note)] if statistics.small_counts_hidden else []),
    ]:
        append_row(sheet, [label, value])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 48
    print_setup(sheet)


def _table_sheet(sheet, statistics: Statistics, table: Table) -> None:
    from openpyxl.styles import Font

    append_row(sheet, [table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [f"{statistics.scope_label}　{statistics.period.label}"])
    append_row(sheet, [])
    append_row(sheet, [table.label_heading, *table.columns])
    header_row = sheet.max_row
    for row in table.rows:
        append_row(sheet, [row.label, *row.values])
    append_row(sheet, ["合計", *table.totals])
    total_row = sheet.max_row
    style_table(sheet, header_row, total_row, len(table.columns) + 1)
    if table.rows:  # the page's bar chart beside the table, the 合計 row left out
        stacked = table.key == "month"
        add_bar_chart(
            sheet,
            table.title,
            header_row=header_row,
            last_row=total_row - 1,
            value_columns=(2, 3) if stacked else (2, 2),
            stacked=stacked,
        )
    if table.note:
        append_row(sheet, [])
        append_row(sheet, [table.note])
    sheet.column_dimensions["A"].width = 40
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 12
    # The title, the scope and the column headings on every printed page.
    print_setup(sheet, f"1:{header_row}")


def statistics_workbook(statistics: Statistics) -> bytes:
    """The report for the 運営協議会: a summary sheet, then one sheet per table."""
    workbook, summary = new_workbook("概要")
    _summary_sheet(summary, statistics)
    for table in statistics.tables:
        _table_sheet(workbook.create_sheet(sheet_title(table.title)), statistics, table)
    return workbook_bytes(workbook)


def statistics_csv(statistics: Statistics) -> bytes:
    """The same tables as the page and the Excel report, one after another, UTF-8 with BOM."""
    rows: list[list] = [
        ["相談支援 集計表"],
        ["対象", statistics.scope_label],
        ["期間", statistics.period.label],
        ["相談件数（新規）", statistics.total],
        ["継続対応の回数（期間内）", statistics.follow_up_count],
        *([["注記", statistics.small_counts_note]] if statistics.small_counts_hidden else []),
    ]
    for table in statistics.tables:
        rows.append([])
        rows.append([table.title])
        rows.append([table.label_heading, *table.columns])
        rows.extend([row.label, *row.values] for row in table.rows)
        rows.append(["合計", *table.totals])
    return csv_bytes(rows)


def records_csv(consultations) -> bytes:
    """The desk's records in the import template's columns (so the file can be imported again),
    with the case number first. UTF-8 with BOM. Summaries included: :func:`export_records` logs them."""
    rows: list[list] = [["番号", *IMPORT_HEADINGS]]
    for c in consultations:
        rows.append(
            [
                c.pk,
                timezone.localtime(c.received_at).strftime("%Y/%m/%d %H:%M"),
                c.get_channel_display(),
                c.get_requester_type_display(),
                c.requester_institution_name,
                c.get_subject_age_band_display(),
                c.get_subject_sex_display(),
                c.subject_municipality.name if c.subject_municipality else "",
                "、".join(category.name for category in c.categories.all()),
                c.summary,
                c.get_response_display(),
                c.referred_institution_name,
                "" if c.minutes_spent is None else c.minutes_spent,
                c.get_status_display(),
                c.next_action_on.strftime("%Y/%m/%d") if c.next_action_on else "",
                c.staff_display,
            ]
        )
    return csv_bytes(rows)


def export_records(actor, desk: Organization, filters: ListFilter) -> bytes:
    """The desk's records (with the list's filters, oldest first) as CSV; each exported record is logged."""
    own = permissions.consultation_desk_of(actor)
    if own is None or own.pk != desk.pk:
        raise PermissionDenied
    rows: list[Consultation] = list(
        consultation_list([desk], filters)
        .select_related("referred_facility", "subject_municipality")
        .order_by("received_at", "id")[: settings.CONSULTATIONS_IMPORT_MAX_ROWS]
    )
    for consultation in rows:
        record_access(
            actor, action=AccessLog.Action.EXPORT, subject_type="consultation", subject_id=consultation.pk
        )
    return records_csv(rows)
