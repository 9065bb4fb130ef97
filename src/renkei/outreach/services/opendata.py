"""The directory as CSV in the layouts of the 自治体標準オープンデータセット (デジタル庁; formerly 推奨データセット):
介護サービス事業所一覧 (``care_service``) and 医療機関一覧 (``medical_institution``), one municipality per
file, UTF-8 with BOM and CRLF as :func:`renkei.core.spreadsheet.csv_bytes` writes every Renkei CSV.

The dataset names are those of the layouts' file-naming rule (``<団体コード>_care_service.csv``).
Columns the directory does not hold (内線番号, 方書 — the address already contains it —, the
structured 診療曜日・時間, 医療機関コード) stay empty rather than guessed. 備考 starts with the
最終確認日, so that a reader of the file knows how fresh each row is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from renkei.core.models import Municipality
from renkei.core.spreadsheet import csv_bytes
from renkei.directory.catalog import Category, CategoryGroup, categories_in_group
from renkei.directory.models import Facility, FacilityService, category_label
from renkei.outreach.services import scope

CARE_SERVICE_COLUMNS = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "介護サービス事業所名称",
    "介護サービス事業所名称_カナ", "実施サービス", "住所", "方書", "緯度", "経度", "電話番号", "内線番号",
    "FAX番号", "法人番号", "法人の名称", "事業所番号", "利用可能曜日", "利用可能曜日特記事項", "定員", "URL",
    "備考",
]  # fmt: skip
MEDICAL_INSTITUTION_COLUMNS = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ", "医療機関の種類",
    "住所", "方書", "緯度", "経度", "電話番号", "内線番号", "FAX番号", "法人番号", "法人の名称", "医療機関コード",
    "診療曜日", "診療開始時間", "診療終了時間", "診療日時特記事項", "時間外における対応", "診療科目", "病床数",
    "URL", "備考",
]  # fmt: skip

MEDICAL_CATEGORIES = [Category.HOSPITAL, Category.CLINIC, Category.DENTAL_CLINIC]
# What a facility does outside its hours, from the capabilities confirmed true.
AFTER_HOURS = [("round_the_clock", "24時間対応"), ("house_call", "往診"), ("home_visit_care", "訪問診療")]


def _note(facility: Facility) -> str:
    confirmed = (
        f"最終確認日 {timezone.localdate(facility.verified_at).isoformat()}"
        if facility.verified_at
        else "最終確認日 未確認"
    )
    return " ".join(part for part in (confirmed, facility.description.replace("\r\n", "\n")) if part)


def _where(facility: Facility) -> list[object]:
    return [
        facility.address,
        "",  # 方書: the directory's address already includes it
        facility.latitude if facility.latitude is not None else "",
        facility.longitude if facility.longitude is not None else "",
        facility.phone,
        "",  # 内線番号
        facility.fax,
        facility.corporate_number,
        facility.corporation_name,
    ]


def _care_facilities(municipality: Municipality) -> list[Facility]:
    """Every office with a 介護 service code, and the care facilities entered without one."""
    care = categories_in_group(CategoryGroup.CARE)
    facilities = scope.public_facilities().filter(municipality=municipality).prefetch_related("services")
    return [
        f for f in facilities.order_by("name_kana", "name", "id") if f.services.all() or f.category in care
    ]


def _care_rows(facility: Facility) -> Iterator[list[object]]:
    """One row per service offered, as the official files have one per service type."""
    municipality = facility.municipality
    offered: list[FacilityService | None] = [*facility.services.all()] or [None]
    for service in offered:
        yield [
            municipality.code,
            f"{facility.pk}-{service.code}" if service else str(facility.pk),
            municipality.prefecture,
            municipality.name,
            facility.name,
            facility.name_kana,
            service.name if service else category_label(facility.category),
            *_where(facility),
            facility.care_office_number or "",
            service.available_days if service else "",
            facility.opening_hours,
            (service.capacity if service and service.capacity else facility.capacity) or "",
            facility.url,
            _note(facility),
        ]


def _medical_kind(facility: Facility) -> str:
    if facility.category == Category.HOSPITAL:
        return "病院"
    return "有床診療所" if facility.beds else "無床診療所"


def _medical_facilities(municipality: Municipality) -> list[Facility]:
    facilities = scope.public_facilities().filter(municipality=municipality, category__in=MEDICAL_CATEGORIES)
    return list(facilities.order_by("name_kana", "name", "id"))


def _medical_rows(facility: Facility) -> Iterator[list[object]]:
    municipality = facility.municipality
    yield [
        municipality.code,
        str(facility.pk),
        municipality.prefecture,
        municipality.name,
        facility.name,
        facility.name_kana,
        _medical_kind(facility),
        *_where(facility),
        "",  # 医療機関コード (保険医療機関コード): not held by the directory
        "",  # 診療曜日
        "",  # 診療開始時間
        "",  # 診療終了時間
        facility.opening_hours,
        ";".join(label for field, label in AFTER_HOURS if getattr(facility, field) is True),
        ";".join(facility.specialties or []),
        facility.beds if facility.beds is not None else "",
        facility.url,
        _note(facility),
    ]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    columns: list[str]
    facilities: Callable[[Municipality], list[Facility]]
    rows: Callable[[Facility], Iterator[list[object]]]


DATASETS = {
    dataset.slug: dataset
    for dataset in [
        Dataset("care_service", "介護サービス事業所一覧", CARE_SERVICE_COLUMNS, _care_facilities, _care_rows),
        Dataset(
            "medical_institution",
            "医療機関一覧",
            MEDICAL_INSTITUTION_COLUMNS,
            _medical_facilities,
            _medical_rows,
        ),
    ]
}


@dataclass
class Export:
    filename: str
    content: bytes
    licenses: list[dict[str, str]]


def export(dataset_slug: str, municipality_code: str) -> Export:
    """The dataset for one municipality of the region; Http404 for an unknown dataset, RuleError
    (``invalid_parameter``) for a missing or unknown municipality."""
    dataset = DATASETS.get(dataset_slug)
    if dataset is None:
        raise Http404
    municipality = scope.municipality_in_region(municipality_code)
    facilities = dataset.facilities(municipality)
    rows = [row for facility in facilities for row in dataset.rows(facility)]
    return Export(
        filename=f"{municipality.code}_{dataset.slug}.csv",
        content=csv_bytes([dataset.columns, *rows]),
        licenses=scope.licenses_of(facilities),
    )
