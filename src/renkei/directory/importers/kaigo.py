"""介護サービス情報公表システム open data: one CSV per service type (``jigyosho_<code>.csv``), the
official 24 columns. One office (事業所番号) on several rows or files becomes one facility with
several services; its category is that of its most specific service (``CATEGORY_PRECEDENCE``)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from typing import Any

from renkei.core.formats import (
    CARE_OFFICE_NUMBER,
    CORPORATE_NUMBER,
    InvalidCode,
    normalize_phone,
    validate_municipality_code,
)
from renkei.core.models import Municipality
from renkei.directory.catalog import SERVICE_TYPES
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
    parse_count,
    stored_file_name,
)
from renkei.directory.importers.reading import Column, HeaderMap, InputFile, header_matches, read_table
from renkei.directory.importers.records import MunicipalityScope, Record, category_for_services, category_rank
from renkei.directory.importers.report import ImportRefused, ImportReport
from renkei.directory.importers.writer import Writer
from renkei.directory.models import Facility

COLUMNS = [
    Column(
        "municipality_code",
        "都道府県コード又は市町村コード",
        ("市町村コード", "都道府県コード又は市区町村コード", "市区町村コード"),
        required=True,
    ),
    Column("office_number", "事業所番号", required=True),
    Column("name", "事業所名", ("事業所の名称",), required=True),
    Column("kana", "事業所名カナ", ("事業所名（カナ）", "事業所の名称（カナ）")),
    Column("service", "サービスの種類", ("サービス種類", "サービス名")),
    Column("address", "住所", ("所在地",)),
    Column("building", "方書（ビル名等）", ("方書",)),
    Column("lat", "緯度"),
    Column("lon", "経度"),
    Column("phone", "電話番号"),
    Column("fax", "FAX番号", ("ＦＡＸ番号", "fax")),
    Column("corporate_number", "法人番号"),
    Column("corporation", "法人の名称", ("法人名",)),
    Column("days", "利用可能曜日"),
    Column("days_note", "利用可能曜日特記事項"),
    Column("capacity", "定員"),
    Column("url", "URL", ("ホームページ",)),
]

CARRIED_FIELDS = (
    "name",
    "name_kana",
    "address",
    "latitude",
    "longitude",
    "phone",
    "fax",
    "url",
    "corporate_number",
    "corporation_name",
    "capacity",
)

IRYO_HEADERS = ("正式名称", "機関区分", "診療科目名", "診療時間帯")
TEMPLATE_HEADERS = ("独自コード", "種別")


def _service_key(name: str) -> str:
    return re.sub(r"[\s\u3000・()（）]", "", unicodedata.normalize("NFKC", name))


SERVICE_BY_NAME = {_service_key(service.name): code for code, service in SERVICE_TYPES.items()}
_FILE_SERVICE = re.compile(r"jigyosho_([0-9]{3})")


def service_code_for(name: str, file_name: str) -> str | None:
    if name:
        code = SERVICE_BY_NAME.get(_service_key(name))
        if code:
            return code
    match = _FILE_SERVICE.search(PurePath(file_name.split(":")[-1]).name)
    if match and match.group(1) in SERVICE_TYPES:
        return match.group(1)
    return None


def _reject_other_formats(input_file: InputFile, header: list[str]) -> None:
    if header_matches(header, IRYO_HEADERS) >= 2:
        raise ImportRefused(
            f"{input_file.name} は医療情報ネットのファイルです。形式に「医療情報ネット（iryo）」を選んでください。"
        )
    if header_matches(header, TEMPLATE_HEADERS) == 2:
        raise ImportRefused(
            f"{input_file.name} は Renkei 取込テンプレートです。形式に「Renkei テンプレート（renkei）」を選んでください。"
        )


class _File:
    """One file's columns: where each is, how it is headed, and the cells of a row read from it."""

    def __init__(self, name: str, header: list[str], columns: HeaderMap):
        self.name = name
        self.stored_name = stored_file_name(name)
        self.header = header
        self.get = {column.key: columns.getter(column.key) for column in COLUMNS}
        self.label = {column.key: columns.labels.get(column.key, column.label) for column in COLUMNS}
        label = self.label
        self.field_labels = {
            "name": label["name"],
            "name_kana": label["kana"],
            "address": label["address"],
            "phone": label["phone"],
            "fax": label["fax"],
            "url": label["url"],
            "corporate_number": label["corporate_number"],
            "corporation_name": label["corporation"],
        }
        # By the code's text: the municipality ("out": not in Renkei), or why the code is invalid.
        self._municipalities: dict[str, Municipality | str] = {}
        self._invalid_codes: dict[str, str] = {}

    def municipality(
        self, text: str, scope: MunicipalityScope, problems: list[tuple[str, str]]
    ) -> Municipality | str | None:
        """The row's municipality, "out" when Renkei does not have it, None when the code is invalid
        or the importing person may not write it (the reason is added to ``problems``)."""
        code_text = unicodedata.normalize("NFKC", text)
        if code_text not in self._municipalities and code_text not in self._invalid_codes:
            try:
                validate_municipality_code(code_text)
            except InvalidCode as exc:
                self._invalid_codes[code_text] = str(exc)
            else:
                self._municipalities[code_text] = scope.by_code.get(code_text) or "out"
        if code_text in self._invalid_codes:
            problems.append((self.label["municipality_code"], self._invalid_codes[code_text]))
            return None
        municipality = self._municipalities[code_text]
        if isinstance(municipality, Municipality):
            denied = scope.permission_error(municipality)
            if denied:
                problems.append((self.label["municipality_code"], denied))
        return municipality

    def values(self, row: list[str], warnings: list[tuple[str, str]], **checked: Any) -> dict[str, Any]:
        """The row's values, with those ``checked`` first (name, coordinates, capacity): what is
        wrong in the others is a warning, and the value is left out."""
        get, label = self.get, self.label
        phone = _contact(get["phone"](row), label["phone"], warnings)
        fax = _contact(get["fax"](row), label["fax"], warnings)
        url, url_warning = normalize_url(get["url"](row))
        if url_warning:
            warnings.append((label["url"], url_warning))
        corporate_number = self._corporate_number(row, warnings)
        address = clean_address(get["address"](row))
        building = clean_address(get["building"](row))
        if building and building.replace(" ", "") not in address.replace(" ", ""):
            address = f"{address} {building}".strip()
        return {
            "name": checked["name"],
            "name_kana": kana_reading(get["kana"](row))[:300],
            "address": address[:300],
            "latitude": checked["latitude"],
            "longitude": checked["longitude"],
            "phone": phone,
            "fax": fax,
            "url": url,
            "corporate_number": corporate_number,
            "corporation_name": clean_text(get["corporation"](row))[:200],
            "capacity": checked["capacity"],
        }

    def _corporate_number(self, row: list[str], warnings: list[tuple[str, str]]) -> str:
        corporate_number = CORPORATE_NUMBER.tidy(self.get["corporate_number"](row))
        if corporate_number and (problem := CORPORATE_NUMBER.problem(corporate_number)):
            reason = (
                f"{CORPORATE_NUMBER.length}桁の数字ではない"
                if problem == CORPORATE_NUMBER.message
                else "検査用数字（1桁目）が正しくない"
            )
            warnings.append(
                (
                    self.label["corporate_number"],
                    f"法人番号「{corporate_number}」は{reason}ため取り込みませんでした。",
                )
            )
            return ""
        return corporate_number

    def available_days(self, row: list[str]) -> str:
        days = clean_text(self.get["days"](row))
        note = clean_text(self.get["days_note"](row))
        return (f"{days}（{note}）" if days and note else days or note)[:200]


