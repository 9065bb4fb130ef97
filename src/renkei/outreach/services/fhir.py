"""The directory as a FHIR R4 directory: Organization, Location and HealthcareService, read and searched.

One public facility is one Organization (profile JP Core JP_Organization), one Location (JP_Location)
and one HealthcareService (JP Core has no profile for it), all with the facility's id. Every
resource and Bundle is built through the ``fhir.resources`` models (its R4B package: fhir.resources 8
ships R5, R4B and STU3, and these three resources are the same in R4 and R4B), so what is answered
has passed the library's validation.

Each resource names its source in ``meta.source`` and the licence of reuse in a ``meta.tag``.
Identifier systems that no standard defines are Renkei's own URNs (listed in ``IDENTIFIER_SYSTEMS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.resource import Resource

from renkei.core.services import RuleError
from renkei.directory.catalog import SERVICE_TYPES, CategoryGroup, FacilityStatus
from renkei.directory.models import Facility, category_label
from renkei.outreach.services import scope

JP_ORGANIZATION = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Organization"
JP_LOCATION = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Location"
PREFECTURE_NO = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Organization_PrefectureNo"
PREFECTURE_NO_SYSTEM = "urn:oid:1.2.392.100495.20.3.21"  # 都道府県番号 (JP Core)
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
CATEGORY_SYSTEM = "urn:renkei:directory:category"
SERVICE_TYPE_SYSTEM = "urn:renkei:directory:kaigo-service-type"  # 介護サービス種類コード
LICENSE_SYSTEM = "urn:renkei:license"
SOURCE_PREFIX = "urn:renkei:source:"

# Facility field → identifier system.
IDENTIFIER_SYSTEMS = {
    "pk": "urn:renkei:directory:facility",
    "care_office_number": "urn:renkei:id:care-office-number",  # 介護保険事業所番号
    "medical_institution_id": "urn:renkei:id:iryo-joho-net",  # 医療情報ネットの医療機関ID
    "corporate_number": "urn:renkei:id:corporate-number",  # 法人番号
}
RESOURCE_TYPES = ("Organization", "Location", "HealthcareService")
DEFAULT_COUNT = 50
MAX_COUNT = 500


def _meta(facility: Facility, profile: str | None) -> dict[str, Any]:
    source = scope.source_of(facility)
    meta: dict[str, Any] = {
        "lastUpdated": facility.updated_at.isoformat(),
        "source": f"{SOURCE_PREFIX}{facility.source}",
        "tag": [{"system": LICENSE_SYSTEM, "code": source.license_code, "display": source.license}],
    }
    if profile:
        meta["profile"] = [profile]
    return meta


def _identifiers(facility: Facility) -> list[dict[str, str]]:
    values = {"pk": str(facility.pk)} | {
        name: getattr(facility, name) for name in IDENTIFIER_SYSTEMS if name != "pk"
    }
    return [{"system": IDENTIFIER_SYSTEMS[name], "value": value} for name, value in values.items() if value]


def _telecom(facility: Facility, with_url: bool) -> list[dict[str, str]]:
    points = [("phone", facility.phone), ("fax", facility.fax)]
    if with_url:
        points.append(("url", facility.url))
    return [{"system": system, "value": value, "use": "work"} for system, value in points if value]


def _address(facility: Facility) -> dict[str, Any] | None:
    if not facility.address:
        return None
    municipality = facility.municipality
    address = {
        "use": "work",
        "type": "physical",
        "text": facility.address,
        "city": municipality.name,
        "district": municipality.county or None,
        "state": municipality.prefecture,
        "postalCode": facility.postal_code or None,
        "country": "JP",
    }
    return {key: value for key, value in address.items() if value}


def _category(facility: Facility) -> dict[str, Any]:
    return {
        "coding": [
            {
                "system": CATEGORY_SYSTEM,
                "code": facility.category,
                "display": category_label(facility.category),
            }
        ],
        "text": category_label(facility.category),
    }


def organization(facility: Facility) -> Organization:
    provider = facility.category_group != CategoryGroup.COMMUNITY
    kind = ("prov", "Healthcare Provider") if provider else ("cg", "Community Group")
    address = _address(facility)
    return Organization.model_validate(
        {
            "resourceType": "Organization",
            "id": str(facility.pk),
            "meta": _meta(facility, JP_ORGANIZATION),
            "extension": [
                {
                    "url": PREFECTURE_NO,
                    "valueIdentifier": {
                        "system": PREFECTURE_NO_SYSTEM,
                        "value": facility.municipality.code[:2],
                    },
                }
            ],
            "identifier": _identifiers(facility),
            "active": facility.status != FacilityStatus.CLOSED,
            "type": [
                {"coding": [{"system": ORGANIZATION_TYPE, "code": kind[0], "display": kind[1]}]},
                _category(facility),
            ],
            "name": facility.name,
            "alias": [alias for alias in (facility.short_name, facility.name_kana) if alias] or None,
            "telecom": _telecom(facility, with_url=True) or None,
            "address": [address] if address else None,
        }
    )


LOCATION_STATUS: dict[str, str] = {FacilityStatus.ACTIVE: "active", FacilityStatus.SUSPENDED: "suspended"}


def location(facility: Facility) -> Location:
    address = _address(facility)
    located = facility.latitude is not None and facility.longitude is not None
    return Location.model_validate(
        {
            "resourceType": "Location",
            "id": str(facility.pk),
            "meta": _meta(facility, JP_LOCATION),
            "identifier": _identifiers(facility)[:1],
            "status": LOCATION_STATUS.get(facility.status, "inactive"),
            "name": facility.name,
            "alias": [facility.name_kana] if facility.name_kana else None,
            "mode": "instance",
            "type": [_category(facility)],
            "telecom": _telecom(facility, with_url=False) or None,
            "address": address,
            "position": {"longitude": facility.longitude, "latitude": facility.latitude} if located else None,
            "managingOrganization": {"reference": f"Organization/{facility.pk}", "display": facility.name},
            "availabilityExceptions": facility.opening_hours or None,
        }
    )


def healthcare_service(facility: Facility) -> HealthcareService:
    services = [service for service in facility.services.all() if service.code in SERVICE_TYPES]
    return HealthcareService.model_validate(
        {
            "resourceType": "HealthcareService",
            "id": str(facility.pk),
            "meta": _meta(facility, None),
            "identifier": _identifiers(facility)[:1],
            "active": facility.status == FacilityStatus.ACTIVE,
            "providedBy": {"reference": f"Organization/{facility.pk}", "display": facility.name},
            "category": [_category(facility)],
            "type": [
                {
                    "coding": [
                        {"system": SERVICE_TYPE_SYSTEM, "code": s.code, "display": SERVICE_TYPES[s.code].name}
                    ]
                }
                for s in services
            ]
            or None,
            "specialty": [{"text": name} for name in facility.specialties or []] or None,
            "location": [{"reference": f"Location/{facility.pk}", "display": facility.name}],
            "name": facility.name,
            "comment": scope.offer_text(facility),
            "telecom": _telecom(facility, with_url=True) or None,
            "availabilityExceptions": facility.opening_hours or None,
        }
    )


BUILDERS = {"Organization": organization, "Location": location, "HealthcareService": healthcare_service}


# --- search -------------------------------------------------------------------------------------


@dataclass
class Search:
    resource_type: str
    name: str = ""
    name_modifier: str = ""  # "", "contains" or "exact"
    city: str = ""
    identifier: tuple[str, str] | None = None  # (system or "", value)
    count: int = DEFAULT_COUNT
    page: int = 1
    params: dict[str, str] = field(default_factory=dict)


def parse_search(resource_type: str, params: dict[str, str]) -> Search:
    """The supported search parameters; unknown ones are ignored, as FHIR's lenient handling says."""
    search = Search(resource_type, params=params)
    errors = []
    for key, value in params.items():
        base, _, modifier = key.partition(":")
        if base == "name" and modifier in ("", "contains", "exact"):
            search.name, search.name_modifier = value.strip(), modifier
        elif key == "address-city":
            search.city = value.strip()
        elif key == "identifier":
            system, bar, code = value.partition("|")
            search.identifier = (system, code) if bar else ("", value)
    for key, attribute, maximum in (("_count", "count", MAX_COUNT), ("page", "page", 100000)):
        value = params.get(key, "").strip()
        if value:
            if value.isascii() and value.isdigit() and 1 <= int(value) <= maximum:
                setattr(search, attribute, int(value))
            else:
                errors.append({"field": key, "message": f"{key} は1〜{maximum}の整数で指定してください。"})
    if errors:
        raise RuleError("検索条件に誤りがあります。", errors=errors, code="invalid_parameter")
    return search


