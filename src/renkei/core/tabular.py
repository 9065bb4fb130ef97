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

Every file is bounded before it is read (:class:`Limits`, from the ``RENKEI_TABLE_*`` settings): its
size; for a zip or an Excel workbook (a zip too) the number of members, their total size unpacked and
their compression ratio, from the archive's directory and before anything is unpacked; then the rows
and columns while reading — the dimension a workbook declares is never trusted.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, time
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings

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
class Limits:
    """How large a table may be. ``max_rows`` counts the rows below the header, blank ones too."""

    max_bytes: int  # the file as given (a zip or workbook packed, a CSV as it is)
    max_uncompressed_bytes: int  # every member of a zip or workbook together, unpacked
    max_members: int
    max_ratio: int  # unpacked / packed size of one member
    max_columns: int
    max_rows: int | None = None

    @classmethod
    def from_settings(cls, **overrides: Any) -> Limits:  # field name → int, or None for max_rows
        limits = cls(
            max_bytes=settings.RENKEI_TABLE_MAX_BYTES,
            max_uncompressed_bytes=settings.RENKEI_TABLE_MAX_UNCOMPRESSED_BYTES,
            max_members=settings.RENKEI_TABLE_MAX_ZIP_MEMBERS,
            max_ratio=settings.RENKEI_TABLE_MAX_COMPRESSION_RATIO,
            max_columns=settings.RENKEI_TABLE_MAX_COLUMNS,
        )
        return replace(limits, **overrides)


# A member this small unpacks to nothing worth refusing, whatever its ratio.
_RATIO_FLOOR = 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f}MB" if size >= 1024 * 1024 else f"{size / 1024:,.0f}KB"


@dataclass(frozen=True)
class TableFile:
    """A file to read: its name (for messages) and a way to open its bytes, as often as needed."""

    name: str
    opener: Callable[[], IO[bytes]]
    size: int | None = None  # in bytes, when known without reading
    made_at: datetime | None = None  # when the file says it was made (a zip member's time)

    def open(self) -> IO[bytes]:
        return self.opener()

    def head(self, size: int = 8) -> bytes:
        with self.open() as stream:
            return stream.read(size)

    @classmethod
    def from_path(cls, path: str | Path, name: str | None = None) -> TableFile:
        path = Path(path)
        return cls(name or path.name, lambda: path.open("rb"), path.stat().st_size)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> TableFile:
        return cls(name, lambda: io.BytesIO(data), len(data))


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


def foreign_file_message(name: str, head: bytes) -> str:
    """Why a file that is plainly neither CSV nor Excel cannot be read, naming what it is ("" if it
    may be a table)."""
    if name.lower().endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            f"{name} は古いExcel形式（.xls）などの、CSV でも Excel ブック（.xlsx）でもないファイルです。"
            "Excel で開き、「Excel ブック（.xlsx）」か CSV で保存し直してください。"
        )
    for magic, kind in _FOREIGN_FORMATS.items():
        if head.startswith(magic):
            return (
                f"{name} は{kind}のファイルで、CSV でも Excel ブック（.xlsx）でもありません。"
                "CSV か Excel ブック（.xlsx）を選んでください。"
            )
    return ""


def _refuse_foreign(source: TableFile, head: bytes) -> None:
    message = foreign_file_message(source.name, head)
    if message:
        raise TableError(message)


# --- bounds -----------------------------------------------------------------------------------------

_END_RECORD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END_RECORD = b"PK\x06\x06"


