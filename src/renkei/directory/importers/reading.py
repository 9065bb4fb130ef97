"""Reading the bytes of an import: files and zip members, the encoding (strict: UTF-8 or CP932),
CSV and Excel rows as strings, and columns found by the name in the header.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from renkei.core.tabular import foreign_file_message
from renkei.directory.importers.report import ImportRefused, ImportReport

MAX_ZIP_MEMBER_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class InputFile:
    """A file to import: its name (for messages and provenance) and a way to open its bytes."""

    name: str
    opener: Callable[[], IO[bytes]]
    made_at: datetime | None = None  # as a zip archive dates its members

    def open(self) -> IO[bytes]:
        return self.opener()

    def head(self, size: int = 8) -> bytes:
        with self.open() as stream:
            return stream.read(size)

    @classmethod
    def from_path(cls, path: str | Path, name: str | None = None) -> InputFile:
        path = Path(path)
        return cls(name or path.name, lambda: path.open("rb"))

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> InputFile:
        return cls(name, lambda: io.BytesIO(data))


def is_zip(input_file: InputFile) -> bool:
    return input_file.head(4) == b"PK\x03\x04"


def is_xlsx(input_file: InputFile) -> bool:
    if not is_zip(input_file):
        return False
    try:
        with input_file.open() as stream, zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return "xl/workbook.xml" in names


def expand_zip(input_file: InputFile, suffixes: tuple[str, ...] = (".csv",)) -> list[InputFile]:
    """The CSV members of a zip archive (as 医療情報ネット ships them), or the file itself."""
    if not is_zip(input_file) or is_xlsx(input_file):
        return [input_file]
    try:
        with input_file.open() as stream, zipfile.ZipFile(stream) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith(suffixes)
            ]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRefused(f"{input_file.name} は壊れた zip ファイルです（{exc}）。") from None
    if not members:
        raise ImportRefused(f"{input_file.name} の中に CSV ファイルがありません。")
    result = []
    for info in members:
        if info.file_size > MAX_ZIP_MEMBER_BYTES:
            raise ImportRefused(f"{input_file.name} の {info.filename} は大きすぎます（展開後 1 GB まで）。")

        def opener(info=info) -> IO[bytes]:
            data = input_file.open()
            archive = zipfile.ZipFile(data)
            return archive.open(info)

        try:
            made_at: datetime | None = datetime(*info.date_time, tzinfo=ZIP_TIME_ZONE)
        except ValueError:  # a member dated 1980-00-00 by a careless zipper
            made_at = None
        result.append(InputFile(f"{input_file.name}:{Path(info.filename).name}", opener, made_at))
    return result


# Zip archives keep local times without a zone; the official files are made in Japan.
ZIP_TIME_ZONE = ZoneInfo("Asia/Tokyo")
_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>\s*([^<\s]+)\s*<")


def file_made_at(input_file: InputFile) -> datetime | None:
    """When a file says it was made: an Excel workbook's last-saved time (its document properties) or
    a zip member's time; None for a CSV, which carries no date."""
    if input_file.made_at is not None:
        return input_file.made_at
    if not is_xlsx(input_file):
        return None
    try:
        with input_file.open() as stream, zipfile.ZipFile(stream) as archive:
            core = archive.read("docProps/core.xml")[:65536]
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    match = _MODIFIED.search(core)
    if match is None:
        return None
    try:
        moment = datetime.fromisoformat(match.group(1).decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def detect_encoding(input_file: InputFile) -> str:
    """``utf-8-sig`` (with or without BOM) or ``cp932``; refuse anything else with a reason.

    Strict decoding over the whole file in order BOM → UTF-8 → CP932: a statistical guess is
    not good enough for names and addresses."""
    head = input_file.head(4)
    if not head:
        raise ImportRefused(f"{input_file.name} は空のファイルです。")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportRefused(
            f"{input_file.name} は UTF-16 で保存されています。UTF-8 か Shift_JIS（CP932）の CSV で保存し直してください。"
        )
    candidates = ["utf-8-sig"] if head.startswith(codecs.BOM_UTF8) else ["utf-8-sig", "cp932"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            with input_file.open() as stream:
                while chunk := stream.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ImportRefused(
                f"{input_file.name} を読み込めません（壊れたファイルです: {type(exc).__name__}）。"
            ) from None
        return encoding
    if head.startswith(codecs.BOM_UTF8):
        raise ImportRefused(
            f"{input_file.name} は UTF-8 と書かれていますが、途中に UTF-8 でない文字があります。"
        )
    raise ImportRefused(
        f"{input_file.name} の文字コードを判別できません。CSV（UTF-8 または Shift_JIS）のファイルか確認してください。"
    )


_HEADER_FOLD = str.maketrans({"(": "（", ")": "）", " ": "", "\u3000": "", "\ufeff": ""})


def header_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name or "").translate(_HEADER_FOLD).strip().casefold()


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False


class HeaderMap:
    """Which position each known column has in a file's header; columns are found by name."""

    def __init__(self, columns: Iterable[Column], header: list[str]):
        self.header = header
        folded: dict[str, int] = {}
        for position, name in enumerate(header):
            folded.setdefault(header_key(name), position)
        self.positions: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        for column in columns:
            for name in (column.label, *column.aliases):
                if header_key(name) in folded:
                    self.positions[column.key] = folded[header_key(name)]
                    self.labels[column.key] = header[folded[header_key(name)]]
                    break
        self.columns = list(columns)

    def missing_required(self) -> list[str]:
        return [c.label for c in self.columns if c.required and c.key not in self.positions]

    def has(self, key: str) -> bool:
        return key in self.positions

    def getter(self, key: str) -> Callable[[list[str]], str]:
        position = self.positions.get(key)
        if position is None:
            return lambda row: ""
        return lambda row: row[position].strip() if position < len(row) else ""


def header_matches(header: list[str], labels: Iterable[str]) -> int:
    """How many of ``labels`` the header has (used to tell file kinds apart)."""
    present = {header_key(name) for name in header}
    return sum(1 for label in labels if header_key(label) in present)


def _csv_rows(input_file: InputFile) -> Iterator[list[str]]:
    encoding = detect_encoding(input_file)
    stream = io.TextIOWrapper(input_file.open(), encoding=encoding, errors="strict", newline="")
    try:
        yield from csv.reader(stream)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportRefused(
            f"{input_file.name} を読み込めません（壊れたファイルです: {type(exc).__name__}）。"
        ) from None
    except csv.Error as exc:
        raise ImportRefused(
            f"{input_file.name} は CSV として読めません（{exc}）。CSV ファイルか確認してください。"
        ) from None
    finally:
        stream.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else "×"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _xlsx_rows(input_file: InputFile) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        with input_file.open() as stream:
            workbook = load_workbook(io.BytesIO(stream.read()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ImportRefused(
            f"{input_file.name} は Excel ファイルとして読めません（{type(exc).__name__}）。"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def damaged_excel_message(name: str) -> str:
    return (
        f"{name} は壊れた Excel ファイルです（開けません）。"
        "Excel で開けるか確認し、「Excel ブック（.xlsx）」か CSV で保存し直してください。"
    )


def _zip_readable(input_file: InputFile) -> bool:
    try:
        with input_file.open() as stream, zipfile.ZipFile(stream) as archive:
            archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return False
    return True


def read_rows(input_file: InputFile) -> Iterator[list[str]]:
    """Rows of a CSV (UTF-8 or CP932) or of the first sheet of an Excel workbook, as strings."""
    if is_xlsx(input_file):
        yield from _xlsx_rows(input_file)
    elif is_zip(input_file):
        if input_file.name.lower().endswith(EXCEL_SUFFIXES) or not _zip_readable(input_file):
            raise ImportRefused(damaged_excel_message(input_file.name))
        raise ImportRefused(f"{input_file.name} は zip ファイルです。この形式では zip を取り込めません。")
    else:
        message = foreign_file_message(input_file.name, input_file.head(16))
        if message:
            raise ImportRefused(message)
        yield from _csv_rows(input_file)


NO_DATA_ROWS = "データ行がありません（見出しの行だけのファイルです）。"


def read_table(
    input_file: InputFile, report: ImportReport | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of ``(row_number, values)``; blank rows are skipped.

    Row numbers are those a spreadsheet shows (blank lines above the header count). With a
    ``report``, a file with a header and no data rows gets the warning 「データ行がありません」."""
    rows = read_rows(input_file)
    header: list[str] | None = None
    header_row = 0
    for values in rows:
        header_row += 1
        if any(value.strip() for value in values):
            header = values
            break
    if header is None:
        raise ImportRefused(f"{input_file.name} にはデータがありません（空のファイルです）。")

    def body() -> Iterator[tuple[int, list[str]]]:
        number = header_row
        found = False
        for values in rows:
            number += 1
            if any(value.strip() for value in values):
                found = True
                yield number, values
        if not found and report is not None:
            report.warn(input_file.name, None, "", NO_DATA_ROWS)

    return header, body()
