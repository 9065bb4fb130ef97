"""GET /api/v1/facilities, /api/v1/facilities/{id} and /api/v1/facilities.geojson.

Public fields for everyone; professional-only fields when the caller is a professional of the region.
Parameters are read by the function the search page uses, ``services.parse_query``; its
``QueryError`` (a ``RuleError``) becomes the ``invalid_parameter`` error body of ``renkei.api``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from renkei.core import permissions
from renkei.core.api_auth import TokenAuth
from renkei.core.models import User
from renkei.core.public_cache import public_cache
from renkei.core.replica import public_read
from renkei.directory import services
from renkei.directory.catalog import CAPABILITIES
from renkei.directory.models import Facility

router = Router(tags=["施設・資源"])
map_router = Router(tags=["施設・資源"])


# The search parameters as the OpenAPI document lists them: (name, JSON type, description). Only
# documentation: services.parse_query reads and checks them, for the API as for the search page, so
# that both answer the same input with the same Japanese messages.
SEARCH_PARAMETERS: list[tuple[str, str, str]] = [
    ("q", "string", "フリーテキスト（名称・ふりがな・住所・サービス名。正規化して部分一致）"),
    ("category", "array", "種別（hospital, clinic…）または分類（medical, care, community）。繰り返し可"),
    ("group", "string", "分類: medical / care / community"),
    ("municipality", "array", "市町村コード（6桁）。繰り返し可"),
    ("service", "array", "介護サービス種類コード（例 130 = 訪問看護）。繰り返し可"),
    ("capability", "array", "対応項目（house_call, home_visit_care, round_the_clock…）。すべてを満たすもの"),
    ("acceptance", "array", "受入状況: accepting / consult / not_accepting / unknown"),
    ("near", "string", "中心地点「緯度,経度」。radius_km 以内を近い順に"),
    ("near_address", "string", "中心地点を住所・町名で（圏域内、町字単位）"),
    ("radius_km", "number", "半径 km（既定 5、最大 100）"),
    ("bbox", "string", "表示範囲「西経度,南緯度,東経度,北緯度」"),
    ("verified", "boolean", "確認済みの情報のみ"),
    ("region", "string", "圏域の識別名。省略時はこのサイトの圏域、all で全圏域"),
    ("sort", "string", "name / distance / freshness"),
    ("page", "integer", "ページ（1から）"),
    ("page_size", "integer", "1ページの件数（最大 500）"),
]
_DEFAULTS: dict[str, Any] = {"string": "", "array": [], "boolean": False}  # number, integer: none


def _openapi_parameter(name: str, json_type: str, description: str) -> dict[str, Any]:
    """One query parameter as Django Ninja would document an optional field of that type."""
    schema: dict[str, Any] = {"description": description, "title": name.replace("_", " ").title()}
    if json_type in _DEFAULTS:
        schema |= {"default": _DEFAULTS[json_type], "type": json_type}
    else:
        schema["anyOf"] = [{"type": json_type}, {"type": "null"}]
    if json_type == "array":
        schema["items"] = {"type": "string"}
    return {"in": "query", "name": name, "required": False, "schema": schema, "description": description}


SEARCH_OPENAPI = {"parameters": [_openapi_parameter(*parameter) for parameter in SEARCH_PARAMETERS]}


class ServiceOut(Schema):
    code: str
    name: str


class ProfessionalOut(Schema):
    direct_phone: str
    liaison_contact: str
    acceptance_note: str
    professional_note: str


class FacilityOut(Schema):
    id: int
    name: str
    name_kana: str
    category: str
    category_label: str
    category_group: str
    status: str
    municipality_code: str
    municipality_name: str
    postal_code: str
    address: str
    latitude: float | None
    longitude: float | None
    phone: str
    fax: str
    url: str
    opening_hours: str
    care_office_number: str | None
    medical_institution_id: str | None
    services: list[ServiceOut]
    capabilities: dict[str, bool | None] = Field(description="true = 対応可, false = 対応不可, null = 不明")
    acceptance_status: str
    acceptance_stated_at: date | None
    verified_at: datetime | None = Field(description="最終確認日時（HSDS の assured_date）")
    assured_date: date | None = Field(
        None, description="最終確認日（HSDS の assured_date、verified_at の日付）"
    )
    missing_from_source_at: datetime | None = Field(
        None, description="公的な公表データ（全件）に見当たらなくなった日時。要確認の印"
    )
    distance_km: float | None = None
    professional: ProfessionalOut | None = Field(None, description="専門職のみ（ログイン時）")


class FacilityPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[FacilityOut]


def _caller(request: HttpRequest) -> User | AnonymousUser:
    """Session user, or the owner of a bearer token; anonymous otherwise (public data only)."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        user = TokenAuth()(request)  # the same token check as every authenticated endpoint
        if user is None:
            raise HttpError(401, "APIトークンが無効です。")
        return user
    return request.user


