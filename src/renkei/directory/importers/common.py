"""What every importer shares: reading bytes, the encoding, headers by name, normalising values,
the per-row Japanese error model, the report, and writing records to the database in bulk.

The importers (``kaigo``, ``iryo``, ``renkei_template``) turn files into :class:`Record` objects;
:class:`Writer` compares them with the database by official code and adds, updates or leaves them.
Nothing is written when any row is invalid, unless the caller asked to skip invalid rows.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import operator
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language

from renkei.core.formats import DASHES, InvalidFormat
from renkei.core.models import Municipality
from renkei.directory.catalog import CAPABILITIES, CAPABILITY_FIELDS, CATEGORY_PRECEDENCE, Category
from renkei.directory.geocoding import municipality_bounds
from renkei.directory.models import Facility, FacilityService, search_grams_for
from renkei.directory.search_index import indexed_after_bulk_insert

BATCH_SIZE = 2000
MAX_LISTED_ISSUES = 1000
MAX_ZIP_MEMBER_BYTES = 1024 * 1024 * 1024
ERROR_COLUMN = "エラー"


# --- errors and the report ---------------------------------------------------------------------


class ImportRefused(Exception):
    """A file that cannot be read at all (encoding, format, headers). The message is for people."""


# One value that cannot be accepted (the message is for people): the field formats' own error, so
# that the format cleaners of renkei.core.formats raise what the importers collect.
FieldError = InvalidFormat


@dataclass(frozen=True)
class Issue:
    file: str
    row: int | None  # the row number as a spreadsheet shows it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" {self.row}行目"
        if self.column:
            where += f"「{self.column}」"
        return f"{where}: {self.message}"


@dataclass
class RejectedRow:
    file: str
    row: int
    header: list[str]
    values: list[str]
    messages: list[str]


@dataclass
class MissingFacility:
    id: int
    name: str
    code: str


@dataclass
class ImportReport:
    format: str
    dry_run: bool = False
    skip_invalid: bool = False
    full: bool = False
    files: list[str] = field(default_factory=list)
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    rejected: int = 0
    out_of_scope: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    refused: str = ""
    written: bool = False
    missing_facilities: list[MissingFacility] = field(default_factory=list)
    rejected_rows: list[RejectedRow] = field(default_factory=list)

    def error(self, file: str, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ISSUES:
            self.errors.append(Issue(file, row, column, message))

    def warn(self, file: str, row: int | None, column: str, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_LISTED_ISSUES:
            self.warnings.append(Issue(file, row, column, message))

    def reject_row(
        self, file: str, row: int, header: list[str], raw: list[str], problems: list[tuple[str, str]]
    ) -> None:
        """A file row refused for ``problems`` ((column, message) each): every problem listed as an
        error, and the row kept as it was read, for the rejected-rows CSV."""
        self.rejected += 1
        for column, message in problems:
            self.error(file, row, column, message)
        self.rejected_rows.append(RejectedRow(file, row, header, raw, [message for _, message in problems]))

    def refuse(self, message: str) -> None:
        self.refused = message

    @property
    def ok(self) -> bool:
        return not self.refused and (self.error_count == 0 or self.skip_invalid)

    @property
    def blocked_by_errors(self) -> bool:
        return not self.refused and self.error_count > 0 and not self.skip_invalid

    def summary_lines(self) -> list[str]:
        if self.refused:
            return [f"取り込めません: {self.refused}", "データベースは変更していません。"]
        lines = []
        if self.blocked_by_errors:
            lines.append(
                f"エラーが {self.error_count} 件あるため、何も取り込んでいません"
                "（--skip-invalid を付けると正しい行だけを取り込めます）。"
            )
        else:
            head = "取り込みの予定（確認のみ・書き込みなし）" if self.dry_run else "取り込み結果"
            lines.append(
                f"{head}: 追加 {self.added} 件、更新 {self.updated} 件、変更なし {self.unchanged} 件、"
                f"{'一覧にない ' + str(self.missing) + ' 件、' if self.full else ''}"
                f"除外 {self.rejected} 件"
            )
        if self.out_of_scope:
            lines.append(
                f"Renkei に登録されていない市町村の行 {self.out_of_scope} 件は対象外として読み飛ばしました。"
            )
        return lines

    def unlisted_errors(self) -> int:
        return self.error_count - len(self.errors)

    def unlisted_warnings(self) -> int:
        return self.warning_count - len(self.warnings)


# --- reading bytes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InputFile:
    """A file to import: its name (for messages and provenance) and a way to open its bytes."""

    name: str
    opener: Callable[[], IO[bytes]]

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

        result.append(InputFile(f"{input_file.name}:{Path(info.filename).name}", opener))
    return result


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


# --- headers by name ----------------------------------------------------------------------------


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
        folded = {}
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


# --- reading rows -------------------------------------------------------------------------------


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


# --- checking cells -----------------------------------------------------------------------------

# Control characters other than tab and line breaks: a NUL cannot be stored by PostgreSQL at all,
# and the others are debris of a broken export, never part of a name or an address.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_NAMES = {"\x00": "NUL"}


def control_character_problems(header: list[str], row: list[str]) -> list[tuple[str, str]]:
    """``(column, message)`` for each cell of ``row`` holding a control character; one regular
    expression over the joined row in the usual case (nothing found), so it costs next to nothing."""
    if _CONTROL.search("".join(row)) is None:
        return []
    problems = []
    for position, value in enumerate(row):
        found = _CONTROL.search(value)
        if found is None:
            continue
        column = header[position] if position < len(header) and header[position] else f"{position + 1}列目"
        char = found.group()
        shown = _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")
        problems.append(
            (
                column,
                f"制御文字（{shown}）が含まれています。壊れたファイルの可能性があります。"
                "元のファイルを確認し、この文字を消してから取り込んでください。",
            )
        )
    return problems


_MAX_LENGTHS: dict[str, int] = {}


def _max_lengths() -> dict[str, int]:
    if not _MAX_LENGTHS:
        _MAX_LENGTHS.update(
            (f.attname, f.max_length)
            for f in Facility._meta.concrete_fields
            if getattr(f, "max_length", None) and not f.choices
        )
    return _MAX_LENGTHS


def length_problems(values: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str]]:
    """``(column, message)`` for each text value longer than its database column allows, checked
    while parsing so that SQLite (which would store it) and PostgreSQL (which would refuse the
    whole import) behave the same. ``labels`` names the file's column of each field."""
    problems = []
    limits = _MAX_LENGTHS or _max_lengths()
    for name, value in values.items():
        if value.__class__ is str and len(value) > limits.get(name, 1 << 30):
            limit = limits[name]
            column = labels.get(name) or str(Facility._meta.get_field(name).verbose_name)
            problems.append((column, f"{column}が長すぎます（{limit}文字まで、この行は{len(value)}文字）。"))
    return problems


