"""The directory as Open Referral HSDS 3.0 (Human Services Data Specification) objects.

Each public facility of the region is one HSDS organization (the provider), one location (where it
is), one service (what it offers) and one service_at_location joining them. Ids are UUIDv5 of the
Renkei facility id, the kind of object and the region, so the same facility keeps the same ids
from one call, import or release to the next. ``assured_date`` is the directory's 最終確認日.

Objects are built as plain dicts in the shapes of the published schemas (``schema/compiled/*.json``
of openreferral/specification, branch 3.0): the ``*_list`` shapes for pages, the nested shapes for
single objects. Empty values are left out (the schemas allow no nulls).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet, Window
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from renkei.core.services import RuleError
from renkei.core.text import CONTROL_CHARACTERS
from renkei.directory import services as directory
from renkei.directory.catalog import SERVICE_TYPES, FacilityStatus
from renkei.directory.models import Facility, category_label
from renkei.outreach.services import scope

HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://docs.openreferral.org/en/latest/hsds/"
# Fixed for good: every published id is derived from it. Changing it would change every id.
NAMESPACE = uuid.UUID("5b0f3c8e-6a63-4d43-9a4e-2f8c1d7e9b10")
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500

STATUS: dict[str, str] = {
    FacilityStatus.ACTIVE: "active",
    FacilityStatus.SUSPENDED: "temporarily closed",
    FacilityStatus.CLOSED: "defunct",
}

# The vocabularies the attributes draw from: key → (name, description).
TAXONOMIES = {
    "category": ("Renkei 種別", "Renkei の施設・資源の種別"),
    "service_type": (
        "介護サービス種類コード",
        "介護サービス情報公表システムのサービス種類コード（jigyosho_<code>.csv）",
    ),
    "capability": ("Renkei 対応項目", "在宅医療・介護で対応できること（対応可と確認されたもの）"),
}


def hsds_id(kind: str, key: object) -> str:
    """A stable UUIDv5 for the ``kind`` of object made from Renkei's ``key`` (a facility id) in
    this installation's region (two regions' facility 12 are different facilities)."""
    return _uuid5(f"renkei:{settings.RENKEI_DEFAULT_REGION}:{kind}:{key}")


@lru_cache(maxsize=100_000)
def _uuid5(name: str) -> str:
    # Every page derives several ids per entry, and a detail look-up the region's: worth keeping.
    return str(uuid.uuid5(NAMESPACE, name))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """The object without empty values: HSDS fields are typed strings or numbers, never null."""
    return {key: value for key, value in values.items() if value not in (None, "", [])}


def _date(moment: datetime | None) -> str | None:
    return timezone.localdate(moment).isoformat() if moment else None


# --- objects ------------------------------------------------------------------------------------


def _phones(facility: Facility, owner: str) -> list[dict[str, Any]]:
    phones = []
    for number, kind, label in ((facility.phone, "voice", "電話"), (facility.fax, "fax", "FAX")):
        if number:
            phones.append(
                {
                    "id": hsds_id(f"{owner}-phone-{kind}", facility.pk),
                    f"{owner}_id": hsds_id(owner, facility.pk),
                    "number": number,
                    "type": kind,
                    "description": label,
                }
            )
    return phones


def _address(facility: Facility) -> list[dict[str, Any]]:
    if not facility.address:
        return []
    municipality = facility.municipality
    address = _clean(
        {
            "id": hsds_id("address", facility.pk),
            "location_id": hsds_id("location", facility.pk),
            "address_1": facility.address,
            "city": municipality.name,
            "region": municipality.county,
            "state_province": municipality.prefecture,
            "country": "JP",
            "address_type": "physical",
        }
    )
    # Required by the schema even when unknown: an empty string then.
    return [address | {"postal_code": facility.postal_code}]


def _license_metadata(facility: Facility, kind: str) -> list[dict[str, Any]]:
    """The record's source and the terms of reuse, as an HSDS metadata entry."""
    source = scope.source_of(facility)
    changed = facility.imported_at or facility.verified_at or facility.updated_at
    return [
        {
            "id": hsds_id(f"{kind}-metadata-license", facility.pk),
            "resource_id": hsds_id(kind, facility.pk),
            "resource_type": kind,
            "last_action_date": _date(changed) or "",
            "last_action_type": "source",
            "field_name": "license",
            "previous_value": "",
            "replacement_value": f"{source.license} {source.license_url}",
            "updated_by": f"{source.name}（{source.publisher}）",
        }
    ]


def organization_list_item(facility: Facility) -> dict[str, Any]:
    description = (
        facility.description or f"{category_label(facility.category)}（{facility.municipality.name}）"
    )
    if facility.corporation_name:
        description += f" 運営: {facility.corporation_name}"
    return _clean(
        {
            "id": hsds_id("organization", facility.pk),
            "name": facility.name,
            "alternate_name": facility.short_name,
            "description": description,
            "website": facility.url,
            "tax_id": facility.corporate_number,
        }
    )


