"""Reading the survey table back from a PDF's text layer (the 八戸圏域 R3.12 table, ``data/``).

The text comes as the PDF viewer copies it: each item's block ends with its title line
(「（旧ア）地域の医療・介護の資源の把握 … Ｒ3.12.末日時点」) and starts with the repeated column
headings; a row starts with the prefecture's list number and the municipality's name (「3 八戸市」);
the three columns follow as paragraphs, separated by blank lines, and where two columns share a
printed line they share the text line, separated by one ASCII space.

What decides a column, in order:

1. a line of three segments holds all three columns, a line of two segments after the first column
   holds 課題 and 依頼; a following single-segment line continues the column whose last line was
   the wider (the one that wrapped);
2. the first paragraph is 具体的内容, and so is every later paragraph with a line wider than the
   narrow columns ever print;
3. of the narrow paragraphs after it, two are 課題 then 依頼; one alone is placed by its wording
   (a problem — 不足, 困難, 〜ない — is a 課題; a request — 依頼, 委託, 参加 — is 依頼), and when its
   wording says neither or both it goes to the row's 「未分類」 note for the reviewer.

Nothing is dropped: text outside every row goes to the table's own 「未分類」 note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from renkei.reports.items import ITEM_BY_SHORT_NAME, Item

TITLE_LINE = re.compile(r"^\s*（(旧[アイウエオカキ])）(\S+)\s*(?P<as_of>\S*時点)?\s*$")
ROW_START = re.compile(r"^\s*(\d{1,3}) (\S+)\s*$")
HEADING_LINES = {"市町村名 具体的内容 課題", "医師会・医療機関に協力を依頼してい", "る内容"}
DOCUMENT_HEADING = {"在宅医療・介護連携推進事業に係る", "市町村の取組について", "資料６－２"}

# Display widths (a full-width character is two): the narrow columns never print a line wider
# than NARROW_MAX; a line at least as wide as the *_FULL value ran to the column's edge (wrapped).
NARROW_MAX = 32
WIDE_FULL = 44
NARROW_FULL = 22
LINE_STARTS = ("・", "○", "●", "◯", "※", "＊", "　", "⑴", "⑵", "⑶")
LABEL_START = re.compile(r"^[^\s、。：]{1,8}：")  # テーマ：, 対象：, 相談件数：

PROBLEM_WORDS = (
    "不足",
    "困難",
    "難し",
    "必要",
    "課題",
    "少な",
    "ない",
    "限界",
    "検討",
    "増加",
    "時間がかかる",
    "差がある",
    "悩",
)
REQUEST_WORDS = ("依頼", "委託", "参加", "出席", "協力", "お願い", "してほしい")

UNPLACED_NOTE = "【列を判別できなかった記載（課題または医師会・医療機関への依頼）】"


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "FWA" else 1 for char in text)


@dataclass
class ParsedRow:
    number: int
    municipality: str
    item: Item
    activities: str = ""
    issues: str = ""
    requests: str = ""
    unclassified: str = ""


@dataclass
class ParsedTable:
    as_of_label: str = ""
    rows: list[ParsedRow] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)

    def row(self, municipality: str, item: Item) -> ParsedRow:
        return next(row for row in self.rows if row.municipality == municipality and row.item == item)


class SeedFormatError(ValueError):
    """Text that is not a survey table (no item title line at all)."""


def _join(lines: list[str], full: int) -> str:
    """A column's printed lines as its text: a line that ran to the column's edge continues on the
    next; a short line, or a next line starting with a bullet, ends a line of the text."""
    text = ""
    for index, line in enumerate(lines):
        if index and (
            width(lines[index - 1]) < full or line.startswith(LINE_STARTS) or LABEL_START.match(line)
        ):
            text += "\n"
        text += line
    return text


def _trim(line: str) -> str:
    """Only ASCII spaces come from the layout; a full-width space indents the text itself."""
    return line.strip(" ")


def _segments(line: str) -> list[str]:
    return [part for part in line.split(" ") if part]


class _Columns:
    """The printed lines of one row, collected per column (0 具体的内容, 1 課題, 2 依頼)."""

    def __init__(self) -> None:
        self.lines: list[list[str]] = [[], [], []]
        self.unplaced: list[str] = []

    def add_shared_line(self, parts: list[str], columns: tuple[int, ...]) -> None:
        for column, part in zip(columns, parts, strict=True):
            self.lines[column].append(part)

    def continue_wrapped(self, line: str, columns: tuple[int, ...]) -> None:
        """A single-segment line after a shared one: the column whose last line ran to its edge
        (and did not end a sentence there) goes on; failing that, the one that came closest."""

        def fill(column: int) -> tuple[bool, float]:
            last = self.lines[column][-1] if self.lines[column] else ""
            share = width(last) / (WIDE_FULL if column == 0 else NARROW_FULL)
            return share >= 1 and not last.endswith("。"), share

        self.lines[max(columns, key=fill)].append(line)


def _shared_paragraph(columns: _Columns, paragraph: list[str], start: tuple[int, ...]) -> None:
    current = start
    for line in paragraph:
        parts = _segments(line)
        if len(parts) == len(start):
            columns.add_shared_line(parts, start)
        elif len(parts) == 1:
            columns.continue_wrapped(_trim(line), current)
        else:
            columns.add_shared_line(parts, start[-len(parts) :])


def _wording(text: str) -> int | None:
    problem = any(word in text for word in PROBLEM_WORDS)
    request = any(word in text for word in REQUEST_WORDS)
    if problem != request:
        return 1 if problem else 2
    return None


def _place_row(paragraphs: list[list[str]]) -> _Columns:
    columns = _Columns()
    narrow: list[list[str]] = []
    for index, paragraph in enumerate(paragraphs):
        shared = max(len(_segments(line)) for line in paragraph)
        if shared == 3:
            _shared_paragraph(columns, paragraph, (0, 1, 2))
        elif shared == 2 and (index > 0 or columns.lines[0]):
            _shared_paragraph(columns, paragraph, (1, 2))
        elif index == 0 or (not narrow and max(width(line) for line in paragraph) > NARROW_MAX):
            columns.lines[0].extend(_trim(line) for line in paragraph)
        else:
            narrow.append([_trim(line) for line in paragraph])
    if len(narrow) == 1 and not columns.lines[1] and not columns.lines[2]:
        column = _wording("".join(narrow[0]))
        if column is None:
            columns.unplaced.extend(narrow[0])
        else:
            columns.lines[column].extend(narrow[0])
    else:
        for position, paragraph in enumerate(narrow):
            if position < 2 and not columns.lines[position + 1]:
                columns.lines[position + 1].extend(paragraph)
            else:
                columns.unplaced.extend(paragraph)
    return columns


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [paragraph for paragraph in paragraphs if paragraph]


def _row(number: int, municipality: str, item: Item, lines: list[str]) -> ParsedRow:
    columns = _place_row(_paragraphs(lines))
    row = ParsedRow(number, municipality, item)
    row.activities = _join(columns.lines[0], WIDE_FULL)
    row.issues = _join(columns.lines[1], NARROW_FULL)
    row.requests = _join(columns.lines[2], NARROW_FULL)
    if columns.unplaced:
        row.unclassified = f"{UNPLACED_NOTE}\n{_join(columns.unplaced, NARROW_FULL)}"
    return row


def _block_rows(table: ParsedTable, item: Item, lines: list[str], municipalities: set[str]) -> None:
    current: tuple[int, str] | None = None
    collected: list[str] = []
    for line in [*lines, None]:
        start = ROW_START.match(line) if line is not None else None
        if line is None or (start and start.group(2) in municipalities):
            if current is not None:
                table.rows.append(_row(current[0], current[1], item, collected))
            elif any(text.strip() for text in collected):
                table.unclassified.append("\n".join(text for text in collected if text.strip()))
            if start:
                current, collected = (int(start.group(1)), start.group(2)), []
            continue
        if line.strip() in HEADING_LINES or line.strip() in DOCUMENT_HEADING:
            continue
        collected.append(line)


def parse_table(text: str, municipalities: set[str]) -> ParsedTable:
    """The rows of every item block of ``text`` whose municipality is one of ``municipalities``."""
    table = ParsedTable()
    block: list[str] = []
    found = False
    for line in text.replace("\r\n", "\n").split("\n"):
        title = TITLE_LINE.match(line)
        if title and title.group(1) in ITEM_BY_SHORT_NAME:
            found = True
            table.as_of_label = table.as_of_label or (title.group("as_of") or "")
            _block_rows(table, ITEM_BY_SHORT_NAME[title.group(1)], block, municipalities)
            block = []
        else:
            block.append(line)
    if not found:
        raise SeedFormatError("調査表の項目（「（旧ア）…」の行）が見つかりません。")
    if any(line.strip() and line.strip() not in HEADING_LINES for line in block):
        table.unclassified.append("\n".join(line for line in block if line.strip()))
    return table


# --- figures quoted in the text ------------------------------------------------------------------

_GENERAL = re.compile(r"(?:一般住民|住民)[：:]?\s*(\d+)件")
_AGENCIES = re.compile(r"(?:支援機関|関係機関|機関)[：:]?\s*(\d+)件")
_TOTAL = re.compile(r"(?:計|相談件数は|相談件数[：:])\s*(\d+)件")
_COUNT_CONTEXT = re.compile(r"相談[^。\n]*件数")


def quoted_counts(text: str) -> dict[str, tuple[int, str]]:
    """The consultation counts a cell quotes, each with the sentence it was read from:
    ``{"consultations_general": (17, "…一般住民17件、支援機関12件、計29件。"), …}``."""
    found: dict[str, tuple[int, str]] = {}
    for quoted in re.split(r"(?<=。)|\n", text):
        sentence = unicodedata.normalize("NFKC", quoted)
        if not _COUNT_CONTEXT.search(sentence):
            continue
        for key, pattern in (
            ("consultations_general", _GENERAL),
            ("consultations_agencies", _AGENCIES),
            ("consultations_total", _TOTAL),
        ):
            match = pattern.search(sentence)
            if match and key not in found:
                found[key] = (int(match.group(1)), quoted.strip(" ・"))
    return found