SOURCE_FILE_LIMIT = 255  # Facility.source_file


def stored_file_name(name: str, limit: int = SOURCE_FILE_LIMIT) -> str:
    """The file name kept as a facility's provenance: no control characters, and at most ``limit``
    characters — a long name keeps its beginning and its end (the zip member's own name)."""
    name = _CONTROL.sub("_", name)
    if len(name) <= limit:
        return name
    tail = limit // 2
    return f"{name[: limit - tail - 1]}…{name[-tail:]}"


# --- normalising values -------------------------------------------------------------------------


_DASHES = DASHES
_SPACES = re.compile(r"[\s\u3000]+")


def clean_text(value: str) -> str:
    """Trim and fold runs of whitespace (including line breaks inside a cell) to one space."""
    return _SPACES.sub(" ", value).strip()


_DASH_BETWEEN_DIGITS = re.compile(rf"(?<=[0-9])[{_DASHES}-](?=[0-9])")


def clean_address(value: str) -> str:
    """Addresses keep their kanji but get half-width digits and ASCII hyphens between numbers."""
    text = unicodedata.normalize("NFKC", clean_text(value))
    return _DASH_BETWEEN_DIGITS.sub("-", text)


_EMAIL = re.compile(r"^(mailto:)?[^@\s/]+@[^@\s/]+\.[^@\s/]+$", re.IGNORECASE)


