"""Importing a desk's past records from its old tally sheet (CSV or Excel, the template's columns).

Every row is read into typed values here and then cleaned by the same service as the form and the
API (:func:`~renkei.consultations.services.cleaning.clean_consultation`); problems are reported by
line, and nothing is imported while any row is wrong unless only the valid rows are asked for.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from renkei.consultations.models import (
    AgeBand,
    Channel,
    Consultation,
    ConsultationCategory,
    RequesterType,
    Response,
    Sex,
    Status,
)
from renkei.consultations.services.categories import categories_for
from renkei.consultations.services.cleaning import FOLLOW_UP_RULE, CleanConsultation, clean_consultation
from renkei.consultations.services.institutions import facility_by_exact_name
from renkei.consultations.services.recording import apply_clean
from renkei.consultations.services.rules import (
    ConsultationError,
    check_text,
    desk_staff,
    region_of_desk,
)
from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.fiscal import reiwa_year_to_western
from renkei.core.models import AccessLog, Municipality, Organization, User
from renkei.core.spreadsheet import append_row, csv_bytes, new_workbook, typed_text, workbook_bytes
from renkei.core.tabular import EmptyTable, Limits, Table, TableError, TableFile, read_table
from renkei.core.text import normalize

IMPORT_COLUMNS = [
    ("received_at", "受付日時", True),
    ("channel", "相談経路", True),
    ("requester_type", "相談者", True),
    ("requester_institution", "相談者の所属機関", False),
    ("subject_age_band", "本人の年代", False),
    ("subject_sex", "本人の性別", False),
    ("subject_municipality", "本人の市町村", False),
    ("categories", "相談内容区分", True),
    ("summary", "相談内容（要旨）", False),
    ("response", "対応", True),
    ("referred_institution", "紹介先機関", False),
    ("minutes_spent", "対応時間（分）", False),
    ("status", "状況", False),
    ("next_action_on", "次回対応予定日", False),
    ("staff", "担当者", False),
]
IMPORT_HEADINGS = [heading for _, heading, _ in IMPORT_COLUMNS]
# The template's example row starts with this mark; a row whose first cell (受付日時) starts with it is
# never imported, so the downloaded template imported unchanged adds nothing.
EXAMPLE_MARK = "記入例"
_OLD_EXAMPLE = [
    "2024/04/08 10:30",
    "電話",
    "医療機関",
    "八戸市立市民病院",
    "75〜84歳",
    "女性",
    "八戸市",
    "入退院・退院後の生活、介護保険・サービス利用",
    "退院後の訪問診療先について",
    "関係機関紹介",
    "",
    "20",
    "継続",
    "2024/04/15",
    "",
]
TEMPLATE_EXAMPLE = [f"{EXAMPLE_MARK} {_OLD_EXAMPLE[0]}", *_OLD_EXAMPLE[1:]]


def import_template_csv() -> bytes:
    return csv_bytes([IMPORT_HEADINGS, TEMPLATE_EXAMPLE])


def import_template_workbook() -> bytes:
    from openpyxl.styles import Font

    workbook, sheet = new_workbook("相談記録")
    append_row(sheet, IMPORT_HEADINGS)
    append_row(sheet, TEMPLATE_EXAMPLE)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(len(IMPORT_HEADINGS)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 18
    return workbook_bytes(workbook)


# --- reading the file ------------------------------------------------------------------------------


def import_limits() -> Limits:
    """How large a tally sheet may be (the ``CONSULTATIONS_IMPORT_*`` settings)."""
    return Limits.from_settings(
        max_bytes=settings.CONSULTATIONS_IMPORT_MAX_BYTES,
        max_uncompressed_bytes=settings.CONSULTATIONS_IMPORT_MAX_UNCOMPRESSED_BYTES,
        max_rows=settings.CONSULTATIONS_IMPORT_MAX_ROWS,
    )


def read_sheet(filename: str, data: bytes) -> Table:
    """The heading row and the rows below it of a CSV or Excel file, read by the shared strict reader
    (:mod:`renkei.core.tabular`) within :func:`import_limits`; its refusals become the desk's errors."""
    try:
        return read_table(TableFile.from_bytes(filename, data), import_limits())
    except EmptyTable:
        raise ConsultationError(_NO_ROWS) from None
    except TableError as exc:
        raise ConsultationError(exc.message) from None