def facility_out(facility: Facility, *, professional: bool, distance: float | None = None) -> dict[str, Any]:
    return {
        "id": facility.pk,
        "name": facility.name,
        "name_kana": facility.name_kana,
        "category": facility.category,
        "category_label": str(facility.get_category_display()),
        "category_group": facility.category_group,
        "status": facility.status,
        "municipality_code": facility.municipality.code,
        "municipality_name": facility.municipality.name,
        "postal_code": facility.postal_code,
        "address": facility.address,
        "latitude": facility.latitude,
        "longitude": facility.longitude,
        "phone": facility.phone,
        "fax": facility.fax,
        "url": facility.url,
        "opening_hours": facility.opening_hours,
        "care_office_number": facility.care_office_number,
        "medical_institution_id": facility.medical_institution_id,
        "services": [{"code": service.code, "name": service.name} for service in facility.services.all()],
        "capabilities": {
            capability.field: getattr(facility, capability.field) for capability in CAPABILITIES
        },
        "acceptance_status": facility.acceptance_status,
        "acceptance_stated_at": facility.acceptance_stated_at,
        "verified_at": facility.verified_at,
        "assured_date": timezone.localdate(facility.verified_at) if facility.verified_at else None,
        "missing_from_source_at": facility.missing_from_source_at,
        "distance_km": round(distance, 3) if distance is not None else None,
        "professional": {
            "direct_phone": facility.direct_phone,
            "liaison_contact": facility.liaison_contact,
            "acceptance_note": facility.acceptance_note,
            "professional_note": facility.professional_note,
        }
        if professional
        else None,
    }


@router.get(
    "",
    response=FacilityPage,
    summary="施設・資源の検索",
    url_name="facilities",
    openapi_extra=SEARCH_OPENAPI,
)
@decorate_view(public_read, public_cache)
def list_facilities(request: HttpRequest) -> dict[str, Any]:
    user = _caller(request)
    query = services.parse_query(request.GET)
    result = services.search_facilities(query)
    return {
        "count": result.count,
        "page": query.page,
        "page_size": query.page_size,
        "results": [
            facility_out(
                facility,
                professional=permissions.can_view_professional_fields(user, facility),
                distance=result.distances_km.get(facility.pk),
            )
            for facility in result.facilities
        ],
    }


@map_router.get(
    "/facilities.geojson",
    summary="地図用 GeoJSON（検索と同じ条件）",
    url_name="facilities_geojson",
    openapi_extra=SEARCH_OPENAPI,
)
@decorate_view(public_read, public_cache)
def facilities_geojson(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        services.geojson(services.parse_query(request.GET)),
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )


@router.get("/{facility_id}", response=FacilityOut, summary="施設・資源の詳細", url_name="facility")
@decorate_view(public_read, public_cache)
def get_facility(request: HttpRequest, facility_id: int) -> dict[str, Any]:
    user = _caller(request)
    facility = services.get_facility(facility_id)
    if facility is None:
        raise Http404
    return facility_out(facility, professional=permissions.can_view_professional_fields(user, facility))


ROUTERS = [("/facilities", router), ("", map_router)]
