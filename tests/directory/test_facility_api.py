from __future__ import annotations

import pytest

from renkei.core.tokens import issue_token


def test_search_answers_count_and_results_with_verified_at(client, directory):
    body = client.get("/api/v1/facilities", {"q": "訪問看護", "capability": "round_the_clock"}).json()
    assert body["count"] == 2
    assert [row["name"] for row in body["results"]] == [
        "五戸ナースステーション",
        "みなと訪問看護ステーション",
    ]
    minato = body["results"][1]
    assert minato["verified_at"].startswith("2026-10-01")
    assert minato["services"] == [{"code": "130", "name": "訪問看護"}]
    assert minato["capabilities"]["round_the_clock"] is True
    assert minato["capabilities"]["house_call"] is None
    assert minato["professional"] is None


def test_repeatable_parameters_and_paging(client, directory):
    body = client.get("/api/v1/facilities?capability=house_call&capability=home_visit_care").json()
    assert [row["name"] for row in body["results"]] == ["なかい内科クリニック"]
    body = client.get("/api/v1/facilities", {"page_size": 2, "page": 4}).json()
    assert (body["count"], body["page"], body["page_size"], len(body["results"])) == (8, 4, 2, 2)


def test_near_results_carry_distance(client, directory):
    body = client.get("/api/v1/facilities", {"near": "40.5090,141.4310", "radius_km": 5}).json()
    assert [(row["name"], round(row["distance_km"], 1)) for row in body["results"]] == [
        ("櫛引訪問看護ステーション", 3.1),
        ("なかい内科クリニック", 4.8),
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 501},
        {"page": 0},
        {"radius_km": -1},
        {"bbox": "a,b,c,d"},
        {"near": "100,200"},
        {"page": "x"},
    ],
)
def test_out_of_range_parameters_are_a_400_with_a_json_error(client, directory, params):
    response = client.get("/api/v1/facilities", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] in {"invalid_parameter", "validation_error"}
    assert error["message"]


def test_facility_item_and_404(client, directory):
    facility = directory["nakai_clinic"]
    body = client.get(f"/api/v1/facilities/{facility.pk}").json()
    assert (body["name"], body["municipality_code"]) == ("なかい内科クリニック", "022039")
    missing = client.get("/api/v1/facilities/999999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_professional_fields_need_a_region_professional(client, directory, carol):
    pk = directory["minato_nurse"].pk
    assert client.get(f"/api/v1/facilities/{pk}").json()["professional"] is None
    _, token = issue_token(carol, "テスト")
    body = client.get(f"/api/v1/facilities/{pk}", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["professional"]["liaison_contact"] == "連携担当 山田"
    bad = client.get(f"/api/v1/facilities/{pk}", headers={"Authorization": "Bearer rk_nothing_here"})
    assert bad.status_code == 401


def test_geojson_lists_located_facilities_of_the_query(client, directory):
    response = client.get("/api/v1/facilities.geojson", {"bbox": "141.47,40.50,141.54,40.54"})
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert sorted(feature["properties"]["name"] for feature in collection["features"]) == [
        "なかい内科クリニック",
        "みなと訪問看護ステーション",
    ]
    minato = next(
        f for f in collection["features"] if f["properties"]["name"] == "みなと訪問看護ステーション"
    )
    assert minato["geometry"] == {"type": "Point", "coordinates": [141.529, 40.5325]}


def test_geojson_leaves_out_facilities_without_coordinates(client, directory):
    names = [
        f["properties"]["name"]
        for f in client.get("/api/v1/facilities.geojson", {"service": "150"}).json()["features"]
    ]
    assert names == []


@pytest.mark.django_db
def test_openapi_documents_the_directory_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/facilities", "/api/v1/facilities/{facility_id}", "/api/v1/facilities.geojson"} <= set(
        paths
    )
    parameters = {p["name"] for p in paths["/api/v1/facilities"]["get"]["parameters"]}
    assert {
        "q",
        "category",
        "municipality",
        "service",
        "capability",
        "acceptance",
        "near",
        "radius_km",
        "bbox",
        "page",
        "page_size",
    } <= parameters


def test_the_api_gives_the_hsds_assured_date_and_the_missing_mark(client, directory):
    body = client.get(f"/api/v1/facilities/{directory['minato_nurse'].pk}").json()

    assert body["verified_at"].startswith("2026-10-01")
    assert body["assured_date"] == "2026-10-01"
    assert body["missing_from_source_at"] is None
