"""The import report: what was added, updated or refused, each problem with its file, row and
column, and the rejected rows as a CSV people can correct.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from renkei.core.spreadsheet import text_csv_writer

MAX_LISTED_ISSUES = 1000


ERROR_COLUMN = "エラー"


class ImportRefused(Exception):
    """A file that cannot be read at all (encoding, format, headers). The message is for people."""


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
class FieldChange:
    """One field of one facility that the import changes (or would, but leaves: ``kept_newer``)."""

    facility_id: int
    facility_name: str
    field: str
    label: str
    old: str
    new: str
    kept_newer: bool = False


KEPT_NEWER_MESSAGE = (
    "この施設はファイルの作成後（日付のないファイルでは前回の取込の後）に確認・編集されています。"
    "新しい内容を上書きしないよう、この行は取り込みませんでした（上書きするには「新しい変更も上書きする」を選んでください）。"
)


@dataclass
class ImportReport:
    format: str
    dry_run: bool = False
    skip_invalid: bool = False
    full: bool = False
    overwrite_newer: bool = False
    files: list[str] = field(default_factory=list)
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    kept_newer: int = 0  # rows left unchanged: they would overwrite what was confirmed or edited later
    change_count: int = 0
    changes: list[FieldChange] = field(default_factory=list)
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

    def change(self, change: FieldChange) -> None:
        self.change_count += 1
        if len(self.changes) < MAX_LISTED_ISSUES:
            self.changes.append(change)

    def unlisted_changes(self) -> int:
        return self.change_count - len(self.changes)

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
            if self.kept_newer:
                lines.append(
                    f"ファイルより新しい確認・編集がある {self.kept_newer} 件は変更していません"
                    "（上書きするには「新しい変更も上書きする」を選んでください）。"
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


def write_rejected_csv(report: ImportReport, path: str | Path) -> int:
    """The rejected rows with their original columns plus 「エラー」, UTF-8 with BOM (Excel opens it)."""
    rows = report.rejected_rows
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = text_csv_writer(stream)
        current_header: list[str] | None = None
        for rejected in rows:
            if rejected.header != current_header:
                current_header = rejected.header
                writer.writerow([*current_header, ERROR_COLUMN])
            values = list(rejected.values) + [""] * (len(current_header) - len(rejected.values))
            writer.writerow([*values[: len(current_header)], " / ".join(rejected.messages)])
    return len(rows)
