"""GET /fhir/…: Organization, Location and HealthcareService, each resource valid for fhir.resources."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization

MODELS = {"Organization": Organization, "Location": Location, "HealthcareService": HealthcareService}
JP_ORGANIZATION = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Organization"
JP_LOCATION = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Location"


def fhir_json(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    return json.loads(response.content)


def names(bundle: dict) -> list[str]:
    return [entry["resource"]["name"] for entry in bundle.get("entry", [])]


@pytest.mark.parametrize("resource_type", ["Organization", "Location", "HealthcareService"])
def test_every_resource_of_a_search_is_valid(client, directory, resource_type):
    body = fhir_json(client.get(f"/fhir/{resource_type}"))
    Bundle.model_validate(body)
    assert (body["type"], body["total"]) == ("searchset", 8)
    for entry in body["entry"]:
        MODELS[resource_type].model_validate(entry["resource"])
        assert entry["fullUrl"] == f"http://testserver/fhir/{resource_type}/{entry['resource']['id']}"


def test_search_by_name_city_and_identifier(client, directory):
    assert names(fhir_json(client.get("/fhir/Organization", {"name": "みなと"}))) == [
        "みなと訪問看護ステーション"
    ]
    assert names(fhir_json(client.get("/fhir/Organization", {"name": "訪問看護"}))) == []
    assert names(fhir_json(client.get("/fhir/Organization", {"name:contains": "訪問看護"}))) == [
        "櫛引訪問看護ステーション",
        "みなと訪問看護ステーション",
    ]
    assert names(fhir_json(client.get("/fhir/Location", {"address-city": "五戸"}))) == [
        "五戸ナースステーション"
    ]
    minato = directory["minato_nurse"]
    found = fhir_json(
        client.get("/fhir/HealthcareService", {"identifier": f"urn:renkei:directory:facility|{minato.pk}"})
    )
    assert names(found) == ["みなと訪問看護ステーション"]


def test_search_by_official_number(client, directory):
    from tests.directory.search_fixtures import make_facility

    make_facility(
        "テスト居宅", "てすときょたく", "care_management_office", "022039", care_office_number="0270000001"
    )
    found = fhir_json(
        client.get("/fhir/Organization", {"identifier": "urn:renkei:id:care-office-number|0270000001"})
    )
    assert names(found) == ["テスト居宅"]
    assert names(fhir_json(client.get("/fhir/Organization", {"identifier": "0270000001"}))) == ["テスト居宅"]
    assert fhir_json(client.get("/fhir/Organization", {"identifier": "urn:other|0270000001"}))["total"] == 0


def test_the_organization_follows_jp_core(client, directory):
    minato = directory["minato_nurse"]
    organization = fhir_json(client.get(f"/fhir/Organization/{minato.pk}"))
    Organization.model_validate(organization)
    assert organization["meta"]["profile"] == [JP_ORGANIZATION]
    assert organization["extension"] == [
        {
            "url": "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Organization_PrefectureNo",
            "valueIdentifier": {"system": "urn:oid:1.2.392.100495.20.3.21", "value": "02"},
        }
    ]
    assert organization["telecom"] == [{"system": "phone", "value": "0178-00-0001", "use": "work"}]
    assert organization["address"] == [
        {
            "use": "work",
            "type": "physical",
            "text": "青森県八戸市湊町字館鼻1-1",
            "city": "八戸市",
            "state": "青森県",
            "country": "JP",
        }
    ]
    assert organization["meta"]["tag"] == [
        {"system": "urn:renkei:license", "code": "CC-BY-4.0", "display": "CC BY 4.0"}
    ]
    assert "0178-00-9001" not in json.dumps(organization, ensure_ascii=False)


def test_the_location_and_the_service(client, directory):
    minato = directory["minato_nurse"]
    location = fhir_json(client.get(f"/fhir/Location/{minato.pk}"))
    Location.model_validate(location)
    assert location["meta"]["profile"] == [JP_LOCATION]
    assert location["position"] == {"longitude": 141.529, "latitude": 40.5325}
    assert location["managingOrganization"]["reference"] == f"Organization/{minato.pk}"
    service = fhir_json(client.get(f"/fhir/HealthcareService/{minato.pk}"))
    HealthcareService.model_validate(service)
    assert service["type"] == [
        {
            "coding": [
                {"system": "urn:renkei:directory:kaigo-service-type", "code": "130", "display": "訪問看護"}
            ]
        }
    ]
    assert service["comment"] == "提供サービス: 訪問看護。対応: 24時間対応、看取り"
    assert service["location"][0]["reference"] == f"Location/{minato.pk}"


def test_paging_links(client, directory):
    first = fhir_json(client.get("/fhir/Organization", {"_count": 3}))
    assert [link["relation"] for link in first["link"]] == ["self", "next"]
    assert first["link"][1]["url"] == "http://testserver/fhir/Organization?_count=3&page=2"
    last = fhir_json(client.get("/fhir/Organization", {"_count": 3, "page": 3}))
    assert [link["relation"] for link in last["link"]] == ["self", "previous"]
    assert names(last) == ["はしかみ いきいきサロン", "みなと訪問看護ステーション"]


def test_a_closed_facility_is_readable_but_not_searched(client, directory):
    closed = directory["closed_day"]
    assert fhir_json(client.get(f"/fhir/Organization/{closed.pk}"))["active"] is False
    assert fhir_json(client.get(f"/fhir/Location/{closed.pk}"))["status"] == "inactive"
    assert "旧みなとデイサービス" not in names(fhir_json(client.get("/fhir/Organization", {"_count": 100})))


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/fhir/Organization/999999", 404, "not-found"),
        ("/fhir/Organization/abc", 404, "not-found"),
        ("/fhir/Patient", 404, "not-found"),
        ("/fhir/Organization?_count=0", 400, "invalid"),
    ],
)
def test_errors_are_operation_outcomes_in_japanese(client, directory, path, status, code):
    outcome = fhir_json(client.get(path), status)
    OperationOutcome.model_validate(outcome)
    assert outcome["issue"][0]["code"] == code
    assert any("\u3040" <= ch <= "\u9fff" for ch in outcome["issue"][0]["diagnostics"])


def test_metadata_states_the_licences(client, db):
    statement = fhir_json(client.get("/fhir/metadata"))
    CapabilityStatement.model_validate(statement)
    assert [r["type"] for r in statement["rest"][0]["resource"]] == [
        "Organization",
        "Location",
        "HealthcareService",
    ]
    assert "公共データ利用規約" in statement["copyright"] and "CC BY 4.0" in statement["copyright"]