_NO_ROWS = "ファイルに行がありません。テンプレートの見出し行を残して記入してください。"


# --- reading cells ---------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_WAREKI = re.compile(r"(?:令和|R)\s*(元|\d{1,2})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?", re.IGNORECASE)
_TIME = re.compile(r"(\d{1,2})[:時](\d{2})")


def _find_day(text: str) -> tuple[date, int]:
    match = _WAREKI.search(text)
    if match:
        year = reiwa_year_to_western(1 if match.group(1) == "元" else int(match.group(1)))
        return date(year, int(match.group(2)), int(match.group(3))), match.end()
    match = _DATE.search(text)
    if not match:
        raise ValueError(text)
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3))), match.end()


def parse_day(value) -> date:
    """A date from a cell: a date object, 2024/4/8, 2024-04-08, 2024年4月8日, 令和6年4月8日 or R6.4.8."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _find_day(unicodedata.normalize("NFKC", str(value)).strip())[0]


def parse_moment(value) -> datetime:
    """A date and time from a cell; a date alone means midnight (old tally sheets rarely keep the time)."""
    zone = timezone.get_current_timezone()
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=zone)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    day, end = _find_day(text)
    match = _TIME.search(text, end)
    moment = time(int(match.group(1)), int(match.group(2))) if match else time.min
    return datetime.combine(day, moment, tzinfo=zone)


def _label_key(text: str) -> str:
    # Shift_JIS files turn the wave dash of 75〜84歳 into a full-width tilde.
    return normalize(text).replace("〜", "~")


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {_label_key(str(label)): value for value, label in choices}
    # 「不明・その他」 is also written 「不明」 or 「その他」 (as 年代「不明」).
    for value, label in choices:
        for part in str(label).split("・") if "・" in str(label) else ():
            lookup.setdefault(_label_key(part), value)
    return lookup


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return typed_text(str(value).strip())


@dataclass
class ImportResult:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    rows_read: int = 0
    already_imported: int = 0  # valid rows of a file imported before (same desk), not added again
    examples: int = 0  # rows marked 記入例 (the template's example), never imported

    @property
    def skipped(self) -> int:
        return len({line for line, _ in self.errors})


def import_summary(result: ImportResult, noun: str = "の相談記録") -> str:
    """What an import did, for the page and the command."""
    text = f"{result.imported}件{noun}を取り込みました。"
    if result.already_imported:
        text += f"{result.already_imported}件はすでに取り込み済みのため、追加しませんでした。"
    if result.examples:
        text += f"「{EXAMPLE_MARK}」の行（{result.examples}行）は見本のため取り込みませんでした。"
    return text


class ImportRejected(ConsultationError):
    def __init__(self, result: ImportResult):
        super().__init__("取り込めない行があるため、何も取り込みませんでした。")
        self.result = result


CHOICE_COLUMNS = [
    ("channel", "相談経路", Channel),
    ("requester_type", "相談者", RequesterType),
    ("response", "対応", Response),
    ("subject_age_band", "本人の年代", AgeBand),
    ("subject_sex", "本人の性別", Sex),
    ("status", "状況", Status),
]
# Where each kind of problem stands in a row's list of errors (the order of the template's columns,
# the follow-up rule after the dates, the lengths last).
_RANK = {"received_at": 0, "choice": 1, "subject_municipality": 2, "categories": 3, "minutes_spent": 4}
_RANK |= {"next_action_on": 5, FOLLOW_UP_RULE: 6, "length": 7}
_OTHER = 8


class _Sheet:
    """What a desk's rows are read against: its region's names and its staff, looked up once."""

    def __init__(self, desk: Organization) -> None:
        region = region_of_desk(desk)
        self.region = region
        self.now = timezone.now()
        self.choices = {key: _choice_lookup(choices.choices) for key, _, choices in CHOICE_COLUMNS}
        self.labels = {key: choices.labels for key, _, choices in CHOICE_COLUMNS}
        self.municipalities = {normalize(m.name): m for m in Municipality.objects.filter(region=region)}
        self.categories = {normalize(c.name): c for c in categories_for(region)}
        self.staff: dict[str, User] = {
            key: member
            for member in desk_staff(desk)
            for key in {normalize(member.full_name), normalize(member.username)} - {""}
        }
        self._facilities: dict[str, Any] = {}

    def facility(self, text: str):
        key = normalize(text)
        if key not in self._facilities:
            self._facilities[key] = facility_by_exact_name(self.region, text)
        return self._facilities[key]


class _Row:
    """One row being read: its values and its problems, each with its rank in the row's list."""

    def __init__(self, cells: dict) -> None:
        self.cells = cells
        self.values: dict[str, Any] = {}
        self.problems: list[tuple[int, str]] = []
        self.has_control_characters = False  # then nothing more is read from the row

    def text(self, key: str) -> str:
        return _cell(self.cells.get(key))

    def refuse(self, rank: str, message: str) -> None:
        self.problems.append((_RANK.get(rank, _OTHER), message))

    def messages(self) -> list[str]:
        return [message for _, message in sorted(self.problems, key=lambda problem: problem[0])]


