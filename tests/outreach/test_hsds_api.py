"""GET /api/v1/hsds/…: the directory as HSDS 3.0, every object valid against the published schemas."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.outreach.conftest import assert_hsds_valid

# Written out here, not imported: the ids are a published promise and must not drift with the code.
NAMESPACE = uuid.UUID("5b0f3c8e-6a63-4d43-9a4e-2f8c1d7e9b10")


def expected_id(kind: str, pk: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"renkei:hachinohe:{kind}:{pk}"))


ACTIVE_BY_KANA = [
    "おいらせケアプランセンター",
    "櫛引訪問看護ステーション",
    "五戸ナースステーション",
    "三戸中央病院",
    "デイサービス新郷",
    "なかい内科クリニック",
    "はしかみ いきいきサロン",
    "みなと訪問看護ステーション",
]

LISTS = [
    ("/api/v1/hsds/services", "service_list"),
    ("/api/v1/hsds/organizations", "organization_list"),
    ("/api/v1/hsds/service_at_locations", "service_at_location_list"),
]


@pytest.mark.parametrize(("url", "schema"), LISTS)
def test_every_listed_object_is_valid_hsds(client, directory, url, schema):
    body = client.get(url, {"per_page": 50}).json()
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (8, 1, 1, 8)
    assert (body["first_page"], body["last_page"], body["empty"]) == (True, True, False)
    for item in body["contents"]:
        assert_hsds_valid(schema, item)


def test_services_are_paged_in_kana_order_with_assured_date(client, directory):
    first = client.get("/api/v1/hsds/services", {"per_page": 3}).json()
    second = client.get("/api/v1/hsds/services", {"per_page": 3, "page": 3}).json()
    assert [s["name"] for s in first["contents"]] == ACTIVE_BY_KANA[:3]
    assert [s["name"] for s in second["contents"]] == ACTIVE_BY_KANA[6:]
    assert (first["total_pages"], first["last_page"], second["last_page"], second["size"]) == (
        3,
        False,
        True,
        2,
    )
    minato = second["contents"][1]
    assert minato["id"] == expected_id("service", directory["minato_nurse"].pk)
    assert minato["organization_id"] == expected_id("organization", directory["minato_nurse"].pk)
    assert minato["assured_date"] == "2026-10-01"
    assert minato["status"] == "active"
    assert minato["description"] == "提供サービス: 訪問看護。対応: 24時間対応、看取り"
    assert "assured_date" not in second["contents"][0]  # はしかみ: never confirmed
    assert first["licenses"] == [
        {
            "source": "Renkei（圏域の市町村・関係機関が登録）",
            "publisher": "圏域の市町村",
            "license": "CC BY 4.0",
            "license_url": "https://creativecommons.org/licenses/by/4.0/deed.ja",
        }
    ]


def test_an_empty_page_says_so(client, directory):
    body = client.get("/api/v1/hsds/services", {"per_page": 5, "page": 9}).json()
    assert (body["size"], body["empty"], body["contents"], body["last_page"]) == (0, True, [], True)


def test_search_and_municipality_filter(client, directory):
    body = client.get("/api/v1/hsds/services", {"search": "訪問看護"}).json()
    assert [s["name"] for s in body["contents"]] == [
        "櫛引訪問看護ステーション",
        "五戸ナースステーション",
        "みなと訪問看護ステーション",
    ]
    body = client.get("/api/v1/hsds/organizations", {"municipality": "024422"}).json()
    assert [o["name"] for o in body["contents"]] == ["五戸ナースステーション"]


def test_organization_id_filter(client, directory):
    gonohe = directory["gonohe_nurse"]
    body = client.get(
        "/api/v1/hsds/service_at_locations", {"organization_id": expected_id("organization", gonohe.pk)}
    ).json()
    assert [item["id"] for item in body["contents"]] == [expected_id("service_at_location", gonohe.pk)]


def test_the_full_service_is_valid_and_nests_location_and_terms(client, directory):
    minato = directory["minato_nurse"]
    response = client.get(f"/api/v1/hsds/services/{expected_id('service', minato.pk)}")
    assert response.status_code == 200
    service = response.json()
    assert_hsds_valid("service", service)
    assert service["phones"] == [
        {
            "id": expected_id("service-phone-voice", minato.pk),
            "service_id": expected_id("service", minato.pk),
            "number": "0178-00-0001",
            "type": "voice",
            "description": "電話",
        }
    ]
    location = service["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == (40.5325, 141.5290)
    assert location["addresses"][0]["address_1"] == "青森県八戸市湊町字館鼻1-1"
    assert (location["addresses"][0]["city"], location["addresses"][0]["state_province"]) == (
        "八戸市",
        "青森県",
    )
    terms = [(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["name"]) for a in service["attributes"]]
    assert terms == [
        ("Renkei 種別", "訪問看護ステーション"),
        ("介護サービス種類コード", "訪問看護"),
        ("Renkei 対応項目", "24時間対応"),
        ("Renkei 対応項目", "看取り"),
    ]
    assert service["metadata"][0]["field_name"] == "license"
    assert service["metadata"][0]["replacement_value"] == (
        "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/deed.ja"
    )


def test_the_full_organization_and_service_at_location_are_valid(client, directory):
    for facility in directory.values():
        organization = client.get(f"/api/v1/hsds/organizations/{expected_id('organization', facility.pk)}")
        assert organization.status_code == 200, facility.name
        assert_hsds_valid("organization", organization.json())
        sal = client.get(
            f"/api/v1/hsds/service_at_locations/{expected_id('service_at_location', facility.pk)}"
        )
        assert sal.status_code == 200, facility.name
        assert_hsds_valid("service_at_location", sal.json())


def test_a_closed_facility_stays_reachable_as_defunct(client, directory):
    closed = directory["closed_day"]
    service = client.get(f"/api/v1/hsds/services/{expected_id('service', closed.pk)}").json()
    assert service["status"] == "defunct"
    listed = client.get("/api/v1/hsds/services").json()
    assert service["id"] not in [s["id"] for s in listed["contents"]]


def test_ids_are_stable_and_distinct_per_kind(client, directory):
    minato = directory["minato_nurse"]
    first = client.get("/api/v1/hsds/service_at_locations", {"search": "みなと"}).json()["contents"][0]
    again = client.get("/api/v1/hsds/service_at_locations", {"search": "みなと"}).json()["contents"][0]
    assert first == again
    ids = {first["id"], first["service_id"], first["location_id"], first["location"]["organization_id"]}
    assert len(ids) == 4
    assert first["location_id"] == expected_id("location", minato.pk)


def test_professional_fields_are_never_published(client, directory):
    minato = directory["minato_nurse"]
    texts = [
        client.get(f"/api/v1/hsds/services/{expected_id('service', minato.pk)}").content.decode(),
        client.get(f"/api/v1/hsds/organizations/{expected_id('organization', minato.pk)}").content.decode(),
        client.get("/api/v1/hsds/service_at_locations").content.decode(),
    ]
    for text in texts:
        assert "0178-00-9001" not in text
        assert "連携担当" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/hsds/services/not-a-uuid",
        "/api/v1/hsds/services/00000000-0000-4000-8000-000000000000",
        "/api/v1/hsds/organizations/00000000-0000-4000-8000-000000000000",
    ],
)
def test_unknown_ids_answer_the_one_not_found_body(client, directory, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_wrong_parameters_answer_invalid_parameter_with_every_field(client, directory):
    response = client.get("/api/v1/hsds/services", {"page": "0", "per_page": "501", "municipality": "999999"})
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid_parameter"
    assert [detail["field"] for detail in body["details"]] == ["page", "per_page", "municipality"]


def test_root_names_the_version_and_the_licences(client, db):
    body = json.loads(client.get("/api/v1/hsds/").content)
    assert body["version"] == "3.0"
    assert [source["source"] for source in body["licenses"]] == [
        "介護サービス情報公表システム",
        "医療情報ネット（ナビイ）",
        "Renkei（圏域の市町村・関係機関が登録）",
    ]


def test_the_schema_check_is_strict_about_formats():
    from tests.outreach.conftest import hsds_validator

    good = {"id": "9d1c4b4e-4a0e-5e4b-9a55-1f1b7c2a0c3d", "name": "x", "status": "active"}
    assert hsds_validator("service_list").is_valid(good)
    assert not hsds_validator("service_list").is_valid(good | {"id": "facility-12"})
    assert not hsds_validator("service_list").is_valid(good | {"last_modified": "2026-10-01"})
    assert not hsds_validator("service_list").is_valid(good | {"status": "open"})