def _identifiers(facility: Facility) -> list[dict[str, Any]]:
    codes = [
        ("corporate_number", "JP-JCN", "法人番号", facility.corporate_number),
        ("care_office_number", "", "介護保険事業所番号", facility.care_office_number),
        ("medical_institution_id", "", "医療機関ID（医療情報ネット）", facility.medical_institution_id),
    ]
    return [
        _clean(
            {
                "id": hsds_id(f"identifier-{name}", facility.pk),
                "organization_id": hsds_id("organization", facility.pk),
                "identifier_scheme": scheme,
                "identifier_type": label,
                "identifier": value,
            }
        )
        for name, scheme, label, value in codes
        if value
    ]


def location_object(facility: Facility) -> dict[str, Any]:
    located = facility.latitude is not None and facility.longitude is not None
    return _clean(
        {
            "id": hsds_id("location", facility.pk),
            "location_type": "physical",
            "organization_id": hsds_id("organization", facility.pk),
            "name": facility.name,
            "latitude": facility.latitude if located else None,
            "longitude": facility.longitude if located else None,
            "addresses": _address(facility),
            "phones": _phones(facility, "location"),
        }
    )


def service_list_item(facility: Facility) -> dict[str, Any]:
    return _clean(
        {
            "id": hsds_id("service", facility.pk),
            "organization_id": hsds_id("organization", facility.pk),
            "name": facility.name,
            "alternate_name": category_label(facility.category),
            "description": scope.offer_text(facility),
            "url": facility.url,
            "status": STATUS.get(facility.status, "active"),
            "assured_date": _date(facility.verified_at),
            "last_modified": facility.updated_at.isoformat() if facility.updated_at else None,
            "organization": organization_list_item(facility),
        }
    )


def _term(taxonomy: str, code: str, name: str) -> dict[str, Any]:
    taxonomy_name, taxonomy_description = TAXONOMIES[taxonomy]
    taxonomy_id = hsds_id("taxonomy", taxonomy)
    return {
        "id": hsds_id("taxonomy-term", f"{taxonomy}:{code}"),
        "code": code,
        "name": name,
        "description": f"{taxonomy_name}: {name}",
        "taxonomy": taxonomy_name,
        "taxonomy_id": taxonomy_id,
        "taxonomy_detail": {"id": taxonomy_id, "name": taxonomy_name, "description": taxonomy_description},
        "language": "ja",
    }


def _attributes(facility: Facility) -> list[dict[str, Any]]:
    terms = [("category", facility.category, category_label(facility.category))]
    terms += [
        ("service_type", service.code, SERVICE_TYPES[service.code].name)
        for service in facility.services.all()
        if service.code in SERVICE_TYPES
    ]
    terms += [
        ("capability", capability.field, capability.label) for capability in facility.true_capabilities()
    ]
    service_id = hsds_id("service", facility.pk)
    attributes = []
    for taxonomy, code, name in terms:
        term = _term(taxonomy, code, name)
        attributes.append(
            {
                "id": hsds_id("attribute", f"{facility.pk}:{taxonomy}:{code}"),
                "link_id": service_id,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": term["id"],
                "taxonomy_term": term,
            }
        )
    return attributes


def _schedules(facility: Facility, owner: str) -> list[dict[str, Any]]:
    if not facility.opening_hours:
        return []
    return [
        {
            "id": hsds_id(f"{owner}-schedule", facility.pk),
            f"{owner}_id": hsds_id(owner, facility.pk),
            "description": facility.opening_hours,
        }
    ]


def service_at_location_list_item(facility: Facility) -> dict[str, Any]:
    return {
        "id": hsds_id("service_at_location", facility.pk),
        "service_id": hsds_id("service", facility.pk),
        "location_id": hsds_id("location", facility.pk),
        "location": location_object(facility),
        "service": {
            key: value for key, value in service_list_item(facility).items() if key != "organization"
        },
    }


def service_object(facility: Facility) -> dict[str, Any]:
    """The fully nested service (``GET /services/{id}``)."""
    sal = service_at_location_list_item(facility)
    del sal["service"]
    return service_list_item(facility) | _clean(
        {
            "phones": _phones(facility, "service"),
            "schedules": _schedules(facility, "service"),
            "service_at_locations": [sal],
            "languages": [{"id": hsds_id("service-language", facility.pk), "name": "日本語", "code": "ja"}],
            "attributes": _attributes(facility),
            "metadata": _license_metadata(facility, "service"),
        }
    )


def organization_object(facility: Facility) -> dict[str, Any]:
    """The fully nested organization (``GET /organizations/{id}``), its service in one-to-one form."""
    service = service_list_item(facility)
    del service["organization"]
    return organization_list_item(facility) | _clean(
        {
            "phones": _phones(facility, "organization"),
            "locations": [location_object(facility)],
            "organization_identifiers": _identifiers(facility),
            "services": [service],
            "metadata": _license_metadata(facility, "organization"),
        }
    )


def service_at_location_object(facility: Facility) -> dict[str, Any]:
    """The fully nested service_at_location (``GET /service_at_locations/{id}``)."""
    return service_at_location_list_item(facility) | _clean(
        {
            "schedules": _schedules(facility, "service_at_location"),
            "metadata": _license_metadata(facility, "service_at_location"),
        }
    )