def _read_required_and_text(row: _Row) -> bool:
    """Empty required cells and control characters; False when the row cannot be read further."""
    for key, heading, required in IMPORT_COLUMNS:
        # An empty 相談内容区分 has its own message (_read_names).
        if required and key != "categories" and not row.text(key):
            row.refuse("received_at", f"「{heading}」が空です。")
        message = check_text(row.text(key), multiline=True)  # multi-line text: only control characters
        if message:
            row.refuse("received_at", f"「{heading}」に{message}")
            row.has_control_characters = True
    return not row.has_control_characters


_DATE_COLUMNS = [
    ("received_at", "受付日時", parse_moment, "2024/04/08 10:30"),
    ("next_action_on", "次回対応予定日", parse_day, "2024/04/15"),
]


def _read_dates(row: _Row) -> None:
    for key, heading, parse, example in _DATE_COLUMNS:
        if row.text(key):
            try:
                row.values[key] = parse(row.cells.get(key))
            except (ValueError, OverflowError):
                row.refuse(key, f"{heading}「{row.text(key)}」を日付として読めません（例: {example}）。")


def _read_names(row: _Row, sheet: _Sheet) -> None:
    for key, heading, _ in CHOICE_COLUMNS:
        text = row.text(key)
        if not text:
            continue
        value = sheet.choices[key].get(_label_key(text))
        if value is None:
            allowed = "、".join(str(label) for label in sheet.labels[key])
            row.refuse("choice", f"{heading}「{text}」は選べません（{allowed} のいずれか）。")
        else:
            row.values[key] = value
    text = row.text("subject_municipality")
    if text:
        municipality = sheet.municipalities.get(normalize(text))
        if municipality is None:
            row.refuse("subject_municipality", f"本人の市町村「{text}」はこの圏域の市町村ではありません。")
        row.values["subject_municipality"] = municipality
    chosen: list[ConsultationCategory] = []
    unknown = False
    for part in filter(
        None, (piece.strip() for piece in re.split(r"[、,;；／/|\n]", row.text("categories")))
    ):
        category = sheet.categories.get(normalize(part))
        if category is None:
            unknown = True
            row.refuse("categories", f"相談内容区分「{part}」は登録されていません。")
        else:
            chosen.append(category)
    if not chosen and not unknown:
        row.refuse("categories", "「相談内容区分」が空です（1つ以上の区分を入力してください）。")
    row.values["categories"] = chosen
    staff_text = row.text("staff")
    row.values["staff"] = sheet.staff.get(normalize(staff_text)) if staff_text else None
    row.values["staff_name"] = "" if row.values["staff"] else staff_text[:100]