def _matches(search: Search) -> QuerySet[Facility]:
    qs = scope.public_facilities()
    if search.name:
        lookup = {"contains": "icontains", "exact": "exact"}.get(search.name_modifier, "istartswith")
        qs = qs.filter(
            Q(**{f"name__{lookup}": search.name})
            | Q(**{f"name_kana__{lookup}": search.name})
            | Q(**{f"short_name__{lookup}": search.name})
        )
    if search.city:
        qs = qs.filter(municipality__name__istartswith=search.city)
    if search.identifier:
        qs = qs.filter(_identifier_filter(*search.identifier))
    return qs.prefetch_related("services").order_by("name_kana", "name", "id")


def _identifier_filter(system: str, value: str) -> Q:
    fields = [name for name, uri in IDENTIFIER_SYSTEMS.items() if not system or uri == system]
    match = Q(pk__in=[])
    for name in fields:
        if name == "pk":
            match |= Q(pk=int(value)) if value.isascii() and value.isdigit() else Q(pk__in=[])
        else:
            match |= Q(**{name: value})
    return match


def search_bundle(search: Search, base_url: str) -> dict[str, Any]:
    """A ``searchset`` Bundle of one page, with self/next/previous links."""
    qs = _matches(search)
    total = qs.count()
    offset = (search.page - 1) * search.count
    facilities = list(qs[offset : offset + search.count])
    build = BUILDERS[search.resource_type]
    links = [("self", search.page)]
    if search.page > 1:
        links.append(("previous", search.page - 1))
    if offset + search.count < total:
        links.append(("next", search.page + 1))
    bundle = Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": total,
            "link": [{"relation": relation, "url": _page_url(base_url, search, n)} for relation, n in links],
            "entry": [
                {
                    "fullUrl": f"{base_url}/{facility.pk}",
                    "resource": build(facility),
                    "search": {"mode": "match"},
                }
                for facility in facilities
            ]
            or None,
        }
    )
    return bundle.model_dump(mode="json", exclude_none=True)


