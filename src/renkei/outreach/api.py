"""Open data under /api/v1/: the directory in HSDS 3.0 (``/hsds/…``) and as 自治体標準オープンデータセット
CSV (``/opendata/{dataset}.csv``). Public fields only, no login; every answer names its sources'
licences. Errors are the one JSON error body of ``renkei.api``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from renkei.directory.models import Facility
from renkei.outreach.services import hsds, opendata

router = Router(tags=["オープンデータ（HSDS 3.0）"])
opendata_router = Router(tags=["オープンデータ（自治体標準オープンデータセット）"])

_PAGE_PARAMETERS = [
    ("search", "string", "フリーテキスト（名称・ふりがな・住所・サービス名）"),
    ("page", "integer", "ページ（1から）"),
    ("per_page", "integer", f"1ページの件数（既定 {hsds.DEFAULT_PER_PAGE}、最大 {hsds.MAX_PER_PAGE}）"),
    ("organization_id", "string", "この organization の提供するもののみ（UUID）"),
    ("modified_after", "string", "この日時（ISO 8601）以降に更新されたもののみ"),
    ("municipality", "string", "市町村コード（6桁、Renkei の拡張）"),
]
PAGE_OPENAPI = {
    "parameters": [
        {"in": "query", "name": name, "required": False, "schema": {"type": kind}, "description": text}
        for name, kind, text in _PAGE_PARAMETERS
    ]
}


def _list(request: HttpRequest, build: Callable[[Facility], dict[str, Any]]) -> dict[str, Any]:
    return hsds.page(hsds.parse_page_query(request.GET.dict()), build)


@router.get("/", summary="この API と HSDS の関係", url_name="hsds_root")
def root(request: HttpRequest) -> dict[str, Any]:
    return hsds.api_root()


@router.get("/services", summary="サービスの一覧", url_name="hsds_services", openapi_extra=PAGE_OPENAPI)
def services(request: HttpRequest) -> dict[str, Any]:
    return _list(request, hsds.service_list_item)


@router.get("/services/{service_id}", summary="サービス（入れ子の全情報）", url_name="hsds_service")
def service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    return hsds.service_object(hsds.get("service", service_id))


@router.get("/organizations", summary="組織の一覧", url_name="hsds_organizations", openapi_extra=PAGE_OPENAPI)
def organizations(request: HttpRequest) -> dict[str, Any]:
    return _list(request, hsds.organization_list_item)


@router.get(
    "/organizations/{organization_id}", summary="組織（入れ子の全情報）", url_name="hsds_organization"
)
def organization(request: HttpRequest, organization_id: str) -> dict[str, Any]:
    return hsds.organization_object(hsds.get("organization", organization_id))


@router.get(
    "/service_at_locations",
    summary="拠点ごとのサービスの一覧",
    url_name="hsds_service_at_locations",
    openapi_extra=PAGE_OPENAPI,
)
def service_at_locations(request: HttpRequest) -> dict[str, Any]:
    return _list(request, hsds.service_at_location_list_item)


@router.get(
    "/service_at_locations/{sal_id}",
    summary="拠点ごとのサービス（入れ子の全情報）",
    url_name="hsds_service_at_location",
)
def service_at_location(request: HttpRequest, sal_id: str) -> dict[str, Any]:
    return hsds.service_at_location_object(hsds.get("service_at_location", sal_id))


@opendata_router.get(
    "/{dataset}.csv",
    summary="介護サービス事業所一覧（care_service）・医療機関一覧（medical_institution）の CSV",
    description="市町村ごと（municipality=6桁コード、必須）。UTF-8（BOM 付き）、CRLF。出典の利用条件は Link ヘッダー（rel=license）に。",
    url_name="opendata_csv",
)
def opendata_csv(request: HttpRequest, dataset: str, municipality: str = "") -> HttpResponse:
    exported = opendata.export(dataset, municipality)
    response = HttpResponse(exported.content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    links = dict.fromkeys(source["license_url"] for source in exported.licenses)
    if links:
        response["Link"] = ", ".join(f'<{url}>; rel="license"' for url in links)
    return response


# renkei.api reads ``router`` even when ROUTERS is given (its default argument), so the first is named so.
ROUTERS = [("/hsds", router), ("/opendata", opendata_router)]
