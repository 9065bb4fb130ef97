"""医療情報ネット（ナビイ）open data: 施設票 (``*_facility_info_*.csv``) and 診療科目・診療時間票
(``*_speciality_hours_*.csv``) of hospitals, clinics and dental clinics, as CSV or zipped.

The ID (13 characters) is kept as text. 都道府県コード (2) + 市区町村コード (3) give the 5-digit code
to which the check digit is added. The weekly 「…に休診」 flags are not read: public parsers disagree
on whether 1 means 休診 or 診療, and the 定義書 could not be consulted; the closed days are taken
from the hours table instead (a day without any consultation hours is a closed day), which cannot
be misread. 「その他の休診日」 is free text and is kept as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from renkei.core.formats import MEDICAL_INSTITUTION_ID, InvalidCode, with_check_digit
from renkei.core.models import Municipality
from renkei.directory.catalog import Category
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
    split_corporation,
    stored_file_name,
)
from renkei.directory.importers.reading import Column, HeaderMap, InputFile, header_matches, read_table
from renkei.directory.importers.records import MunicipalityScope, Record
from renkei.directory.importers.report import ImportRefused, ImportReport
from renkei.directory.importers.writer import Writer
from renkei.directory.models import Facility

FACILITY_COLUMNS = [
    Column("id", "ID", required=True),
    Column("name", "正式名称", required=True),
    Column("kana", "正式名称（フリガナ）"),
    Column("short_name", "略称"),
    Column("kind", "機関区分", required=True),
    Column("prefecture_code", "都道府県コード", required=True),
    Column("city_code", "市区町村コード", required=True),
    Column("address", "所在地"),
    Column("lat", "所在地座標（緯度）", ("緯度",)),
    Column("lon", "所在地座標（経度）", ("経度",)),
    Column("url", "案内用ホームページアドレス", ("ホームページアドレス", "案内用ホームページ")),
    Column("other_closed", "その他の休診日（gw、お盆等）", ("その他の休診日",)),
    Column("beds", "合計病床数"),
]
HOURS_COLUMNS = [
    Column("id", "ID", required=True),
    Column("specialty_code", "診療科目コード"),
    Column("specialty", "診療科目名", required=True),
    Column("slot", "診療時間帯"),
]
DAYS = ["月", "火", "水", "木", "金", "土", "日", "祝"]
for _day in DAYS:
    HOURS_COLUMNS.append(Column(f"{_day}_open", f"{_day}_診療開始時間"))
    HOURS_COLUMNS.append(Column(f"{_day}_close", f"{_day}_診療終了時間"))

KINDS = {"1": Category.HOSPITAL, "2": Category.CLINIC, "3": Category.DENTAL_CLINIC}
BASE_FIELDS = (
    "name",
    "name_kana",
    "short_name",
    "corporation_name",
    "category",
    "address",
    "latitude",
    "longitude",
    "url",
    "beds",
)
HOURS_FIELDS = ("specialties", "opening_hours")
_TIME = re.compile(r"^([0-9]{1,2}):?([0-9]{2})$")


def _time(text: str) -> str:
    match = _TIME.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return ""
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 30 or minute > 59:
        return ""
    return f"{hour}:{minute:02d}"


def summarise_hours(intervals: dict[str, set[tuple[str, str]]], other_closed: str) -> str:
    """Readable Japanese: days with the same hours grouped, then the closed days.

    ``intervals`` maps a day (月…日, 祝) to its consultation periods (any specialty)."""
    lines = []
    groups: dict[tuple, list[str]] = {}
    for day in DAYS:
        periods = tuple(sorted(intervals.get(day, set()), key=lambda p: (_minutes(p[0]), _minutes(p[1]))))
        if periods:
            groups.setdefault(periods, []).append(day)
    for periods, days in groups.items():
        label = "・".join("祝日" if d == "祝" else d for d in days)
        lines.append(f"{label} " + "、".join(f"{start}〜{end}" for start, end in periods))
    if intervals:
        closed = [("祝日" if d == "祝" else d) for d in DAYS if not intervals.get(d)]
        if closed:
            lines.append("休診: " + "・".join(closed))
    if other_closed:
        lines.append(f"その他の休診日: {other_closed}")
    return "\n".join(lines)


def _minutes(text: str) -> int:
    hour, _, minute = text.partition(":")
    return int(hour) * 60 + int(minute or 0)


Getters = dict[str, Callable[[list[str]], str]]


def _municipality(
    get: Getters,
    label: dict[str, str],
    row: list[str],
    scope: MunicipalityScope,
    problems: list[tuple[str, str]],
) -> Municipality | str | None:
    """The row's municipality from 都道府県コード + 市区町村コード; "out" when Renkei does not have it,
    None when the codes are not numbers or the importing person may not write it (``problems`` says why)."""
    prefecture = unicodedata.normalize("NFKC", get["prefecture_code"](row)).zfill(2)
    city = unicodedata.normalize("NFKC", get["city_code"](row)).zfill(3)
    try:
        code = with_check_digit(prefecture + city)
    except InvalidCode:
        problems.append(
            (
                label["city_code"],
                f"都道府県コード「{prefecture}」・市区町村コード「{city}」が数字ではありません。",
            )
        )
        return None
    municipality = scope.by_code.get(code)
    if municipality is None:
        return "out"
    denied = scope.permission_error(municipality)
    if denied:
        problems.append((label["city_code"], denied))
    return municipality


def _name_and_kind(
    get: Getters, label: dict[str, str], row: list[str], problems: list[tuple[str, str]]
) -> tuple[str, str, str | None]:
    """(facility name, corporation, category) from 正式名称 and 機関区分."""
    full_name = get["name"](row)
    facility_name, corporation = split_corporation(full_name)
    if not facility_name:
        problems.append((label["name"], "正式名称が空欄です。"))
    elif len(facility_name) > 200:
        problems.append((label["name"], "正式名称が長すぎます（200文字まで）。"))
    kind = unicodedata.normalize("NFKC", get["kind"](row))
    category = KINDS.get(kind)
    if category is None:
        problems.append(
            (
                label["kind"],
                f"機関区分「{kind}」は 1（病院）・2（診療所）・3（歯科診療所）のいずれかです。",
            )
        )
    return facility_name, corporation, category


def _values(
    get: Getters,
    label: dict[str, str],
    row: list[str],
    warnings: list[tuple[str, str]],
    facility_name: str,
    corporation: str,
    category: str | None,
    lat: float | None,
    lon: float | None,
    beds: int | None,
) -> dict[str, Any]:
    url, url_warning = normalize_url(get["url"](row))
    if url_warning:
        warnings.append((label["url"], url_warning))
    return {
        "name": facility_name,
        "name_kana": kana_reading(get["kana"](row))[:300],
        "short_name": clean_text(get["short_name"](row))[:200],
        "corporation_name": corporation[:200],
        "category": category,
        "address": clean_address(get["address"](row))[:300],
        "latitude": lat,
        "longitude": lon,
        "url": url,
        "beds": beds,
    }


class IryoImporter:
    format = "iryo"
    key_field = "medical_institution_id"

    def __init__(self) -> None:
        self.municipality_ids: set[int] = set()
        self.categories: set[str] = set()
        self.hours_given = False
        # IDs of rows rejected for a mistake: still "in the file" for --full.
        self.rejected_keys: set[str] = set()

    def parse(self, files: list[InputFile], scope: MunicipalityScope, report: ImportReport) -> list[Record]:
        facility_files: list[tuple[InputFile, list[str], Iterator[tuple[int, list[str]]]]] = []
        hours_files: list[tuple[InputFile, list[str], Iterator[tuple[int, list[str]]]]] = []
        for input_file in files:
            header, rows = read_table(input_file, report)
            kind = self._kind(input_file, header)
            (facility_files if kind == "facility" else hours_files).append((input_file, header, rows))
        if not facility_files:
            raise ImportRefused(
                "施設票（…_facility_info_….csv）がありません。診療科目・診療時間票は施設票と一緒に取り込んでください。"
            )
        records: dict[str, Record] = {}
        other_closed: dict[str, str] = {}
        for input_file, header, rows in facility_files:
            self._parse_facilities(input_file, header, rows, scope, report, records, other_closed)
        self.hours_given = bool(hours_files)
        if self.hours_given:
            specialties: dict[str, list[str]] = {}
            intervals: dict[str, dict[str, set[tuple[str, str]]]] = {}
            for input_file, header, rows in hours_files:
                self._parse_hours(input_file, header, rows, report, records, specialties, intervals)
            for key, record in records.items():
                record.values["specialties"] = specialties.get(key, [])
                record.values["opening_hours"] = summarise_hours(
                    intervals.get(key, {}), other_closed.get(key, "")
                )
        return list(records.values())

    def _kind(self, input_file: InputFile, header: list[str]) -> str:
        if header_matches(header, ("ID", "正式名称", "機関区分")) == 3:
            return "facility"
        if header_matches(header, ("ID", "診療科目名", "診療時間帯")) >= 2:
            return "hours"
        if header_matches(header, ("事業所番号", "サービスの種類")) >= 1:
            raise ImportRefused(
                f"{input_file.name} は介護サービス情報公表システムのファイルです。形式に「介護サービス情報公表システム（kaigo）」を選んでください。"
            )
        if header_matches(header, ("独自コード", "種別")) == 2:
            raise ImportRefused(
                f"{input_file.name} は Renkei 取込テンプレートです。形式に「Renkei テンプレート（renkei）」を選んでください。"
            )
        raise ImportRefused(
            f"{input_file.name} は医療情報ネットの施設票（facility_info）でも診療科目・診療時間票（speciality_hours）でもありません。"
            "病院・診療所・歯科診療所のファイルを選んでください（薬局・助産所のファイルには対応していません）。"
        )

    def _parse_facilities(self, input_file, header, rows, scope, report, records, other_closed) -> None:
        columns = HeaderMap(FACILITY_COLUMNS, header)
        missing = columns.missing_required()
        if missing:
            raise ImportRefused(f"{input_file.name} に必要な列「{'」「'.join(missing)}」がありません。")
        get = {column.key: columns.getter(column.key) for column in FACILITY_COLUMNS}
        label = {column.key: columns.labels.get(column.key, column.label) for column in FACILITY_COLUMNS}
        name = input_file.name
        stored_name = stored_file_name(name)
        field_labels = {
            "name": label["name"],
            "name_kana": label["kana"],
            "short_name": label["short_name"],
            "corporation_name": label["name"],
            "address": label["address"],
            "url": label["url"],
        }
        for number, row in rows:
            report.rows += 1
            problems = control_character_problems(header, row)
            warnings: list[tuple[str, str]] = []
            municipality = _municipality(get, label, row, scope, problems)
            if municipality == "out":
                report.out_of_scope += 1
                continue
            facility_id = MEDICAL_INSTITUTION_ID.tidy(get["id"](row))
            if problem := MEDICAL_INSTITUTION_ID.problem(facility_id):
                problems.append((label["id"], f"ID「{facility_id}」は{problem}"))
            elif facility_id in records:
                problems.append((label["id"], f"ID「{facility_id}」が同じファイルに2回あります。"))
            facility_name, corporation, category = _name_and_kind(get, label, row, problems)
            try:
                lat, lon = parse_coordinates(get["lat"](row), get["lon"](row))
            except FieldError as exc:
                problems.append((f"{label['lat']}・{label['lon']}", str(exc)))
                lat = lon = None
            beds = None
            if columns.has("beds"):
                try:
                    beds = parse_count(get["beds"](row), label["beds"])
                except FieldError as exc:
                    problems.append((label["beds"], str(exc)))
            values = {}
            if not problems:
                values = _values(
                    get, label, row, warnings, facility_name, corporation, category, lat, lon, beds
                )
                problems = length_problems(values, field_labels)
            if problems:
                report.reject_row(name, number, header, row, problems)
                self.rejected_keys.add(facility_id)
                continue
            # Without a problem, the row has a municipality and a category.
            assert isinstance(municipality, Municipality) and category is not None
            outside = outside_municipality_warning(lat, lon, municipality)
            if outside:
                warnings.append((f"{label['lat']}・{label['lon']}", outside))
            for column, message in warnings:
                report.warn(name, number, column, message)
            self.municipality_ids.add(municipality.pk)
            self.categories.add(category)
            other_closed[facility_id] = clean_text(get["other_closed"](row))
            records[facility_id] = Record(
                key_field="medical_institution_id",
                key=facility_id,
                municipality=municipality,
                values=values,
                source_file=stored_name,
                source_row=number,
            )

    def _parse_hours(self, input_file, header, rows, report, records, specialties, intervals) -> None:
        columns = HeaderMap(HOURS_COLUMNS, header)
        missing = columns.missing_required()
        if missing:
            raise ImportRefused(f"{input_file.name} に必要な列「{'」「'.join(missing)}」がありません。")
        get = {column.key: columns.getter(column.key) for column in HOURS_COLUMNS}
        name = input_file.name
        unknown_ids = 0
        for number, row in rows:
            facility_id = unicodedata.normalize("NFKC", get["id"](row))
            if facility_id not in records:
                unknown_ids += 1
                continue
            problems = control_character_problems(header, row)
            if problems:
                report.reject_row(name, number, header, row, problems)
                continue
            specialty = clean_text(get["specialty"](row))
            names = specialties.setdefault(facility_id, [])
            if specialty and specialty not in names:
                names.append(specialty)
            days = intervals.setdefault(facility_id, {})
            for day in DAYS:
                start, end = _time(get[f"{day}_open"](row)), _time(get[f"{day}_close"](row))
                if start and end:
                    days.setdefault(day, set()).add((start, end))
        if unknown_ids:
            report.warn(
                name,
                None,
                "ID",
                f"施設票にない（または取り込まない）施設の行 {unknown_ids} 件は読み飛ばしました。",
            )

    def writer(self, report: ImportReport) -> Writer:
        return Writer(
            source=Facility.Source.IRYO,
            report=report,
            carried_fields=BASE_FIELDS + (HOURS_FIELDS if self.hours_given else ()),
            with_services=False,
        )

    def full_scope_queryset(self, records: list[Record]):
        return Facility.objects.filter(
            source=Facility.Source.IRYO,
            medical_institution_id__isnull=False,
            municipality_id__in=self.municipality_ids,
            category__in=self.categories,
        )
