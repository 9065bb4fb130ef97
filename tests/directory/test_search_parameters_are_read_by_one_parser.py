"""The search page, the API and its OpenAPI document agree on the search parameters: one parser
(``services.parse_query``) reads them, and the document lists exactly the parameters it reads."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from renkei.core.services import RuleError
from renkei.directory.services import QueryError, parse_query


class RecordingParams(MultiValueDict):
    """Empty request parameters that note every name the parser asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.read: list[str] = []

    def get(self, key, default=None):
        self.read.append(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.append(key)
        return super().getlist(key, default)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/facilities", "/api/v1/facilities.geojson"])
def test_the_openapi_document_lists_every_parameter_the_search_reads(client, path):
    params = RecordingParams()
    parse_query(params, geocode=None)

    documented = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]["parameters"]

    assert sorted(p["name"] for p in documented) == sorted(set(params.read))
    assert {p["name"]: p["schema"].get("type") or p["schema"]["anyOf"][0]["type"] for p in documented} == {
        "q": "string",
        "category": "array",
        "group": "string",
        "municipality": "array",
        "service": "array",
        "capability": "array",
        "acceptance": "array",
        "near": "string",
        "near_address": "string",
        "radius_km": "number",
        "bbox": "string",
        "verified": "boolean",
        "region": "string",
        "sort": "string",
        "page": "integer",
        "page_size": "integer",
    }
    assert all(p["in"] == "query" and not p["required"] and p["description"] for p in documented)


@pytest.mark.parametrize(
    "params",
    [
        {"page": "x"},
        {"page_size": "1.5"},
        {"radius_km": "abc"},
        {"page": "x", "sort": "random", "bbox": "1,2"},
        {"category": "castle", "municipality": "12"},
        {"verified": "maybe"},
    ],
)
def test_the_api_and_the_page_refuse_a_bad_value_with_the_same_japanese_details(client, directory, params):
    page = client.get(reverse("directory:search"), params)
    api = client.get("/api/v1/facilities", params)
    geojson = client.get("/api/v1/facilities.geojson", params)

    assert page.status_code == api.status_code == geojson.status_code == 400
    assert api.json() == geojson.json()
    error = api.json()["error"]
    assert (error["code"], error["message"]) == ("invalid_parameter", "検索条件に誤りがあります。")
    assert error["details"] == page.context["errors"]


def test_the_api_takes_empty_values_as_the_page_does(client, directory):
    empty = {"radius_km": "", "verified": "", "page": "", "page_size": ""}

    assert client.get(reverse("directory:search"), empty).status_code == 200
    body = client.get("/api/v1/facilities", empty).json()
    assert (body["count"], body["page"], body["page_size"]) == (8, 1, 20)


def test_a_query_error_is_a_rule_error_listing_every_problem(db):
    with pytest.raises(RuleError) as caught:
        parse_query({"page": "0", "sort": "random"})

    assert isinstance(caught.value, QueryError)
    assert (caught.value.code, caught.value.status) == ("invalid_parameter", 400)
    assert caught.value.errors == [
        {"field": "sort", "message": "並び順は name, distance, freshness のいずれかです。"},
        {"field": "page", "message": "ページは1〜100000の整数で指定してください。"},
    ]


@pytest.mark.parametrize(
    ("spelled", "only_verified"), [("1", True), ("true", True), ("on", True), ("no", False)]
)
def test_verified_is_read_as_a_boolean_however_it_is_spelled(client, directory, spelled, only_verified):
    everything = client.get("/api/v1/facilities").json()["count"]
    verified = client.get("/api/v1/facilities", {"verified": "1"}).json()["count"]

    assert verified < everything
    assert client.get("/api/v1/facilities", {"verified": spelled}).json()["count"] == (
        verified if only_verified else everything
    )