def normalize_url(value: str) -> tuple[str, str]:
    """``(url, warning)``: repairs ``http//`` and a missing scheme; an e-mail address or something
    that is not a web address gives an empty URL and a warning (the row itself stays valid)."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return "", ""
    if _EMAIL.match(text):
        return "", f"「{text}」はメールアドレスです。ホームページ欄には取り込みませんでした。"
    repaired = re.sub(r"^(https?)//", r"\1://", text, flags=re.IGNORECASE)
    repaired = re.sub(r"^(https?):/(?!/)", r"\1://", repaired, flags=re.IGNORECASE)
    warning = ""
    if not re.match(r"^https?://", repaired, re.IGNORECASE):
        if re.match(r"^[a-z0-9.-]+\.[a-z]{2,}(/|$)", repaired, re.IGNORECASE):
            repaired = "http://" + repaired
        else:
            return "", f"「{text}」はホームページのアドレスとして読めないため、取り込みませんでした。"
    if repaired != text:
        warning = f"ホームページのアドレス「{text}」を「{repaired}」に直しました。"
    if " " in repaired or len(repaired) > 500 or not re.match(r"^https?://[^/\s]+\.[^/\s]+", repaired):
        return "", f"「{text}」はホームページのアドレスとして読めないため、取り込みませんでした。"
    return repaired, warning


JAPAN_LAT = (20.0, 46.0)
JAPAN_LON = (122.0, 154.0)


def parse_coordinates(lat_text: str, lon_text: str) -> tuple[float | None, float | None]:
    """WGS84 decimal degrees inside Japan; empty or 0.0 means unknown (None, None)."""
    lat_text = unicodedata.normalize("NFKC", lat_text).strip()
    lon_text = unicodedata.normalize("NFKC", lon_text).strip()
    if not lat_text and not lon_text:
        return None, None
    try:
        lat = float(lat_text) if lat_text else 0.0
        lon = float(lon_text) if lon_text else 0.0
    except ValueError:
        raise FieldError(f"緯度「{lat_text}」・経度「{lon_text}」が数値ではありません。") from None
    if (
        lat != lat
        or lon != lon
        or lat in (float("inf"), float("-inf"))
        or lon in (float("inf"), float("-inf"))
    ):
        raise FieldError(f"緯度「{lat_text}」・経度「{lon_text}」が数値ではありません。")
    if lat == 0.0 and lon == 0.0:
        return None, None
    if lat == 0.0 or lon == 0.0:
        raise FieldError("緯度と経度の片方だけが入っています。両方入れるか、両方空欄にしてください。")
    if JAPAN_LAT[0] <= lon <= JAPAN_LAT[1] and JAPAN_LON[0] <= lat <= JAPAN_LON[1]:
        raise FieldError(
            f"緯度 {lat_text}・経度 {lon_text} は日本の範囲外です。緯度と経度が入れ替わっていませんか。"
        )
    if not (JAPAN_LAT[0] <= lat <= JAPAN_LAT[1] and JAPAN_LON[0] <= lon <= JAPAN_LON[1]):
        raise FieldError(
            f"緯度 {lat_text}・経度 {lon_text} は日本の範囲外です（世界測地系の10進数で入力してください）。"
        )
    return round(lat, 7), round(lon, 7)


def outside_municipality_warning(lat: float | None, lon: float | None, municipality: Municipality) -> str:
    if lat is None or lon is None:
        return ""
    bounds = municipality_bounds(municipality.code)
    if bounds is None:
        return ""
    min_lat, min_lon, max_lat, max_lon = bounds
    if min_lat <= lat <= max_lat and min_lon <= lon <= max_lon:
        return ""
    return f"緯度 {lat}・経度 {lon} は{municipality.name}の区域から外れています。位置を確認してください。"


def parse_count(value: str, column: str) -> int | None:
    """A non-negative whole number; empty (and 0 where 0 means 'not entered') is handled by callers."""
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,7}", text):
        raise FieldError(f"{column}「{value.strip()}」は0以上の整数で入力してください。")
    return int(text)


_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}


def kana_reading(value: str) -> str:
    """Readings are kept in hiragana (full-width), whatever the source wrote."""
    return clean_text(unicodedata.normalize("NFKC", value)).translate(_KATAKANA_TO_HIRAGANA)


_CORPORATION_PREFIXES = (
    "医療法人",
    "社会医療法人",
    "特定医療法人",
    "社会福祉法人",
    "一般社団法人",
    "公益社団法人",
    "一般財団法人",
    "公益財団法人",
    "独立行政法人",
    "地方独立行政法人",
    "国立大学法人",
    "学校法人",
    "特定非営利活動法人",
    "株式会社",
    "有限会社",
    "合同会社",
)


def split_corporation(name: str) -> tuple[str, str]:
    """医療情報ネット writes 「医療法人○○会　○○病院」: ``(facility name, corporation)``."""
    text = name.strip()
    head, sep, tail = text.partition("\u3000")
    if sep and tail.strip() and head.startswith(_CORPORATION_PREFIXES):
        return clean_text(tail), clean_text(head)
    return clean_text(text), ""


# --- municipalities and who may import them -----------------------------------------------------


class MunicipalityScope:
    """The municipalities Renkei knows, and which of them the importing person may write."""

    def __init__(self, allowed: Iterable[Municipality] | None = None):
        self.by_code: dict[str, Municipality] = {m.code: m for m in Municipality.objects.all()}
        self.by_name: dict[str, Municipality] = {}
        for municipality in self.by_code.values():
            for name in (
                municipality.name,
                f"{municipality.county}{municipality.name}",
                municipality.full_name,
            ):
                self.by_name.setdefault(unicodedata.normalize("NFKC", name), municipality)
        self.allowed_ids: set[int] | None = None if allowed is None else {m.pk for m in allowed}

    def lookup(self, text: str) -> Municipality | None:
        text = unicodedata.normalize("NFKC", text).strip()
        return self.by_code.get(text) or self.by_name.get(text)

    def permission_error(self, municipality: Municipality) -> str:
        if self.allowed_ids is None or municipality.pk in self.allowed_ids:
            return ""
        return f"{municipality.name}の施設です。取り込めるのは、あなたが担当する市町村の施設だけです。"


# --- records and writing ------------------------------------------------------------------------


KEY_FIELDS = ("care_office_number", "medical_institution_id", "local_code")


@dataclass
class Record:
    """One facility as a file describes it: the fields the file carries, keyed by an official code."""

    key_field: str
    key: str
    municipality: Municipality | None
    values: dict[str, Any]
    source_file: str
    source_row: int
    # 介護 services offered, by service code: (capacity, available days)
    services: dict[str, tuple[int | None, str]] | None = None
    # 介護 services of this office whose rows were rejected: left as they are even in a full import
    # ("*": a rejected row whose service could not be read — leave all of them).
    kept_services: frozenset[str] = frozenset()
    # For the Renkei template: other codes that may name an existing facility.
    other_keys: dict[str, str] = field(default_factory=dict)
    # Fields that official files carry; the Renkei template leaves them alone on official records.
    official_fields: frozenset[str] = frozenset()
    primary_category: str = ""
    # The original cells, kept where a later check may still reject the row.
    header: list[str] = field(default_factory=list)
    raw: list[str] | None = None


def category_for_services(codes: Iterable[str]) -> str:
    from renkei.directory.catalog import SERVICE_TYPES

    categories = {SERVICE_TYPES[code].category for code in codes if code in SERVICE_TYPES}
    for category in CATEGORY_PRECEDENCE:
        if category in categories:
            return category
    return Category.OTHER


def _precedence(category: str) -> int:
    return (
        CATEGORY_PRECEDENCE.index(category) if category in CATEGORY_PRECEDENCE else len(CATEGORY_PRECEDENCE)
    )


def _insert_many(sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` as ``sql`` (``INSERT INTO t (columns) VALUES (%s, …)``) would, fast."""
    if connection.vendor == "sqlite":
        # In-process SQLite has no round trips: executemany is the fastest there.
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(rows))
        return
    head, _, _one = sql.rpartition(" VALUES ")
    copy_sql = "COPY " + head.removeprefix("INSERT INTO ") + " FROM STDIN"
    # PostgreSQL: COPY streams the rows, without a statement (or a round trip) per row. The copy
    # runs on psycopg's own cursor: its errors are turned into Django's (DataError, IntegrityError).
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)