# --- pages and look-ups -------------------------------------------------------------------------


@dataclass
class PageQuery:
    search: str = ""
    municipality: str = ""
    organization_id: str = ""
    modified_after: datetime | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


def _integer(params: dict[str, str], key: str, default: int, maximum: int, errors: list) -> int:
    value = (params.get(key) or "").strip()
    if not value:
        return default
    if value.isascii() and value.isdigit() and 1 <= int(value) <= maximum:
        return int(value)
    errors.append({"field": key, "message": f"{key} は1〜{maximum}の整数で指定してください。"})
    return default


def parse_page_query(params: dict[str, str]) -> PageQuery:
    """The HSDS OpenAPI's list parameters (search, page, per_page, organization_id, modified_after)
    and Renkei's ``municipality``; every problem in one ``invalid_parameter`` answer."""
    errors: list[dict[str, str]] = []
    query = PageQuery(search=CONTROL_CHARACTERS.sub(" ", params.get("search") or "").strip()[:200])
    query.page = _integer(params, "page", 1, 100000, errors)
    query.per_page = _integer(params, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE, errors)
    query.municipality = (params.get("municipality") or "").strip()
    if query.municipality:
        try:
            scope.municipality_in_region(query.municipality)
        except RuleError as exc:
            errors.extend(exc.errors)
    query.organization_id = (params.get("organization_id") or "").strip()
    modified_after = (params.get("modified_after") or "").strip()
    if modified_after:
        try:
            moment = parse_datetime(modified_after)
        except ValueError:
            moment = None
        if moment is None:
            errors.append(
                {
                    "field": "modified_after",
                    "message": "modified_after は日時（ISO 8601）で指定してください。",
                }
            )
        else:
            query.modified_after = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    if errors:
        raise RuleError("パラメータに誤りがあります。", errors=errors, code="invalid_parameter")
    return query


def _filtered(query: PageQuery) -> QuerySet[Facility]:
    """The matches, unordered. The region's municipalities are resolved to ids first and the text
    search (the directory's own) runs only when asked: this is the page every harvester walks."""
    municipalities = scope.region_municipalities()
    if query.municipality:
        municipalities = municipalities.filter(code=query.municipality)
    qs = Facility.objects.filter(municipality_id__in=list(municipalities.values_list("pk", flat=True)))
    qs = qs.exclude(status=FacilityStatus.CLOSED)
    if query.search:
        search = directory.FacilityQuery(
            q=query.search, municipalities=[query.municipality] if query.municipality else []
        )
        qs = qs.filter(pk__in=directory.filtered_queryset(search).values("pk"))
    if query.modified_after:
        qs = qs.filter(updated_at__gte=query.modified_after)
    if query.organization_id:
        pk = facility_pk("organization", query.organization_id)
        qs = qs.filter(pk=pk) if pk is not None else qs.none()
    return qs


def page(query: PageQuery, build) -> dict[str, Any]:
    """One page in the shape of the HSDS OpenAPI ``Page`` schema, with the sources' licences."""
    qs = _filtered(query)
    offset = (query.page - 1) * query.per_page
    # The page's ids and the total in one narrow pass (COUNT(*) OVER ()), then the page's rows by id,
    # as the directory's search does: sorting whole rows of every match costs more.
    window = list(
        qs.order_by("name_kana", "name", "id")
        .annotate(total_matches=Window(Count("pk")))
        .values_list("pk", "total_matches")[offset : offset + query.per_page]
    )
    total = window[0][1] if window else (qs.count() if offset else 0)
    by_id = (
        scope.public_facilities(include_closed=True)
        .prefetch_related("services")
        .in_bulk([pk for pk, _ in window])
    )
    facilities = [by_id[pk] for pk, _total in window]
    total_pages = max(1, math.ceil(total / query.per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": query.page,
        "size": len(facilities),
        "first_page": query.page == 1,
        "last_page": query.page >= total_pages,
        "empty": not facilities,
        "contents": [build(facility) for facility in facilities],
        "licenses": scope.licenses_of(facilities),
    }


def facility_pk(kind: str, object_id: str) -> int | None:
    """The facility behind an HSDS id of ``kind``: UUIDv5 cannot be read back, so the region's ids
    are derived again and compared (a few milliseconds for a region's thousands of entries)."""
    try:
        wanted = str(uuid.UUID(object_id))
    except ValueError:
        return None
    pks = scope.public_facilities(include_closed=True).values_list("pk", flat=True)
    return next((pk for pk in pks if hsds_id(kind, pk) == wanted), None)


def get(kind: str, object_id: str) -> Facility:
    """The facility behind ``object_id``; closed ones stay reachable (``defunct``), like the pages."""
    pk = facility_pk(kind, object_id)
    if pk is None:
        raise Http404
    return scope.public_facilities(include_closed=True).prefetch_related("services").get(pk=pk)


def api_root() -> dict[str, Any]:
    return {
        "version": HSDS_VERSION,
        "profile": HSDS_PROFILE,
        "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
        "licenses": [source.as_dict() for source in dict.fromkeys(scope.SOURCES.values())],
    }
