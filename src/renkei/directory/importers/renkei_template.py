"""Renkei's own template (CSV or Excel) for what no national source lists: 通いの場, informal
services, 地域包括支援センター, and the local facts about official facilities — home-care
capabilities (○/×/空欄=不明), acceptance, contacts for professionals.

A row is identified by 独自コード, or by an official code (介護保険事業所番号 / 医療機関ID) to
enrich a facility that an official file already brought in. Only the columns present in the file
are written; on an official facility, the columns the official file carries (name, address…) are
left to that file.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from renkei.core.formats import (
    CARE_OFFICE_NUMBER,
    MEDICAL_INSTITUTION_ID,
    normalize_phone,
    normalize_postal_code,
)
from renkei.core.models import Municipality
from renkei.core.spreadsheet import append_row, csv_bytes, new_workbook
from renkei.directory.catalog import CAPABILITIES, AcceptanceStatus, Category
from renkei.directory.importers.cells import (
    FieldError,
    clean_address,
    clean_text,
    control_character_problems,
    kana_reading,
    length_problems,
    normalize_url,
    outside_municipality_warning,
    parse_coordinates,
    stored_file_name,
)
from renkei.directory.importers.reading import Column, HeaderMap, InputFile, header_matches, read_table
from renkei.directory.importers.records import MunicipalityScope, Record
from renkei.directory.importers.report import ImportRefused, ImportReport
from renkei.directory.importers.writer import Writer
from renkei.directory.models import Facility

# (key, heading, model field, example)
_PLAIN = [
    ("local_code", "独自コード", "local_code", "記入例"),
    ("category", "種別", "category", "通いの場"),
    ("name", "名称", "name", "サンプル長根いきいきサロン"),
    ("name_kana", "名称（ふりがな）", "name_kana", "さんぷるながねいきいきさろん"),
    ("municipality", "市町村", "municipality_id", "八戸市"),
    ("postal_code", "郵便番号", "postal_code", "031-0000"),
    ("address", "所在地", "address", "青森県八戸市長根二丁目1-1 長根公民館"),
    ("lat", "緯度", "latitude", "40.514304"),
    ("lon", "経度", "longitude", "141.476152"),
    ("phone", "電話番号", "phone", "0178-00-0000"),
    ("fax", "FAX番号", "fax", ""),
    ("url", "ホームページ", "url", ""),
    ("opening_hours", "営業日・時間", "opening_hours", "毎週水曜 10:00〜12:00"),
    ("description", "紹介・備考", "description", "体操とお茶会。どなたでも参加できます。"),
    ("care_office_number", "介護保険事業所番号", "care_office_number", ""),
    ("medical_institution_id", "医療機関ID", "medical_institution_id", ""),
]
_CAPABILITY_EXAMPLES = {"dementia_care": "○"}
_LOCAL = [
    ("acceptance_status", "受入状況", "acceptance_status", "受入可"),
    ("acceptance_stated_at", "受入状況の確認日", "acceptance_stated_at", "2026-05-01"),
    ("direct_phone", "連携用直通電話", "direct_phone", ""),
    ("liaison_contact", "連携窓口・担当者", "liaison_contact", "地域支援係"),
    ("acceptance_note", "受入に関する詳細", "acceptance_note", ""),
    ("professional_note", "専門職向けメモ", "professional_note", ""),
]
TEMPLATE_FIELDS: list[tuple[str, str, str, str]] = [
    *_PLAIN,
    *[(c.field, c.label, c.field, _CAPABILITY_EXAMPLES.get(c.field, "")) for c in CAPABILITIES],
    *_LOCAL,
]
HEADINGS = [heading for _, heading, _, _ in TEMPLATE_FIELDS]
# The template's example row: its 独自コード cell says 「記入例」, and rows marked so are skipped on
# import (with a note), so that people can leave it in place and add their rows below it.
EXAMPLE_MARKER = "記入例"
EXAMPLE_ROW = [example for _, _, _, example in TEMPLATE_FIELDS]
# The example row of templates downloaded before it was marked (独自コード, 名称).
_OLD_EXAMPLE = ("hachinohe-kayoi-001", "サンプル長根いきいきサロン")
EXAMPLE_SKIPPED = "記入例の行のため取り込みませんでした（この行は消しても残しても構いません）。"

_ALIASES = {
    "local_code": ("独自ID", "Renkeiコード"),
    "name_kana": ("ふりがな", "名称（フリガナ）", "フリガナ"),
    "municipality": ("市町村コード", "市町村名"),
    "address": ("住所",),
    "url": ("URL", "ホームページアドレス"),
    "medical_institution_id": ("医療機関ID（医療情報ネット）",),
    "round_the_clock": ("24時間", "24時間対応"),
}
COLUMNS = [Column(key, heading, _ALIASES.get(key, ())) for key, heading, _, _ in TEMPLATE_FIELDS]

# Columns that official files carry: on a facility brought in by them, the template leaves these alone.
OFFICIAL_FIELDS = frozenset(
    {
        "name",
        "name_kana",
        "category",
        "postal_code",
        "address",
        "latitude",
        "longitude",
        "phone",
        "fax",
        "url",
        "opening_hours",
        "municipality_id",
    }
)

_CATEGORY_BY_LABEL = {
    unicodedata.normalize("NFKC", str(label)): value for value, label in Category.choices
} | {value: value for value in Category.values}
_CATEGORY_BY_LABEL |= {
    "地域包括": Category.COMMUNITY_SUPPORT_CENTER,
    "訪問看護": Category.VISITING_NURSE_STATION,
}

_TRUE = {"○", "〇", "◯", "有", "あり", "可", "はい", "1", "true", "yes", "y"}
_FALSE = {"×", "✕", "✖", "x", "無", "なし", "不可", "いいえ", "0", "false", "no", "n"}
_UNKNOWN = {"", "不明", "?", "？", "-", "未確認"}

_ACCEPTANCE = {
    "受入可": AcceptanceStatus.ACCEPTING,
    "受け入れ可": AcceptanceStatus.ACCEPTING,
    "受入れ可": AcceptanceStatus.ACCEPTING,
    "可": AcceptanceStatus.ACCEPTING,
    "要相談": AcceptanceStatus.CONSULT,
    "相談": AcceptanceStatus.CONSULT,
    "受入停止": AcceptanceStatus.NOT_ACCEPTING,
    "受け入れ停止": AcceptanceStatus.NOT_ACCEPTING,
    "停止": AcceptanceStatus.NOT_ACCEPTING,
    "不可": AcceptanceStatus.NOT_ACCEPTING,
    "": AcceptanceStatus.UNKNOWN,
    "未確認": AcceptanceStatus.UNKNOWN,
} | {value: value for value in AcceptanceStatus.values}


def parse_tristate(value: str, column: str) -> bool | None:
    text = unicodedata.normalize("NFKC", value).strip().casefold()
    if text in _UNKNOWN:
        return None
    if text in _TRUE or value.strip() in _TRUE:
        return True
    if text in _FALSE or value.strip() in _FALSE:
        return False
    raise FieldError(
        f"{column}「{value.strip()}」は ○（あり）・×（なし）・空欄（不明）のいずれかで入力してください。"
    )


def parse_date(value: str, column: str) -> date | None:
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    match = re.fullmatch(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?", text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise FieldError(f"{column}「{value.strip()}」は日付として読めません（例: 2026-05-01）。")


def _template_columns(input_file: InputFile, header: list[str]) -> HeaderMap:
    """The template's columns in ``header``; refuse the official files and a file without 名称 and a code."""
    if header_matches(header, ("正式名称", "機関区分")) == 2:
        raise ImportRefused(
            f"{input_file.name} は医療情報ネットのファイルです。形式に「医療情報ネット（iryo）」を選んでください。"
        )
    if header_matches(header, ("事業所番号", "サービスの種類")) == 2:
        raise ImportRefused(
            f"{input_file.name} は介護サービス情報公表システムのファイルです。形式に「介護サービス情報公表システム（kaigo）」を選んでください。"
        )
    columns = HeaderMap(COLUMNS, header)
    if not columns.has("name") or not (
        columns.has("local_code")
        or columns.has("care_office_number")
        or columns.has("medical_institution_id")
    ):
        raise ImportRefused(
            f"{input_file.name} に「名称」と「独自コード」（または介護保険事業所番号・医療機関ID）の列がありません。"
            "職員ページからダウンロードした Renkei 取込テンプレートを使ってください。"
        )
    return columns