def _allocate_ids(count: int) -> list[int]:
    """Primary keys for ``count`` new facilities, taken before the insert so that no lookup is
    needed afterwards. Called inside the import's transaction."""
    if count == 0:
        return []
    table = Facility._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, Facility._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock; never reuse the id of a deleted row.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def _insert_columns() -> list[tuple[Any, Callable[[Any], Any] | None]]:
    from django.db import models as django_models

    columns = []
    for field_ in Facility._meta.concrete_fields:
        if field_.primary_key:
            continue
        prepare = None
        if isinstance(field_, django_models.JSONField | django_models.DateField):
            prepare = lambda value, field_=field_: field_.get_db_prep_save(value, connection)  # noqa: E731
        columns.append((field_, prepare))
    return columns


def _insert_defaults(now: datetime) -> dict[str, Any]:
    defaults = {}
    for field_ in Facility._meta.concrete_fields:
        if field_.primary_key:
            continue
        if getattr(field_, "auto_now", False) or getattr(field_, "auto_now_add", False):
            defaults[field_.attname] = now
        elif field_.has_default():
            defaults[field_.attname] = field_.get_default()
        elif field_.null:
            defaults[field_.attname] = None
        else:
            defaults[field_.attname] = ""
    return defaults


_CAPABILITY_FIELD_SET = frozenset(CAPABILITY_FIELDS)


class _SearchView:
    """Just what :meth:`Facility.build_search_text` reads, without building a model instance
    (and without Django's per-call lookup of the category label)."""

    __slots__ = (
        "_category",
        "_values",
        "address",
        "municipality",
        "municipality_id",
        "name",
        "name_kana",
        "short_name",
        "specialties",
    )

    def __init__(self, values: dict[str, Any], municipality: Municipality | None, category_label: str):
        self.name = values.get("name", "")
        self.name_kana = values.get("name_kana", "")
        self.short_name = values.get("short_name", "")
        self.address = values.get("address", "")
        self.specialties = values.get("specialties") or []
        self.municipality = municipality
        self.municipality_id = municipality.pk if municipality else None
        self._category = category_label
        self._values = values

    def get_category_display(self) -> str:
        return self._category

    def true_capabilities(self) -> list:
        # Official files carry no capabilities: one set operation instead of a lookup per capability.
        if _CAPABILITY_FIELD_SET.isdisjoint(self._values):
            return []
        return [c for c in CAPABILITIES if self._values.get(c.field) is True]

    def __getattr__(self, name: str) -> Any:
        # Any other field the model's method may come to read, from the same values.
        if name.startswith("_"):
            raise AttributeError(name)
        return self._values.get(name, "")


