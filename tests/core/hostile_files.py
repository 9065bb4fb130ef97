"""Files that lie about their size, built small in memory: for the tests and the benchmark."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from openpyxl import Workbook

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace_members(data: bytes, parts: dict[str, Iterator[bytes] | bytes]) -> bytes:
    """The workbook ``data`` with some of its parts replaced (or added), streamed into the zip."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in parts.items():
            with target.open(name, "w", force_zip64=True) as stream:
                for chunk in [content] if isinstance(content, bytes) else content:
                    stream.write(chunk)
    return buffer.getvalue()


def _repeat(piece: bytes, size: int) -> Iterator[bytes]:
    chunk = piece * max(1, MB // len(piece))
    for _ in range(size // len(chunk)):
        yield chunk


def xlsx_bomb(headings: list[str], size: int = 200 * MB) -> bytes:
    """A workbook whose sheet unpacks to ``size`` bytes (blank space in its XML), packed in a few
    hundred KB."""
    header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in headings)

    def sheet() -> Iterator[bytes]:
        yield (_SHEET_START + f'<sheetData><row r="1">{header}</row>').encode()
        yield from _repeat(b" ", size)
        yield b"</sheetData></worksheet>"

    return _replace_members(workbook([headings]), {SHEET: sheet()})


def xlsx_million_rows(headings: list[str], rows: int = 1_000_000) -> bytes:
    """A workbook that declares A1:XFD{rows} and holds its headings and one cell on the last row:
    read trusting the dimension, it is a million rows of 16,384 cells."""
    header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in headings)
    sheet = (
        _SHEET_START
        + f'<dimension ref="A1:XFD{rows}"/><sheetData><row r="1">{header}</row>'
        + f'<row r="{rows}"><c r="A{rows}" t="inlineStr"><is><t>2024/04/08</t></is></c></row>'
        + "</sheetData></worksheet>"
    )
    return _replace_members(workbook([headings]), {SHEET: sheet.encode()})


def xlsx_declared_dimension_lies(rows: list[list[str]]) -> bytes:
    """A small honest table whose sheet declares A1:XFD1048576."""
    body = "".join(
        f'<row r="{n}">' + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in row) + "</row>"
        for n, row in enumerate(rows, 1)
    )
    sheet = _SHEET_START + f'<dimension ref="A1:XFD1048576"/><sheetData>{body}</sheetData></worksheet>'
    return _replace_members(workbook([]), {SHEET: sheet.encode()})


def xlsx_huge_shared_strings(headings: list[str], strings: int = 3_000_000) -> bytes:
    """A workbook whose shared-strings part holds millions of strings (tens of MB unpacked, packed
    in a few hundred KB); openpyxl loads that part whole before the first row."""

    def part() -> Iterator[bytes]:
        yield (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        )
        yield from _repeat(b"<si><t>a</t></si>", strings * 17)
        yield b"</sst>"

    return _replace_members(workbook([headings, headings]), {"xl/sharedStrings.xml": part()})


def xlsx_wide_rows(headings: list[str], rows: int = 20) -> bytes:
    """A workbook whose every row ends with a cell in the last column (XFD)."""
    body = "".join(
        f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="XFD{n}"><v>1</v></c></row>' for n in range(2, rows)
    )
    header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in headings)
    sheet = _SHEET_START + f'<sheetData><row r="1">{header}</row>{body}</sheetData></worksheet>'
    return _replace_members(workbook([]), {SHEET: sheet.encode()})


def zip_bomb(member: str = "01-1_hospital_facility_info.csv", size: int = 200 * MB) -> bytes:
    """A zip of one CSV that unpacks to ``size`` bytes from a few hundred KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(member, "w", force_zip64=True) as stream:
            stream.write("ID,名称\r\n".encode())
            for chunk in _repeat(b"1,a\r\n", size):
                stream.write(chunk)
    return buffer.getvalue()


def zip_of_many_members(count: int = 20_000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index in range(count):
            archive.writestr(f"{index}.csv", b"")
    return buffer.getvalue()
