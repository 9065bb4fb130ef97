"""Reading the files of an import, on the shared strict reader :mod:`renkei.core.tabular` (encoding
UTF-8 or CP932, Excel, zips of CSVs, every file bounded before it is read): its refusals become
:class:`ImportRefused` here, in one place, and cells become text. What is the directory's own is how
columns are found: by the name in the header.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from renkei.core import tabular
from renkei.core.tabular import TableFile
from renkei.directory.importers.report import ImportRefused, ImportReport

# The importers' name for the shared reader's file: a name for messages and a way to open its bytes.
InputFile = TableFile


def expand_zip(input_file: InputFile, suffixes: tuple[str, ...] = (".csv",)) -> list[InputFile]:
    """The CSV members of a zip archive (as 医療情報ネット ships them), or the file itself."""
    try:
        return tabular.zip_members(input_file, suffixes)
    except tabular.TableError as exc:
        raise ImportRefused(exc.message) from None


_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>\s*([^<\s]+)\s*<")


def file_made_at(input_file: InputFile) -> datetime | None:
    """When a file says it was made: a zip member's time or an Excel workbook's last-saved time (its
    document properties); None for a CSV, which carries no date."""
    if input_file.made_at is not None:
        return input_file.made_at
    if not tabular.is_xlsx(input_file):
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


def _cell_text(value: Any) -> str:
    # Every date the importers read is a day: a date-and-time cell counts by its date.
    if isinstance(value, datetime):
        return value.date().isoformat()
    return tabular.cell_text(value)


NO_DATA_ROWS = "データ行がありません（見出しの行だけのファイルです）。"


def read_table(
    input_file: InputFile, report: ImportReport | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of ``(row_number, values)`` as text; blank rows are skipped.

    Row numbers are those a spreadsheet shows (blank lines above the header count). With a
    ``report``, a file with a header and no data rows gets the warning 「データ行がありません」."""
    try:
        table = tabular.read_table(input_file)
    except tabular.TableError as exc:
        raise ImportRefused(exc.message) from None

    def body() -> Iterator[tuple[int, list[str]]]:
        found = False
        try:
            for number, values in table.rows:
                found = True
                yield number, [_cell_text(value) for value in values]
        except tabular.TableError as exc:
            raise ImportRefused(exc.message) from None
        if not found and report is not None:
            report.warn(input_file.name, None, "", NO_DATA_ROWS)

    return [_cell_text(value) for value in table.header], body()