def search_text(values: dict[str, Any], municipality: Municipality | None, service_codes: list[str]) -> str:
    labels = _category_labels(get_language())
    view = _SearchView(values, municipality, labels.get(values.get("category", ""), ""))
    return Facility.build_search_text(view, list(service_codes))


@lru_cache(maxsize=8)
def _category_labels(language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in Category.choices}


class Writer:
    """Compares records with the database by official code and writes the difference in bulk."""

    # Fields read back to compare and to rebuild the search text (capabilities included: a
    # station marked 24時間対応 by hand must still be found by 「24時間」 after the next official file).
    SEARCH_FIELDS = (
        "name",
        "name_kana",
        "short_name",
        "category",
        "address",
        "specialties",
        "municipality_id",
        *CAPABILITY_FIELDS,
    )

    def __init__(
        self,
        *,
        source: str,
        report: ImportReport,
        carried_fields: tuple[str, ...],
        with_services: bool,
        covered_services: set[str] | None = None,
        now: datetime | None = None,
    ):
        self.source = source
        self.report = report
        self.carried_fields = carried_fields
        self.with_services = with_services
        self.covered_services = covered_services or set()
        self.now = now or timezone.now()
        self.read_fields = tuple(
            dict.fromkeys(("id", "source", *KEY_FIELDS, *carried_fields, *self.SEARCH_FIELDS))
        )
        self.municipality_names = {m.pk: m for m in Municipality.objects.all()}
        self.allowed_ids: set[int] | None = None

    def run(self, records: list[Record], *, write: bool) -> None:
        for start in range(0, len(records), BATCH_SIZE):
            self._batch(records[start : start + BATCH_SIZE], write=write)

    def _existing(self, records: list[Record]) -> dict[tuple[str, str], dict]:
        wanted: dict[str, set[str]] = {}
        for record in records:
            wanted.setdefault(record.key_field, set()).add(record.key)
            for key_field, key in record.other_keys.items():
                wanted.setdefault(key_field, set()).add(key)
        found: dict[tuple[str, str], dict] = {}
        for key_field, keys in wanted.items():
            for row in Facility.objects.filter(**{f"{key_field}__in": list(keys)}).values(*self.read_fields):
                found[(key_field, row[key_field])] = row
        return found

    def _services(self, facility_ids: list[int]) -> dict[int, dict[str, tuple[int | None, str, int]]]:
        result: dict[int, dict[str, tuple[int | None, str, int]]] = {}
        if not facility_ids:
            return result
        for row in FacilityService.objects.filter(facility_id__in=facility_ids).values_list(
            "facility_id", "code", "capacity", "available_days", "id"
        ):
            result.setdefault(row[0], {})[row[1]] = (row[2], row[3], row[4])
        return result

    def _reject(self, record: Record, message: str) -> None:
        self.report.error(record.source_file, record.source_row, "", message)
        self.report.rejected += 1
        if record.raw is not None:
            self.report.rejected_rows.append(
                RejectedRow(record.source_file, record.source_row, record.header, record.raw, [message])
            )

    def _check_allowed(self, record: Record, row: dict | None) -> None:
        if self.allowed_ids is None or row is None or row["municipality_id"] in self.allowed_ids:
            return
        municipality = self.municipality_names[row["municipality_id"]]
        raise FieldError(
            f"{municipality.name}の施設です。取り込めるのは、あなたが担当する市町村の施設だけです。"
        )

    @staticmethod
    def _check_complete(record: Record) -> None:
        if (
            record.municipality is None
            or not record.values.get("name")
            or not record.values.get("category", "-")
        ):
            raise FieldError(
                "該当する施設が見つかりません。新しく登録するには名称・種別・市町村を入れてください。"
            )
        if "category" not in record.values and record.services is None:
            raise FieldError(
                "該当する施設が見つかりません。新しく登録するには名称・種別・市町村を入れてください。"
            )

    def _match(self, record: Record, existing: dict[tuple[str, str], dict]) -> dict | None:
        row = existing.get((record.key_field, record.key))
        for key_field, key in record.other_keys.items():
            other = existing.get((key_field, key))
            if other is None:
                continue
            if row is None:
                row = other
            elif other["id"] != row["id"]:
                raise FieldError(
                    f"独自コードと{Facility._meta.get_field(key_field).verbose_name}が別々の施設を指しています。"
                )
        return row

    def _batch(self, records: list[Record], *, write: bool) -> None:
        existing = self._existing(records)
        matched: list[tuple[Record, dict | None]] = []
        for record in records:
            try:
                row = self._match(record, existing)
                self._check_allowed(record, row)
                if row is None:
                    self._check_complete(record)
            except FieldError as exc:
                self._reject(record, str(exc))
                continue
            matched.append((record, row))
        services = self._services([row["id"] for _, row in matched if row])
        new_records: list[Record] = []
        updated: list[tuple[Facility, set[str]]] = []
        service_adds: list[FacilityService] = []
        service_updates: list[FacilityService] = []
        service_deletes: list[int] = []
        for record, row in matched:
            if row is None:
                new_records.append(record)
                self.report.added += 1
                continue
            changes = self._changes(record, row)
            svc_add, svc_update, svc_delete, codes = self._service_changes(record, row, services)
            if self.with_services:
                category = category_for_services(codes)
                if category != row["category"]:
                    changes["category"] = category
                if _precedence(record.primary_category) > _precedence(category):
                    # The row that names this office is a service not in these files: keep its name.
                    for name_field in ("name", "name_kana", "capacity"):
                        changes.pop(name_field, None)
            if not changes and not svc_add and not svc_update and not svc_delete:
                self.report.unchanged += 1
                continue
            self.report.updated += 1
            merged = {**row, **changes}
            facility = Facility(**{k: v for k, v in merged.items() if k in self._model_fields()})
            facility.municipality = self.municipality_names[merged["municipality_id"]]
            facility.source = (
                self.source if not record.official_fields or row["source"] == self.source else row["source"]
            )
            facility.source_file = record.source_file
            facility.source_row = record.source_row
            facility.imported_at = self.now
            facility.search_text = search_text(merged, facility.municipality, codes)
            facility.search_grams = search_grams_for(facility.search_text, facility.municipality.code)
            updated.append((facility, set(changes)))
            for code, (capacity, days) in svc_add.items():
                service_adds.append(
                    FacilityService(facility_id=row["id"], code=code, capacity=capacity, available_days=days)
                )
            for code, (capacity, days, service_id) in svc_update.items():
                service_updates.append(
                    FacilityService(
                        id=service_id,
                        facility_id=row["id"],
                        code=code,
                        capacity=capacity,
                        available_days=days,
                    )
                )
            service_deletes.extend(svc_delete)

        if not write:
            return
        if new_records:
            self._insert(new_records)
        if updated:
            fields = set().union(*(changed for _, changed in updated))
            fields |= {
                "search_text",
                "search_grams",
                "source",
                "source_file",
                "source_row",
                "imported_at",
                "updated_at",
            }
            for facility, _ in updated:
                facility.updated_at = self.now
            Facility.objects.bulk_update([f for f, _ in updated], sorted(fields), batch_size=500)
            self._write_history(sorted(f.pk for f, _ in updated), "~")
        if service_deletes:
            FacilityService.objects.filter(id__in=service_deletes).delete()
        if service_adds:
            FacilityService.objects.bulk_create(service_adds, batch_size=500)
        if service_updates:
            FacilityService.objects.bulk_update(
                service_updates, ["capacity", "available_days"], batch_size=500
            )

    _MODEL_FIELDS: set[str] | None = None

    @classmethod
    def _model_fields(cls) -> set[str]:
        if cls._MODEL_FIELDS is None:
            cls._MODEL_FIELDS = {f.attname for f in Facility._meta.concrete_fields}
        return cls._MODEL_FIELDS

    def _new_values(self, record: Record) -> dict[str, Any]:
        values = dict(record.values)
        values[record.key_field] = record.key
        for key_field, key in record.other_keys.items():
            values.setdefault(key_field, key)
        if self.with_services:
            values["category"] = category_for_services(record.services or {})
        values.update(
            municipality_id=record.municipality.pk,
            source=self.source,
            source_file=record.source_file,
            source_row=record.source_row,
            imported_at=self.now,
        )
        values["search_text"] = search_text(values, record.municipality, sorted(record.services or {}))
        values["search_grams"] = search_grams_for(values["search_text"], record.municipality.code)
        return values

    def _insert(self, records: list[Record]) -> None:
        """Insert new facilities and their services with ids allocated up front, as one executemany
        (SQLite) or COPY (PostgreSQL): Django's bulk_create spends most of its time compiling SQL
        per object, which a national-scale import cannot afford.

        Each row's values (search text and bigrams included) are computed as the row is sent, so that
        PostgreSQL stores and indexes the rows already sent while Python prepares the next ones."""
        columns = _insert_columns()
        table = connection.ops.quote_name(Facility._meta.db_table)
        # Table and column names come from the model, values are parameters.
        names = ", ".join(connection.ops.quote_name(c.column) for c, _ in columns)
        placeholders = ", ".join(["%s"] * len(columns))
        pk_column = connection.ops.quote_name(Facility._meta.pk.column)
        sql = f"INSERT INTO {table} ({pk_column}, {names}) VALUES (%s, {placeholders})"  # noqa: S608
        ids = _allocate_ids(len(records))
        defaults = _insert_defaults(self.now)
        prepared_now = connection.ops.adapt_datetimefield_value(self.now)
        # Every column's default, then the row's own values over them, read in column order.
        base = {field_.attname: defaults.get(field_.attname) for field_, _ in columns}
        in_column_order = operator.itemgetter(*base)
        # Positions in a row (after the id) of the values that need the database's adapter.
        special = [(index + 1, prepare) for index, (_, prepare) in enumerate(columns) if prepare is not None]
        empty_list: dict[int, Any] = {}

        def rows() -> Iterator[list[Any]]:
            for pk, record in zip(ids, records, strict=True):
                row = [pk, *in_column_order({**base, **self._new_values(record)})]
                for index, prepare in special:
                    value = row[index]
                    if value is None:
                        continue
                    if value is self.now:
                        row[index] = prepared_now
                    elif isinstance(value, list) and not value:
                        # JSON lists: the empty one (most rows) is prepared once.
                        if index not in empty_list:
                            empty_list[index] = prepare(value)
                        row[index] = empty_list[index]
                    else:
                        row[index] = prepare(value)
                yield row

        with indexed_after_bulk_insert(connection, ids[0], ids[-1]):
            _insert_many(sql, rows())
        self._write_history(ids, "+")
        service_rows = [
            (pk, code, capacity, days)
            for pk, record in zip(ids, records, strict=True)
            for code, (capacity, days) in (record.services or {}).items()
        ]
        if service_rows:
            service_table = connection.ops.quote_name(FacilityService._meta.db_table)
            _insert_many(
                f"INSERT INTO {service_table} (facility_id, code, capacity, available_days) "  # noqa: S608
                "VALUES (%s, %s, %s, %s)",
                service_rows,
            )

    def _write_history(self, facility_ids: list[int], history_type: str) -> None:
        """A version of each facility just written, copied inside the database in one statement per
        chunk (INSERT … SELECT): no model saves, no row travels through Python."""
        history_model = Facility.history.model
        tracked = [
            f.column for f in history_model._meta.concrete_fields if not f.attname.startswith("history_")
        ]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in tracked)
        history_columns = ", ".join(
            quote(c) for c in ("history_date", "history_change_reason", "history_type", "history_user_id")
        )
        sql = (
            f"INSERT INTO {quote(history_model._meta.db_table)} ({columns}, {history_columns}) "  # noqa: S608
            f"SELECT {columns}, %s, %s, %s, NULL FROM {quote(Facility._meta.db_table)} WHERE "
        )
        reason = f"取込（{self.report.format}）"
        when = connection.ops.adapt_datetimefield_value(self.now)
        with connection.cursor() as cursor:
            for start in range(0, len(facility_ids), 50_000):
                chunk = facility_ids[start : start + 50_000]
                if connection.vendor == "postgresql":
                    cursor.execute(sql + "id = ANY(%s)", [when, reason, history_type, chunk])
                elif chunk == list(range(chunk[0], chunk[0] + len(chunk))):
                    cursor.execute(
                        sql + "id BETWEEN %s AND %s", [when, reason, history_type, chunk[0], chunk[-1]]
                    )
                else:
                    for part in range(0, len(chunk), 500):
                        ids = chunk[part : part + 500]
                        placeholders = ", ".join(["%s"] * len(ids))
                        cursor.execute(sql + f"id IN ({placeholders})", [when, reason, history_type, *ids])

    def _changes(self, record: Record, row: dict) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        official = record.official_fields if row["source"] != self.source else frozenset()
        for name, value in record.values.items():
            if name in official:
                continue
            if row.get(name) != value:
                changes[name] = value
        if (
            record.municipality is not None
            and "municipality_id" not in official
            and row["municipality_id"] != record.municipality.pk
        ):
            changes["municipality_id"] = record.municipality.pk
        for key_field, key in record.other_keys.items():
            if row.get(key_field) in (None, "") and key:
                changes[key_field] = key
        if row.get(record.key_field) != record.key:
            changes[record.key_field] = record.key
        return changes

    def _service_changes(self, record: Record, row: dict, services: dict):
        current = services.get(row["id"], {})
        if not self.with_services:
            return {}, {}, [], sorted(current)
        wanted = record.services or {}
        adds = {code: value for code, value in wanted.items() if code not in current}
        updates = {
            code: (*wanted[code], current[code][2])
            for code in wanted
            if code in current and (current[code][0], current[code][1]) != wanted[code]
        }
        deletes = []
        if self.report.full and "*" not in record.kept_services:
            deletes = [
                current[code][2]
                for code in current
                if code not in wanted and code in self.covered_services and code not in record.kept_services
            ]
        remaining = (set(current) - {code for code in current if current[code][2] in deletes}) | set(wanted)
        return adds, updates, deletes, sorted(remaining)