Getters = dict[str, Callable[[list[str]], str]]


@dataclass(frozen=True)
class _File:
    name: str
    stored_name: str
    header: list[str]
    get: Getters
    label: dict[str, str]
    field_labels: dict[str, str]


def _row_keys(get: Getters, row: list[str]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for key_name in ("local_code", "care_office_number", "medical_institution_id"):
        if key_name in get:
            text = unicodedata.normalize("NFKC", get[key_name](row)).strip()
            if text:
                keys[key_name] = text
    return keys


class _Row:
    """One template row being read: its values, and the problems and warnings found on the way
    (in the order of the template's columns)."""

    def __init__(self, file: _File, row: list[str], keys: dict[str, str]):
        self.get, self.label, self.row, self.keys = file.get, file.label, row, keys
        self.problems = control_character_problems(file.header, row)
        self.warnings: list[tuple[str, str]] = []
        self.values: dict[str, Any] = {}
        self._check_keys()
        self.official_key = "care_office_number" in keys or "medical_institution_id" in keys

    def cell(self, key: str) -> str:
        return self.get[key](self.row)

    def _check_keys(self) -> None:
        keys, label = self.keys, self.label
        for key_name, code_format in (
            ("care_office_number", CARE_OFFICE_NUMBER),
            ("medical_institution_id", MEDICAL_INSTITUTION_ID),
        ):
            if key_name in keys and (problem := code_format.problem(keys[key_name])):
                self.problems.append((label[key_name], f"{code_format.label}は{problem}"))
        if "local_code" in keys and not re.fullmatch(r"[0-9A-Za-z._-]{1,40}", keys["local_code"]):
            self.problems.append(
                (
                    label["local_code"],
                    "独自コードは40文字までの半角英数字と「-」「_」「.」で入力してください。",
                )
            )
        if not keys:
            self.problems.append(
                (
                    label.get("local_code", "独自コード"),
                    "独自コード（または介護保険事業所番号・医療機関ID）が空欄です。",
                )
            )

    def identity(self, scope: MunicipalityScope) -> Municipality | None:
        """Name, reading, municipality and category: what a new entry needs (an official code may
        stand in for them, naming a facility that an official file brought in)."""
        label, get = self.label, self.get
        facility_name = clean_text(self.cell("name"))
        if facility_name:
            self.values["name"] = facility_name
        elif not self.official_key:
            self.problems.append((label["name"], "名称が空欄です。"))
        if "name_kana" in get:
            self.values["name_kana"] = kana_reading(self.cell("name_kana"))
        municipality = self._municipality(scope)
        if "category" in get:
            category_text = unicodedata.normalize("NFKC", self.cell("category")).strip()
            category = _CATEGORY_BY_LABEL.get(category_text)
            if category:
                self.values["category"] = category
            elif category_text or not self.official_key:
                self.problems.append(
                    (
                        label["category"],
                        f"種別「{category_text}」は一覧にありません（例: 通いの場、インフォーマルサービス、診療所）。",
                    )
                )
        elif not self.official_key:
            self.problems.append(("種別", "種別の列がありません。"))
        return municipality

    def _municipality(self, scope: MunicipalityScope) -> Municipality | None:
        label = self.label
        municipality_text = self.cell("municipality") if "municipality" in self.get else ""
        if not municipality_text:
            if not self.official_key:
                self.problems.append(
                    (
                        label.get("municipality", "市町村"),
                        "市町村が空欄です（市町村名か地方公共団体コード）。",
                    )
                )
            return None
        municipality = scope.lookup(municipality_text)
        if municipality is None:
            self.problems.append(
                (label["municipality"], f"市町村「{municipality_text}」は Renkei に登録されていません。")
            )
        elif denied := scope.permission_error(municipality):
            self.problems.append((label["municipality"], denied))
        return municipality

    def contact(self) -> None:
        """Postal code, phones, address, position, home page and the free texts."""
        get, label, values = self.get, self.label, self.values
        for key in ("postal_code", "phone", "fax", "direct_phone"):
            if key in get:
                try:
                    values[key] = (normalize_postal_code if key == "postal_code" else normalize_phone)(
                        self.cell(key)
                    )
                except FieldError as exc:
                    self.problems.append((label[key], str(exc)))
        if "address" in get:
            values["address"] = clean_address(self.cell("address"))
        if "lat" in get or "lon" in get:
            try:
                values["latitude"], values["longitude"] = parse_coordinates(
                    get.get("lat", lambda r: "")(self.row), get.get("lon", lambda r: "")(self.row)
                )
            except FieldError as exc:
                self.problems.append(("緯度・経度", str(exc)))
        if "url" in get:
            values["url"], url_warning = normalize_url(self.cell("url"))
            if url_warning:
                self.warnings.append((label["url"], url_warning))
        for key in ("opening_hours", "description", "acceptance_note", "professional_note"):
            if key in get:
                values[key] = self.cell(key).strip()
        if "liaison_contact" in get:
            values["liaison_contact"] = clean_text(self.cell("liaison_contact"))

    def local(self) -> None:
        """The local facts: capabilities (○/×/空欄), acceptance and the date it was stated."""
        get, label, values = self.get, self.label, self.values
        for capability in CAPABILITIES:
            if capability.field in get:
                try:
                    values[capability.field] = parse_tristate(
                        self.cell(capability.field), label[capability.field]
                    )
                except FieldError as exc:
                    self.problems.append((label[capability.field], str(exc)))
        if "acceptance_status" in get:
            text = unicodedata.normalize("NFKC", self.cell("acceptance_status")).strip()
            status = _ACCEPTANCE.get(text)
            if status is None:
                self.problems.append(
                    (
                        label["acceptance_status"],
                        f"受入状況「{text}」は 受入可・要相談・受入停止・空欄 のいずれかです。",
                    )
                )
            else:
                values["acceptance_status"] = status
        if "acceptance_stated_at" in get:
            try:
                values["acceptance_stated_at"] = parse_date(
                    self.cell("acceptance_stated_at"), label["acceptance_stated_at"]
                )
            except FieldError as exc:
                self.problems.append((label["acceptance_stated_at"], str(exc)))


class TemplateImporter:
    format = "renkei"
    key_field = "local_code"

    def __init__(self) -> None:
        self.municipality_ids: set[int] = set()
        self.categories: set[str] = set()
        self.carried: set[str] = set()
        # Codes of rows rejected for a mistake: still "in the file" for --full.
        self.rejected_keys: set[str] = set()

    def parse(self, files: list[InputFile], scope: MunicipalityScope, report: ImportReport) -> list[Record]:
        records: dict[tuple[str, str], Record] = {}
        for input_file in files:
            self._parse_file(input_file, scope, report, records)
        return list(records.values())

    def _parse_file(
        self,
        input_file: InputFile,
        scope: MunicipalityScope,
        report: ImportReport,
        records: dict[tuple[str, str], Record],
    ) -> None:
        header, rows = read_table(input_file, report)
        columns = _template_columns(input_file, header)
        present = [(key, heading, field) for key, heading, field, _ in TEMPLATE_FIELDS if columns.has(key)]
        self.carried |= {field for _, _, field in present if field != "municipality_id"}
        file = _File(
            name=input_file.name,
            stored_name=stored_file_name(input_file.name),
            header=header,
            get={key: columns.getter(key) for key, _, _ in present},
            label={key: columns.labels[key] for key, _, _ in present},
            field_labels={field: columns.labels[key] for key, _, field in present},
        )
        for number, row in rows:
            self._parse_row(file, number, row, scope, report, records)

    def _parse_row(
        self,
        file: _File,
        number: int,
        row: list[str],
        scope: MunicipalityScope,
        report: ImportReport,
        records: dict[tuple[str, str], Record],
    ) -> None:
        keys = _row_keys(file.get, row)
        if keys.get("local_code") == EXAMPLE_MARKER or (
            (keys.get("local_code"), clean_text(file.get["name"](row))) == _OLD_EXAMPLE
        ):
            report.warn(file.name, number, file.label.get("local_code", ""), EXAMPLE_SKIPPED)
            return
        report.rows += 1
        cells = _Row(file, row, keys)
        municipality = cells.identity(scope)
        cells.contact()
        cells.local()
        problems, values, warnings = cells.problems, cells.values, cells.warnings
        problems.extend(length_problems(values, file.field_labels))
        key_field = next(iter(keys), "local_code")
        record_key = (key_field, keys.get(key_field, ""))
        if not problems and record_key in records:
            problems.append(
                (file.label.get(key_field, key_field), f"同じコード「{record_key[1]}」の行が既にあります。")
            )
        if problems:
            report.reject_row(file.name, number, file.header, row, problems)
            if "local_code" in keys:
                self.rejected_keys.add(keys["local_code"])
            return
        if municipality is not None:
            outside = outside_municipality_warning(
                values.get("latitude"), values.get("longitude"), municipality
            )
            if outside:
                warnings.append(("緯度・経度", outside))
            self.municipality_ids.add(municipality.pk)
        if "category" in values:
            self.categories.add(values["category"])
        for column, message in warnings:
            report.warn(file.name, number, column, message)
        records[record_key] = Record(
            key_field=key_field,
            key=keys[key_field],
            municipality=municipality,
            values=values,
            source_file=file.stored_name,
            source_row=number,
            other_keys={k: v for k, v in keys.items() if k != key_field},
            official_fields=OFFICIAL_FIELDS,
            header=file.header,
            raw=row,
        )

    def writer(self, report: ImportReport) -> Writer:
        return Writer(
            source=Facility.Source.RENKEI,
            report=report,
            carried_fields=tuple(sorted(self.carried)),
            with_services=False,
        )

    def full_scope_queryset(self, records: list[Record]):
        return Facility.objects.filter(
            source=Facility.Source.RENKEI,
            local_code__isnull=False,
            municipality_id__in=self.municipality_ids,
            category__in=self.categories,
        )


def template_csv() -> bytes:
    """The template as CSV (UTF-8 with BOM, so that Excel shows the Japanese headings)."""
    return csv_bytes([HEADINGS, EXAMPLE_ROW])


def template_xlsx() -> bytes:
    """The template as an Excel workbook: headings, one example row (marked 「記入例」, shown in grey
    italics, skipped on import), text cells (codes keep their leading zeros), and a second sheet that
    explains each column."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook, sheet = new_workbook("取込データ")
    append_row(sheet, HEADINGS)
    append_row(sheet, EXAMPLE_ROW)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    example_font = Font(italic=True, color="595959")
    example_fill = PatternFill("solid", fgColor="F2F2F2")
    for index, heading in enumerate(HEADINGS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = fill
        example = sheet.cell(row=2, column=index)
        example.font = example_font
        example.fill = example_fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(heading) * 2 + 2)
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("記入のしかた")
    append_row(notes, ["列", "書き方"])
    explanations = {
        "独自コード": "公的な番号のない資源を見分けるコード（半角英数字と - _ .、例: hachinohe-kayoi-001）。"
        "次回の取込で同じ行を更新します。「記入例」と書いた行（2行目の見本）は取り込まれません。",
        "種別": "通いの場、インフォーマルサービス、地域包括支援センター、診療所、訪問看護ステーション など。",
        "市町村": "市町村名（例: 八戸市、五戸町）か6桁の地方公共団体コード。",
        "緯度": "世界測地系の10進数（例: 40.5123）。経度と両方空欄なら位置は未設定です。",
        "介護保険事業所番号": "公表システムから取り込んだ事業所に情報を足すときに入れます（10桁）。",
        "医療機関ID": "医療情報ネットから取り込んだ医療機関に情報を足すときに入れます（13桁）。",
        "受入状況": "受入可・要相談・受入停止（空欄は未確認）。",
        "受入状況の確認日": "例: 2026-05-01",
    }
    for heading in HEADINGS:
        append_row(notes, [heading, explanations.get(heading, "")])
    append_row(
        notes, ["往診〜疼痛緩和・麻薬", "○＝あり、×＝なし、空欄＝不明（わからないときは空欄のまま）。"]
    )
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
