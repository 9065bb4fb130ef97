"""Reading the tables people upload: CSV, Excel workbooks (.xlsx) and zips of CSVs, strictly.

One encoding policy for every importer: UTF-8 (with or without BOM), else CP932 decoded strictly over
the whole file — never a statistical guess, which is not good enough for names and addresses. A file
that is neither is refused with a Japanese reason (:class:`TableError`, a ``RuleError``) naming it.

Typical use::

    table = read_table(TableFile.from_bytes(upload.name, data))
    for number, values in table.rows:  # number as a spreadsheet shows it (the header is usually 1)
        ...

CSV cells are strings; Excel cells keep their type (a date-and-time cell stays a ``datetime`` with its
time); :func:`cell_text` turns either into text. :func:`zip_members` opens a zip of CSVs (as
医療情報ネット ships its open data) into one :class:`TableFile` per member.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import IO, Any

from renkei.core.services import RuleError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
# Files people pick by mistake, recognised by their first bytes: refused by name, not as "garbage".
_FOREIGN_FORMATS = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG 画像",
    b"\xff\xd8\xff": "JPEG 画像",
    b"GIF8": "GIF 画像",
    b"\x1f\x8b": "gzip 圧縮",
}


class TableError(RuleError):
    """A file that cannot be read as a table at all (format, encoding, damage). The message is for people."""


class EmptyTable(TableError):
    """A file with no non-blank row at all."""


@dataclass(frozen=True)
class TableFile:
    """A file to read: its name (for messages) and a way to open its bytes, as often as needed."""

    name: str
    opener: Callable[[], IO[bytes]]

    def open(self) -> IO[bytes]:
        return self.opener()

    def head(self, size: int = 8) -> bytes:
        with self.open() as stream:
            return stream.read(size)

    @classmethod
    def from_path(cls, path: str | Path, name: str | None = None) -> TableFile:
        path = Path(path)
        return cls(name or path.name, lambda: path.open("rb"))

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> TableFile:
        return cls(name, lambda: io.BytesIO(data))


@dataclass
class Table:
    """The first non-blank row of a file (its header) and an iterator of the non-blank rows below it."""

    name: str
    header: list[Any]
    header_row: int
    rows: Iterator[tuple[int, list[Any]]]


# --- what kind of file ------------------------------------------------------------------------------


def is_zip(source: TableFile) -> bool:
    return source.head(4) == _ZIP_MAGIC


def _zip_names(source: TableFile) -> set[str] | None:
    try:
        with source.open() as stream, zipfile.ZipFile(stream) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return None


def is_xlsx(source: TableFile) -> bool:
    if not is_zip(source):
        return False
    return "xl/workbook.xml" in (_zip_names(source) or ())


def damaged_excel_message(name: str) -> str:
    return (
        f"{name} は壊れた Excel ファイルです（開けません）。"
        "Excel で開けるか確認し、「Excel ブック（.xlsx）」か CSV で保存し直してください。"
    )


def _refuse_foreign(source: TableFile, head: bytes) -> None:
    """Refuse a file that is plainly neither CSV nor Excel, naming what it is."""
    if source.name.lower().endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(
            f"{source.name} は古いExcel形式（.xls）などの、CSV でも Excel ブック（.xlsx）でもないファイルです。"
            "Excel で開き、「Excel ブック（.xlsx）」か CSV で保存し直してください。"
        )
    for magic, kind in _FOREIGN_FORMATS.items():
        if head.startswith(magic):
            raise TableError(
                f"{source.name} は{kind}のファイルで、CSV でも Excel ブック（.xlsx）でもありません。"
                "CSV か Excel ブック（.xlsx）を選んでください。"
            )


# --- the encoding -----------------------------------------------------------------------------------


def detect_encoding(source: TableFile) -> str:
    """``utf-8-sig`` (with or without BOM) or ``cp932``; refuse anything else with a reason.

    Strict decoding over the whole file in order BOM → UTF-8 → CP932."""
    head = source.head(4)
    if not head:
        raise EmptyTable(f"{source.name} は空のファイルです。")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TableError(
            f"{source.name} は UTF-16 で保存されています。UTF-8 か Shift_JIS（CP932）の CSV で保存し直してください。"
        )
    candidates = ["utf-8-sig"] if head.startswith(codecs.BOM_UTF8) else ["utf-8-sig", "cp932"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            with source.open() as stream:
                while chunk := stream.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise TableError(
                f"{source.name} を読み込めません（壊れたファイルです: {type(exc).__name__}）。"
            ) from None
        return encoding
    if head.startswith(codecs.BOM_UTF8):
        raise TableError(f"{source.name} は UTF-8 と書かれていますが、途中に UTF-8 でない文字があります。")
    raise TableError(
        f"{source.name} の文字コードを判別できません。CSV（UTF-8 または Shift_JIS）のファイルか確認してください。"
    )


# --- reading rows -----------------------------------------------------------------------------------


def _csv_rows(source: TableFile) -> Iterator[list[str]]:
    encoding = detect_encoding(source)
    stream = io.TextIOWrapper(source.open(), encoding=encoding, errors="strict", newline="")
    try:
        yield from csv.reader(stream)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise TableError(
            f"{source.name} を読み込めません（壊れたファイルです: {type(exc).__name__}）。"
        ) from None
    except csv.Error as exc:
        raise TableError(
            f"{source.name} は CSV として読めません（{exc}）。CSV ファイルか確認してください。"
        ) from None
    finally:
        stream.close()


def _xlsx_rows(source: TableFile) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        with source.open() as stream:
            workbook = load_workbook(io.BytesIO(stream.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise TableError(damaged_excel_message(source.name)) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


def read_rows(source: TableFile) -> Iterator[list[Any]]:
    """Every row of a CSV (UTF-8 or CP932) or of the first sheet of an Excel workbook, blank ones too."""
    head = source.head(8)
    if head.startswith(_ZIP_MAGIC):
        names = _zip_names(source)
        if names is not None and "xl/workbook.xml" in names:
            yield from _xlsx_rows(source)
            return
        if source.name.lower().endswith(EXCEL_SUFFIXES) or names is None:
            raise TableError(damaged_excel_message(source.name))
        raise TableError(f"{source.name} は zip ファイルです。この形式では zip を取り込めません。")
    if source.name.lower().endswith(EXCEL_SUFFIXES) and head:
        raise TableError(damaged_excel_message(source.name))
    _refuse_foreign(source, head)
    yield from _csv_rows(source)


def is_blank(values: list[Any]) -> bool:
    return all(value is None or not str(value).strip() for value in values)


def read_table(source: TableFile, *, max_rows: int | None = None) -> Table:
    """The header (the first non-blank row) and the non-blank rows below it, numbered as a spreadsheet
    shows them (blank lines above the header count). Raises :class:`EmptyTable` when there is no row,
    and :class:`TableError` while reading the rows once more than ``max_rows`` are found."""
    rows = read_rows(source)
    header_row = 0
    for values in rows:
        header_row += 1
        if not is_blank(values):
            header = values
            break
    else:
        raise EmptyTable(f"{source.name} にはデータがありません（空のファイルです）。")

    def body() -> Iterator[tuple[int, list[Any]]]:
        count = 0
        for number, values in enumerate(rows, header_row + 1):
            if not is_blank(values):
                count += 1
                if max_rows is not None and count > max_rows:
                    raise TableError(
                        f"{source.name}: 一度に取り込めるのは{max_rows}行までです。ファイルを分けてください。"
                    )
                yield number, values

    return Table(source.name, header, header_row, body())


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without ".0", a date-and-time at midnight as its date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else "×"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time.min else value.isoformat(sep=" ")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# --- zips of CSVs -----------------------------------------------------------------------------------


def zip_members(source: TableFile, suffixes: tuple[str, ...] = (".csv",)) -> list[TableFile]:
    """The members of a zip archive whose names end with ``suffixes`` (as 医療情報ネット ships its
    CSVs), or the file itself when it is not a zip (or is an Excel workbook)."""
    if not is_zip(source) or is_xlsx(source):
        return [source]
    try:
        with source.open() as stream, zipfile.ZipFile(stream) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith(suffixes)
            ]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise TableError(f"{source.name} は壊れた zip ファイルです（{exc}）。") from None
    if not members:
        raise TableError(f"{source.name} の中に CSV ファイルがありません。")
    result = []
    for info in members:

        def opener(info: zipfile.ZipInfo = info) -> IO[bytes]:
            return zipfile.ZipFile(source.open()).open(info)

        result.append(TableFile(f"{source.name}:{Path(info.filename).name}", opener))
    return result