def execute(
    importer,
    files: list[InputFile],
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    full: bool = False,
    allowed_municipalities: Iterable[Municipality] | None = None,
) -> ImportReport:
    """Run ``importer`` on ``files``: parse and check every row, then (unless refused, or blocked by
    errors) compare with the database and write in one transaction. Never raises for bad input."""
    # Hundreds of thousands of small, long-lived objects: the cyclic collector would rescan them
    # again and again for nothing (they hold no cycles that need collecting before we finish).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _execute(importer, files, dry_run, skip_invalid, full, allowed_municipalities)
    finally:
        if collecting:
            gc.enable()


def _merge_gin_pending() -> None:
    """PostgreSQL: merge what is left in the full-text GIN index's pending list (at most
    ``gin_pending_list_limit``) before the import ends, so that searches never scan it.

    The pending list itself is left at its default size: the merges it triggers run while the COPY
    streams, on the server's core, in parallel with Python preparing the next rows. Deferring them
    to one large merge at the end (tried) made the import slower, not faster."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('directory_facility_grams_gin'::regclass)")


def _execute(importer, files, dry_run, skip_invalid, full, allowed_municipalities) -> ImportReport:
    report = ImportReport(format=importer.format, dry_run=dry_run, skip_invalid=skip_invalid, full=full)
    report.files = [f.name for f in files]
    scope = MunicipalityScope(allowed_municipalities)
    try:
        records = importer.parse(files, scope, report)
    except ImportRefused as exc:
        report.refuse(str(exc))
        return report
    if report.blocked_by_errors:
        return report
    writer = importer.writer(report)
    writer.allowed_ids = scope.allowed_ids
    try:
        if dry_run:
            writer.run(records, write=False)
            _find_missing(importer, records, report)
        else:
            with _large_sqlite_cache(), transaction.atomic():
                writer.run(records, write=True)
                _find_missing(importer, records, report, mark_at=writer.now)
                _merge_gin_pending()
                if report.blocked_by_errors:
                    transaction.set_rollback(True)
                    return report
            report.written = True
    except ImportRefused as exc:
        report.refuse(str(exc))
    except IntegrityError:
        # Another import wrote the same facility between our check and our write.
        report.written = False
        report.refuse("同じ施設を別の取込が同時に書き込みました。少し待ってからもう一度取り込んでください。")
    except DataError:
        # Last resort: the checks while parsing should have caught every value the database refuses.
        # The transaction has been rolled back; nothing of this import was kept.
        report.written = False
        report.refuse(
            "データベースに保存できない値（長すぎる値や使えない文字）があったため、何も取り込んでいません。"
            "ファイルの内容を確認してください。"
        )
    return report


@contextmanager
def _large_sqlite_cache(kibibytes: int = 256 * 1024):
    """A national file grows the indexes far beyond SQLite's default 2 MB page cache; give this
    connection a larger one while it writes (PostgreSQL manages its own memory)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kibibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _find_missing(importer, records: list[Record], report: ImportReport, mark_at=None) -> None:
    """A full file: list the facilities of its scope that it no longer contains. When writing
    (``mark_at``), mark them 「要確認（公表データに無し）」 and clear the mark of those that are back."""
    if not report.full:
        return
    # Rows rejected for a mistake still name a facility that is in the file: not missing.
    seen_keys = {record.key for record in records} | set(getattr(importer, "rejected_keys", ()))
    key_field = importer.key_field
    queryset = importer.full_scope_queryset(records).exclude(status="closed")
    missing_ids: list[int] = []
    returned_ids: list[int] = []
    rows = queryset.values_list("id", "name", key_field, "missing_from_source_at").order_by(key_field)
    for facility_id, name, code, marked_at in rows:
        if code not in seen_keys:
            report.missing += 1
            if marked_at is None:
                missing_ids.append(facility_id)
            if len(report.missing_facilities) < MAX_LISTED_ISSUES:
                report.missing_facilities.append(MissingFacility(facility_id, name, code or ""))
        elif marked_at is not None:
            returned_ids.append(facility_id)
    if mark_at is None:
        return
    for ids, value in ((missing_ids, mark_at), (returned_ids, None)):
        for start in range(0, len(ids), 5000):
            Facility.objects.filter(id__in=ids[start : start + 5000]).update(missing_from_source_at=value)


def write_rejected_csv(report: ImportReport, path: str | Path) -> int:
    """The rejected rows with their original columns plus 「エラー」, UTF-8 with BOM (Excel opens it)."""
    rows = report.rejected_rows
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        current_header: list[str] | None = None
        for rejected in rows:
            if rejected.header != current_header:
                current_header = rejected.header
                writer.writerow([*current_header, ERROR_COLUMN])
            values = list(rejected.values) + [""] * (len(current_header) - len(rejected.values))
            writer.writerow([*values[: len(current_header)], " / ".join(rejected.messages)])
    return len(rows)