def _contact(value: str, column: str, warnings: list[tuple[str, str]]) -> str:
    try:
        return normalize_phone(value)
    except FieldError as exc:
        warnings.append((column, f"{exc} この項目は取り込みませんでした。"))
        return ""


class KaigoImporter:
    format = "kaigo"
    key_field = "care_office_number"

    def __init__(self) -> None:
        self.covered_services: set[str] = set()
        self.municipality_ids: set[int] = set()
        # Offices (and their services) whose rows were rejected: still "in the file" for --full.
        self.rejected_keys: set[str] = set()
        self.rejected_services: dict[str, set[str]] = {}

    def parse(self, files: list[InputFile], scope: MunicipalityScope, report: ImportReport) -> list[Record]:
        offices: dict[str, Record] = {}
        for input_file in files:
            self._parse_file(input_file, scope, report, offices)
        for office_number, codes in self.rejected_services.items():
            office = offices.get(office_number)
            if office is not None:
                office.kept_services = frozenset(codes)
        return list(offices.values())

    def _parse_file(
        self,
        input_file: InputFile,
        scope: MunicipalityScope,
        report: ImportReport,
        offices: dict[str, Record],
    ) -> None:
        header, rows = read_table(input_file, report)
        _reject_other_formats(input_file, header)
        columns = HeaderMap(COLUMNS, header)
        missing = columns.missing_required()
        if missing:
            raise ImportRefused(
                f"{input_file.name} に必要な列「{'」「'.join(missing)}」がありません。"
                "介護サービス情報公表システムのオープンデータ（CSV）か確認してください。"
            )
        file = _File(input_file.name, header, columns)
        for number, row in rows:
            report.rows += 1
            self._parse_row(file, number, row, scope, report, offices)

    def _parse_row(
        self,
        file: _File,
        number: int,
        row: list[str],
        scope: MunicipalityScope,
        report: ImportReport,
        offices: dict[str, Record],
    ) -> None:
        get, label = file.get, file.label
        problems = control_character_problems(file.header, row)
        municipality = file.municipality(get["municipality_code"](row), scope, problems)
        if municipality == "out":
            report.out_of_scope += 1
            return
        office_number = CARE_OFFICE_NUMBER.tidy(get["office_number"](row))
        if problem := CARE_OFFICE_NUMBER.problem(office_number):
            problems.append((label["office_number"], f"事業所番号「{office_number}」は{problem}"))
        office_name = clean_text(get["name"](row))
        if not office_name:
            problems.append((label["name"], "事業所名が空欄です。"))
        elif len(office_name) > 200:
            problems.append((label["name"], "事業所名が長すぎます（200文字まで）。"))
        service_name = clean_text(get["service"](row))
        service = service_code_for(service_name, file.name)
        if service is None:
            problems.append(
                (label["service"], f"サービスの種類「{service_name}」は Renkei の一覧にありません。")
            )
        try:
            lat, lon = parse_coordinates(get["lat"](row), get["lon"](row))
        except FieldError as exc:
            problems.append((f"{label['lat']}・{label['lon']}", str(exc)))
            lat = lon = None
        try:
            capacity = parse_count(get["capacity"](row), label["capacity"]) or None  # 0 = not entered
        except FieldError as exc:
            problems.append((label["capacity"], str(exc)))
            capacity = None
        if problems:
            self._reject(report, file.name, number, file.header, row, problems, office_number, service)
            return
        assert isinstance(municipality, Municipality) and service is not None
        warnings: list[tuple[str, str]] = []
        values = file.values(row, warnings, name=office_name, latitude=lat, longitude=lon, capacity=capacity)
        outside = outside_municipality_warning(lat, lon, municipality)
        if outside:
            warnings.append((f"{label['lat']}・{label['lon']}", outside))
        problems = length_problems(values, file.field_labels)
        if problems:
            self._reject(report, file.name, number, file.header, row, problems, office_number, service)
            return
        for column, message in warnings:
            report.warn(file.name, number, column, message)
        self.covered_services.add(service)
        self.municipality_ids.add(municipality.pk)
        self._add_service(
            offices,
            office_number,
            municipality,
            values,
            service,
            file.available_days(row),
            number,
            file.stored_name,
        )

    @staticmethod
    def _add_service(
        offices: dict[str, Record],
        office_number: str,
        municipality: Municipality,
        values: dict[str, Any],
        service: str,
        available_days: str,
        number: int,
        stored_name: str,
    ) -> None:
        category = category_for_services([service])
        capacity = values["capacity"]
        office = offices.get(office_number)
        if office is None:
            offices[office_number] = Record(
                key_field="care_office_number",
                key=office_number,
                municipality=municipality,
                values=values,
                source_file=stored_name,
                source_row=number,
                services={service: (capacity, available_days)},
                primary_category=category,
            )
            return
        assert office.services is not None
        office.services[service] = (capacity, available_days)
        if category_rank(category) < category_rank(office.primary_category):
            # This row's service names the office (e.g. the 特養, not its day service).
            office.values.update(name=values["name"], name_kana=values["name_kana"], capacity=capacity)
            office.primary_category = category
            office.source_file, office.source_row = stored_name, number

    def _reject(self, report, name, number, header, row, problems, office_number, service) -> None:
        report.reject_row(name, number, header, row, problems)
        self.rejected_keys.add(office_number)
        self.rejected_services.setdefault(office_number, set()).add(service or "*")

    def writer(self, report: ImportReport) -> Writer:
        return Writer(
            source=Facility.Source.KAIGO,
            report=report,
            carried_fields=CARRIED_FIELDS,
            with_services=True,
            covered_services=self.covered_services,
        )

    def full_scope_queryset(self, records: list[Record]):
        return Facility.objects.filter(
            source=Facility.Source.KAIGO,
            care_office_number__isnull=False,
            municipality_id__in=self.municipality_ids,
            services__code__in=self.covered_services,
        ).distinct()