def _read_numbers_and_texts(row: _Row) -> None:
    text = row.text("minutes_spent")
    if text:
        try:
            minutes = int(unicodedata.normalize("NFKC", text).removesuffix("分"))
            if not 0 <= minutes <= 1440:
                raise ValueError
            row.values["minutes_spent"] = minutes
        except ValueError:
            row.refuse("minutes_spent", f"対応時間（分）「{text}」は0〜1440の整数で入力してください。")
    headings = {key: heading for key, heading, _ in IMPORT_COLUMNS}
    for key in ("requester_institution", "referred_institution"):
        text = row.text(key)
        if len(text) > 200:
            row.refuse("length", f"「{headings[key]}」は200文字以内にしてください。")
        row.values[key] = text
    row.values["summary"] = row.text("summary")
    row.values.setdefault("status", Status.CLOSED)


def _clean_row(row: _Row, sheet: _Sheet, actor, desk: Organization) -> CleanConsultation | None:
    """The one cleaning of a case, its messages put as the import words them."""
    try:
        return clean_consultation(
            actor,
            desk,
            row.values,
            now=sheet.now - timedelta(minutes=5),
            find_facility=sheet.facility,
            cell_texts=True,
        )
    except ConsultationError as exc:
        for error in exc.errors:
            name, message = error["field"], error["message"]
            if error.get("rule") == FOLLOW_UP_RULE:
                row.refuse(FOLLOW_UP_RULE, message)
            elif name in ("received_at", "next_action_on"):
                heading = "受付日時" if name == "received_at" else "次回対応予定日"
                row.refuse(name, f"{heading}「{row.text(name)}」: {message}")
            else:
                row.refuse(name, message)
        return None


def _validate_row(
    line: int, cells: dict, sheet: _Sheet, actor, desk: Organization
) -> tuple[dict | None, CleanConsultation | None, list[tuple[int, str]]]:
    """A row's values as read (for its fingerprint) and as cleaned (to record), or its errors."""
    row = _Row(cells)
    if _read_required_and_text(row):
        _read_dates(row)
        _read_names(row, sheet)
        _read_numbers_and_texts(row)
        clean = _clean_row(row, sheet, actor, desk)
        if not row.problems and clean is not None:
            return row.values, clean, []
    return None, None, [(line, message) for message in row.messages()]