def _page_url(base_url: str, search: Search, page: int) -> str:
    from urllib.parse import urlencode

    params = {key: value for key, value in search.params.items() if key != "page"} | {"page": str(page)}
    return f"{base_url}?{urlencode(params)}"


def read(resource_type: str, resource_id: str) -> dict[str, Any]:
    """One resource by its id (a closed facility stays readable, inactive); Http404 otherwise."""
    if not (resource_id.isascii() and resource_id.isdigit()):
        raise Http404
    facility = (
        scope.public_facilities(include_closed=True)
        .prefetch_related("services")
        .filter(pk=resource_id)
        .first()
    )
    if facility is None:
        raise Http404
    resource: Resource = BUILDERS[resource_type](facility)
    return resource.model_dump(mode="json", exclude_none=True)


SEARCH_PARAMETERS = [
    ("name", "string", "名称・ふりがな・略称（前方一致。name:contains で部分一致、name:exact で完全一致）"),
    ("address-city", "string", "市町村名（前方一致）"),
    ("identifier", "token", "識別子（system|value または value）"),
    ("_count", "number", f"1ページの件数（既定 {DEFAULT_COUNT}、最大 {MAX_COUNT}）"),
    ("page", "number", "ページ（1から、Renkei の拡張）"),
]
PROFILES = {"Organization": JP_ORGANIZATION, "Location": JP_LOCATION}


def capability_statement(base_url: str) -> dict[str, Any]:
    """What this read-only server offers (``GET /fhir/metadata``), the sources' licences included."""
    from fhir.resources.R4B.capabilitystatement import CapabilityStatement

    licenses = "\n".join(
        f"- {source.name}（{source.publisher}）: {source.license} {source.license_url}"
        for source in dict.fromkeys(scope.SOURCES.values())
    )
    statement = CapabilityStatement.model_validate(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-12-01",
            "kind": "instance",
            "software": {"name": "Renkei"},
            "implementation": {
                "description": "Renkei 医療・介護資源の FHIR ディレクトリ（公開情報のみ）",
                "url": base_url,
            },
            "fhirVersion": "4.0.1",
            "format": ["json"],
            "copyright": "出典と利用条件:\n" + licenses,
            "rest": [
                {
                    "mode": "server",
                    "resource": [
                        {
                            "type": resource_type,
                            **(
                                {"supportedProfile": [PROFILES[resource_type]]}
                                if resource_type in PROFILES
                                else {}
                            ),
                            "interaction": [{"code": "read"}, {"code": "search-type"}],
                            "searchParam": [
                                {"name": name, "type": kind, "documentation": text}
                                for name, kind, text in SEARCH_PARAMETERS
                            ],
                        }
                        for resource_type in RESOURCE_TYPES
                    ],
                }
            ],
        }
    )
    return statement.model_dump(mode="json", exclude_none=True)