def _declared_member_count(stream: IO[bytes]) -> int | None:
    """The number of members the archive's end record declares, read before its directory is parsed
    (parsing a directory of millions of entries is itself the attack). None when there is no record."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    tail_size = min(size, 22 + 0xFFFF)  # the end record and its comment
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < 22:
        return None
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    if count != 0xFFFF or at < 20 or tail[at - 20 : at - 16] != _ZIP64_LOCATOR:
        return count
    stream.seek(int.from_bytes(tail[at - 12 : at - 4], "little"))
    record = stream.read(40)
    if len(record) < 40 or record[:4] != _ZIP64_END_RECORD:
        return None
    return int.from_bytes(record[32:40], "little")


def check_size(source: TableFile, limits: Limits) -> None:
    if source.size is not None and source.size > limits.max_bytes:
        raise TableError(
            f"{source.name} は大きすぎます（{_megabytes(source.size)}、{_megabytes(limits.max_bytes)}まで）。"
            "ファイルを分けてください。"
        )


def check_archive(source: TableFile, limits: Limits) -> None:
    """Refuse a zip or workbook that would unpack into too many files, too many bytes, or from too few.

    Read from the archive's directory, before any member is unpacked. The sizes it declares bound what
    can be read: :mod:`zipfile` stops a member at its declared size (and then fails its CRC check)."""
    check_size(source, limits)
    with source.open() as stream:
        declared = _declared_member_count(stream)
        if declared is not None and declared > limits.max_members:
            raise _too_many_members(source, declared, limits)
        try:
            stream.seek(0)
            with zipfile.ZipFile(stream) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            return  # damaged: the reader says so in its own words
    if len(members) > limits.max_members:
        raise _too_many_members(source, len(members), limits)
    unpacked = sum(info.file_size for info in members)
    if unpacked > limits.max_uncompressed_bytes:
        raise TableError(
            f"{source.name} は展開すると{_megabytes(unpacked)}になります"
            f"（{_megabytes(limits.max_uncompressed_bytes)}まで）。ファイルを分けてください。"
        )
    for info in members:
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise TableError(
                f"{source.name} の「{info.filename}」は圧縮率が極端に高く"
                f"（{info.file_size // max(info.compress_size, 1):,}倍）、壊れたファイルか圧縮爆弾の疑いがあります。"
                "展開せずに取り込みを中止しました。"
            )


def _too_many_members(source: TableFile, count: int, limits: Limits) -> TableError:
    return TableError(
        f"{source.name} には{count:,}個のファイルが入っています（{limits.max_members}個まで）。"
        "展開せずに取り込みを中止しました。"
    )


def _too_wide(source: TableFile, limits: Limits) -> TableError:
    return TableError(f"{source.name} は列が多すぎます（{limits.max_columns}列まで）。")


def _too_long(source: TableFile, limits: Limits) -> TableError:
    return TableError(
        f"{source.name}: 一度に取り込めるのは{limits.max_rows}行までです。ファイルを分けてください。"
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


def _csv_rows(source: TableFile, limits: Limits) -> Iterator[list[str]]:
    encoding = detect_encoding(source)
    stream = io.TextIOWrapper(source.open(), encoding=encoding, errors="strict", newline="")
    try:
        for values in csv.reader(stream):
            if len(values) > limits.max_columns:
                raise _too_wide(source, limits)
            yield values
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


def _xlsx_rows(source: TableFile, limits: Limits) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    try:
        with source.open() as stream:
            workbook = load_workbook(io.BytesIO(stream.read()), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise TableError(damaged_excel_message(source.name)) from None
    try:
        if isinstance(sheet, ReadOnlyWorksheet):
            # The declared dimension (A1:XFD1048576 costs nothing to write) would pad every row to
            # its width and add its rows: without it, a row is as wide as its last cell.
            sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True):
            if len(values) > limits.max_columns:
                raise _too_wide(source, limits)
            yield list(values)
    except TableError:
        raise
    except Exception:  # a damaged sheet part is found only while it is read
        raise TableError(damaged_excel_message(source.name)) from None
    finally:
        workbook.close()


def read_rows(source: TableFile, limits: Limits | None = None) -> Iterator[list[Any]]:
    """Every row of a CSV (UTF-8 or CP932) or of the first sheet of an Excel workbook, blank ones too."""
    limits = limits or Limits.from_settings()
    check_size(source, limits)
    head = source.head(8)
    if head.startswith(_ZIP_MAGIC):
        check_archive(source, limits)
        names = _zip_names(source)
        if names is not None and "xl/workbook.xml" in names:
            yield from _xlsx_rows(source, limits)
            return
        if source.name.lower().endswith(EXCEL_SUFFIXES) or names is None:
            raise TableError(damaged_excel_message(source.name))
        raise TableError(f"{source.name} は zip ファイルです。この形式では zip を取り込めません。")
    if source.name.lower().endswith(EXCEL_SUFFIXES) and head:
        raise TableError(damaged_excel_message(source.name))
    _refuse_foreign(source, head)
    yield from _csv_rows(source, limits)


def is_blank(values: list[Any]) -> bool:
    return all(value is None or not str(value).strip() for value in values)


def read_table(source: TableFile, limits: Limits | None = None) -> Table:
    """The header (the first non-blank row) and the non-blank rows below it, numbered as a spreadsheet
    shows them (blank lines above the header count). Raises :class:`EmptyTable` when there is no row,
    and :class:`TableError` while reading once the file has more rows than ``limits.max_rows``."""
    limits = limits or Limits.from_settings()
    rows = read_rows(source, limits)
    header_row = 0
    for values in rows:
        header_row += 1
        if not is_blank(values):
            header = values
            break
        if limits.max_rows is not None and header_row > limits.max_rows:
            raise _too_long(source, limits)
    else:
        raise EmptyTable(f"{source.name} にはデータがありません（空のファイルです）。")

    def body() -> Iterator[tuple[int, list[Any]]]:
        last = None if limits.max_rows is None else header_row + limits.max_rows
        for number, values in enumerate(rows, header_row + 1):
            if last is not None and number > last:
                raise _too_long(source, limits)
            if not is_blank(values):
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


# Zip archives keep local times without a zone; the files people and the official sites upload are
# made in Japan.
ZIP_TIME_ZONE = ZoneInfo("Asia/Tokyo")


def _member_time(info: zipfile.ZipInfo) -> datetime | None:
    try:
        return datetime(*info.date_time, tzinfo=ZIP_TIME_ZONE)
    except ValueError:  # a member dated 1980-00-00 by a careless zipper
        return None


def zip_members(
    source: TableFile, suffixes: tuple[str, ...] = (".csv",), limits: Limits | None = None
) -> list[TableFile]:
    """The members of a zip archive whose names end with ``suffixes`` (as 医療情報ネット ships its
    CSVs), or the file itself when it is not a zip (or is an Excel workbook). The archive is checked
    against ``limits`` first; each member is then read with the same limits."""
    if not is_zip(source):
        return [source]
    check_archive(source, limits or Limits.from_settings())
    if is_xlsx(source):
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

        result.append(
            TableFile(f"{source.name}:{Path(info.filename).name}", opener, info.file_size, _member_time(info))
        )
    return result
