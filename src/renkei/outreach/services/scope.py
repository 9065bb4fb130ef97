"""What open data publishes: the public fields of the site's region, and where each record came from.

Every open-data output (HSDS, CSV, FHIR) reads facilities through :func:`public_facilities` and names
the licence of each record's source with :func:`source_of`. The professional-only fields of the
directory (direct line, 連携窓口, acceptance details, notes) are never read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from renkei.core.models import Municipality
from renkei.core.services import RuleError, default_region
from renkei.directory.catalog import FacilityStatus
from renkei.directory.models import Facility, category_label

# The columns open data may read: the directory's public fields and official codes (never the
# professional-only ones). Readers use ``.only(*PUBLIC_FIELDS)`` so that nothing else is even loaded.
PUBLIC_FIELDS = (
    "id", "name", "name_kana", "short_name", "category", "municipality", "postal_code", "address",
    "latitude", "longitude", "phone", "fax", "url", "opening_hours", "capacity", "beds", "specialties",
    "description", "corporation_name", "care_office_number", "medical_institution_id", "corporate_number",
    "local_code", "house_call", "home_visit_care", "round_the_clock", "end_of_life_care", "dementia_care",
    "tube_feeding", "suctioning", "home_oxygen", "central_venous_nutrition", "ventilator",
    "pressure_ulcer_care", "insulin", "stoma", "peritoneal_dialysis", "palliative_opioids",
    "acceptance_status", "status", "source", "imported_at", "verified_at", "updated_at",
)  # fmt: skip


@dataclass(frozen=True)
class Source:
    """Who published a record and under which terms it may be reused."""

    name: str
    publisher: str
    license: str
    license_url: str
    license_code: str  # a short token for the licence (SPDX where it has one), for FHIR's meta.tag

    def as_dict(self) -> dict[str, str]:
        return {
            "source": self.name,
            "publisher": self.publisher,
            "license": self.license,
            "license_url": self.license_url,
        }


_GOVERNMENT_TERMS = (
    "公共データ利用規約（第1.0版）",
    "https://www.digital.go.jp/resources/open_data/",
    "PDL-1.0",
)
_REGION_TERMS = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.ja", "CC-BY-4.0")
SOURCES: dict[str, Source] = {
    Facility.Source.KAIGO: Source("介護サービス情報公表システム", "厚生労働省", *_GOVERNMENT_TERMS),
    Facility.Source.IRYO: Source("医療情報ネット（ナビイ）", "厚生労働省", *_GOVERNMENT_TERMS),
    Facility.Source.RENKEI: Source("Renkei（圏域の市町村・関係機関が登録）", "圏域の市町村", *_REGION_TERMS),
    Facility.Source.MANUAL: Source("Renkei（圏域の市町村・関係機関が登録）", "圏域の市町村", *_REGION_TERMS),
}


def source_of(facility: Facility) -> Source:
    return SOURCES.get(facility.source, SOURCES[Facility.Source.MANUAL])


def licenses_of(facilities: list[Facility]) -> list[dict[str, str]]:
    """The distinct sources of ``facilities`` with their licences, in a fixed order."""
    seen = {source_of(facility) for facility in facilities}
    return [source.as_dict() for source in dict.fromkeys(SOURCES.values()) if source in seen]


def region_municipalities() -> QuerySet[Municipality]:
    region = default_region()
    return Municipality.objects.filter(region=region) if region else Municipality.objects.none()


def municipality_in_region(code: str, field: str = "municipality") -> Municipality:
    """The region's municipality with this 6-digit code; a RuleError naming ``field`` otherwise."""
    if not re.fullmatch(r"[0-9]{6}", code or ""):
        raise RuleError("市町村コードは6桁の数字で指定してください。", field, code="invalid_parameter")
    municipality = region_municipalities().filter(code=code).first()
    if municipality is None:
        raise RuleError(
            f"市町村コード「{code}」の市町村はこの圏域にありません。", field, code="invalid_parameter"
        )
    return municipality


def public_facilities(*, include_closed: bool = False) -> QuerySet[Facility]:
    """The region's facilities, public columns only; closed ones only when asked (a detail link)."""
    qs = Facility.objects.filter(municipality__in=region_municipalities())
    if not include_closed:
        qs = qs.exclude(status=FacilityStatus.CLOSED)
    return qs.only(*PUBLIC_FIELDS).select_related("municipality")


def offer_text(facility: Facility) -> str:
    """What the entry offers, in words: its 介護 services, what it is known to do, its own text."""
    parts = []
    names = [service.name for service in facility.services.all()]
    if names:
        parts.append("提供サービス: " + "、".join(names))
    if facility.specialties:
        parts.append("診療科目: " + "、".join(facility.specialties))
    capabilities = [capability.label for capability in facility.true_capabilities()]
    if capabilities:
        parts.append("対応: " + "、".join(capabilities))
    if facility.description:
        parts.append(facility.description)
    return "。".join(parts) or category_label(facility.category)
