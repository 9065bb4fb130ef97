"""Files people open in a spreadsheet (CSV, Excel): text shown as typed, never run; one look for tables.

Every CSV and Excel export writes its rows through :func:`csv_bytes`, :func:`text_csv_writer` or
:func:`append_row`, which pass each cell through :func:`spreadsheet_text`: a text cell that a
spreadsheet would read as a formula is neutralised (OWASP "CSV injection"); numbers and dates stay
numbers and dates, so a negative count is still a number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl takes a quarter of a second to import: only when a file is written
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# A cell starting with one of these is read as a formula (or a DDE command) by Excel and
# LibreOffice; a tab or carriage return in front does not stop them.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """Text that a spreadsheet shows as typed: a leading =, +, - or @ would otherwise make a
    free-text name, reason or summary a formula when the file is opened. Non-text values pass as
    they are."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def typed_text(text: str) -> str:
    """The text as typed, from a cell :func:`spreadsheet_text` wrote: a file exported by Renkei
    imports again unchanged."""
    if text[:1] == "'" and text[1:2] in _FORMULA_STARTS and text[1:2]:
        return text[1:]
    return text


def text_row(values: Iterable[object]) -> list[object]:
    """A row with every text cell made :func:`spreadsheet_text`; other values unchanged."""
    return [spreadsheet_text(value) for value in values]


class _TextCsvWriter:
    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, values: Iterable[object]) -> None:
        self._writer.writerow(text_row(values))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for values in rows:
            self.writerow(values)


def text_csv_writer(stream: IO[str], **options: Any) -> _TextCsvWriter:
    """:func:`csv.writer` whose every text cell is written as :func:`spreadsheet_text`."""
    return _TextCsvWriter(stream, **options)


def append_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """``sheet.append`` with every text cell written as text (:func:`spreadsheet_text`): openpyxl
    would store a string starting with "=" as a live formula."""
    sheet.append(text_row(values))


# --- writing CSV and Excel files ------------------------------------------------------------------

HEADING_FILL = "DDE5EE"  # the pale blue of heading rows
BORDER_COLOR = "999999"


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """CSV as Excel opens it without asking: UTF-8 with BOM, CRLF line ends."""
    text = io.StringIO()
    text_csv_writer(text, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def new_workbook(first_sheet_title: str) -> tuple[Workbook, Worksheet]:
    """A workbook and its first sheet, named."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):  # a new workbook always starts with one worksheet
        raise TypeError("openpyxl gave no worksheet")
    sheet.title = first_sheet_title
    return workbook, sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def print_setup(sheet: Worksheet, title_rows: str | None = None) -> None:
    """Print on A4, the whole width on one page, ``title_rows`` (e.g. "1:4") repeated on each page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    from openpyxl.worksheet.properties import PageSetupProperties

    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows


def sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", "・", title)[:31]


def bold_row(sheet: Worksheet, row: int) -> None:
    from openpyxl.styles import Font

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def style_table(sheet: Worksheet, header_row: int, total_row: int, columns: int) -> None:
    """Thin borders round a table; its heading row bold, shaded and centred, its total row bold."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color=BORDER_COLOR)
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=HEADING_FILL)
    for row_cells in sheet.iter_rows(min_row=header_row, max_row=total_row, max_col=columns):
        for cell in row_cells:
            cell.border = border
            if cell.row in (header_row, total_row):
                cell.font = bold
            if cell.row == header_row:
                cell.fill = fill
                cell.alignment = Alignment(horizontal="center")


def add_bar_chart(
    sheet: Worksheet,
    title: str,
    *,
    header_row: int,
    last_row: int,
    value_columns: tuple[int, int],
    stacked: bool = False,
    anchor: str = "G4",
) -> None:
    """An Excel bar chart of the table below ``header_row`` (labels in column A): horizontal bars of
    one series, or stacked columns of several with a legend."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.legend import Legend

    chart = BarChart()
    chart.type = "col" if stacked else "bar"
    chart.title = title
    chart.legend = None
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.legend = Legend()
    first, last = value_columns
    data = Reference(sheet, min_col=first, max_col=last, min_row=header_row, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row))
    chart.height = max(7.5, 0.5 * (last_row - header_row) + 3)
    chart.width = 16
    sheet.add_chart(chart, anchor)