def _row_fingerprint(desk: Organization, values: dict, occurrence: int) -> str:
    """What identifies an imported row: every value read from it (as parsed, so the same sheet saved
    as CSV or Excel matches) and its occurrence among identical rows of the file. Two identical rows
    in one file are two consultations (a tally sheet often holds only the day, the type and the
    category); the same file imported again matches each of them once."""
    municipality = values.get("subject_municipality")
    staff = values.get("staff")
    parts = [
        str(desk.pk),
        values["received_at"].astimezone(UTC).isoformat(),
        values["channel"],
        values["requester_type"],
        normalize(values["requester_institution"]),
        values.get("subject_age_band", AgeBand.UNKNOWN),
        values.get("subject_sex", Sex.UNKNOWN),
        str(municipality.pk) if municipality is not None else "",
        ",".join(str(pk) for pk in sorted({category.pk for category in values["categories"]})),
        values["summary"],
        values["response"],
        normalize(values["referred_institution"]),
        str(values.get("minutes_spent", "")),
        values.get("status", Status.CLOSED),
        values["next_action_on"].isoformat() if values.get("next_action_on") else "",
        f"u{staff.pk}" if staff is not None else normalize(values["staff_name"]),
        str(occurrence),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _body(table: Table) -> tuple[dict[str, int], list[tuple[int, list]]]:
    """The columns found in the heading row and the rows below it."""
    positions: dict[str, int] = {}
    by_heading = {normalize(heading): key for key, heading, _ in IMPORT_COLUMNS}
    for index, heading in enumerate(table.header):
        key = by_heading.get(normalize(_cell(heading)))
        if key is not None and key not in positions:
            positions[key] = index
    missing = [heading for key, heading, required in IMPORT_COLUMNS if required and key not in positions]
    if missing:
        raise ConsultationError(
            f"{table.header_row}行目（見出し行）に必要な列がありません: {'、'.join(missing)}。テンプレートの見出しを使ってください。"
        )
    try:
        return positions, list(table.rows)
    except TableError as exc:
        raise ConsultationError(exc.message) from None


def _is_example(by_key: dict) -> bool:
    """The template's example row: marked 記入例, or (a template downloaded before it was marked)
    exactly the example's cells."""
    received = _cell(by_key.get("received_at"))
    if normalize(received).startswith(EXAMPLE_MARK):
        return True
    keys = [key for key, _, _ in IMPORT_COLUMNS]
    return all(_cell(by_key.get(key)) == example for key, example in zip(keys, _OLD_EXAMPLE, strict=True))


def _new_rows(
    desk: Organization, valid: list[tuple[dict, CleanConsultation]], result: ImportResult
) -> list[tuple[CleanConsultation, str]]:
    """The valid rows not imported before, each with its fingerprint; counts the others."""
    occurrences: dict[str, int] = defaultdict(int)
    fingerprinted = []
    for values, clean in valid:
        base = _row_fingerprint(desk, values, 0)
        occurrences[base] += 1
        fingerprinted.append((clean, _row_fingerprint(desk, values, occurrences[base])))
    keys = [fingerprint for _, fingerprint in fingerprinted]
    present: set[str] = set()
    for index in range(0, len(keys), 500):
        present.update(
            Consultation.objects.filter(
                desk=desk, import_fingerprint__in=keys[index : index + 500]
            ).values_list("import_fingerprint", flat=True)
        )
    result.already_imported = sum(1 for key in keys if key in present)
    return [(clean, key) for clean, key in fingerprinted if key not in present]


def import_consultations(
    actor, desk: Organization, *, filename: str, data: bytes, valid_rows_only: bool = False
) -> ImportResult:
    """Validate every row, then import all of them in one transaction — or none when any row is
    invalid, unless ``valid_rows_only`` is chosen. Raises :class:`ImportRejected` when nothing was
    imported because of invalid rows. ``actor`` is a member of the desk, or None for the operator's
    command; the import is written to the access log."""
    if actor is not None:
        own = permissions.consultation_desk_of(actor)
        if own is None or own.pk != desk.pk or not permissions.can_import_consultations(actor):
            raise PermissionDenied
    positions, body = _body(read_sheet(filename, data))
    sheet = _Sheet(desk)
    result = ImportResult(rows_read=len(body))
    valid: list[tuple[dict, CleanConsultation]] = []
    for line, cells in body:
        by_key = {key: cells[index] if index < len(cells) else None for key, index in positions.items()}
        if _is_example(by_key):
            result.examples += 1
            result.rows_read -= 1
            continue
        values, clean, errors = _validate_row(line, by_key, sheet, actor, desk)
        if values is not None and clean is not None:
            valid.append((values, clean))
        result.errors.extend(errors)
    if result.errors and not valid_rows_only:
        raise ImportRejected(result)
    try:
        created = _insert_imported(desk, actor, _new_rows(desk, valid, result))
    except IntegrityError:  # the same rows imported at the same moment by someone else
        raise ConsultationError(
            "同じファイルの取り込みが同時に行われました。もう一度取り込むと、未登録の行だけが追加されます。"
        ) from None
    result.imported = len(created)
    record_access(
        actor,
        action=AccessLog.Action.CREATE,
        subject_type="consultation_desk",
        subject_id=desk.pk,
        object_type="consultation_import",
        object_id=result.imported,
    )
    return result


@transaction.atomic
def _insert_imported(desk: Organization, actor, rows: list[tuple[CleanConsultation, str]]) -> list:
    records = []
    for clean, fingerprint in rows:
        record = Consultation(desk=desk, created_by=actor, import_fingerprint=fingerprint)
        apply_clean(record, clean)
        record.set_derived_fields()
        records.append((record, clean.categories))
    created = Consultation.objects.bulk_create([record for record, _ in records], batch_size=500)
    through = Consultation.categories.through
    links = [
        through(consultation_id=record.pk, consultationcategory_id=category.pk)
        for record, (_, chosen) in zip(created, records, strict=True)
        for category in chosen
    ]
    through.objects.bulk_create(links, batch_size=1000)
    return created
