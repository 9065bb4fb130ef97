"""FHIR document Bundles as outside systems send them, written here by hand after the published
JP-CLINS profiles (eReferral 診療情報提供書, eDischargeSummary 退院時サマリー, ePCS 患者サマリー):
Composition.type from the JP document type codes, the kana name as SYL, 医療機関コード identifiers,
紹介先 in section 910."""

from __future__ import annotations

import json
from typing import Any

DOC_TYPES = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes"
REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation"
INSTITUTION = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no"
SECTIONS = "http://jpfhir.jp/fhir/eReferral/CodeSystem/document-section"


def div(text: str) -> dict[str, str]:
    return {"status": "additional", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{text}</div>'}


def patient(kana: str = "カクウ ハナコ", birth: str = "1938-04-02") -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "identifier": [{"system": "urn:oid:1.2.392.100495.20.3.51.11311234567", "value": "00012345"}],
        "name": [
            {
                "extension": [{"url": REPRESENTATION, "valueCode": "IDE"}],
                "use": "official",
                "text": "架空 花子",
                "family": "架空",
                "given": ["花子"],
            },
            {
                "extension": [{"url": REPRESENTATION, "valueCode": "SYL"}],
                "use": "official",
                "text": kana,
                "family": kana.split()[0],
                "given": [kana.split()[-1]],
            },
        ],
        "gender": "female",
        "birthDate": birth,
    }


def organization(name: str, code: str) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "identifier": [{"system": INSTITUTION, "value": code}],
        "name": name,
    }


def referral(**patient_args) -> dict[str, Any]:
    entries = [
        ("urn:uuid:00000000-0000-4000-8000-000000000001", None),  # the Composition, below
        ("urn:uuid:00000000-0000-4000-8000-000000000002", patient(**patient_args)),
        ("urn:uuid:00000000-0000-4000-8000-000000000003", organization("テスト市民病院", "0212345678")),
        ("urn:uuid:00000000-0000-4000-8000-000000000004", organization("テスト在宅クリニック", "0218765432")),
        (
            "urn:uuid:00000000-0000-4000-8000-000000000005",
            {"resourceType": "Practitioner", "name": [{"text": "病院 医師"}]},
        ),
        (
            "urn:uuid:00000000-0000-4000-8000-000000000006",
            {
                "resourceType": "Condition",
                "code": {
                    "coding": [
                        {
                            "system": "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MDCDX2",
                            "code": "20053637",
                            "display": "慢性心不全",
                        }
                    ]
                },
                "subject": {"reference": "urn:uuid:00000000-0000-4000-8000-000000000002"},
            },
        ),
        (
            "urn:uuid:00000000-0000-4000-8000-000000000007",
            {
                "resourceType": "AllergyIntolerance",
                "code": {"text": "ペニシリン"},
                "patient": {"reference": "urn:uuid:00000000-0000-4000-8000-000000000002"},
            },
        ),
        (
            "urn:uuid:00000000-0000-4000-8000-000000000008",
            {
                "resourceType": "MedicationRequest",
                "status": "active",
                "intent": "order",
                "medicationCodeableConcept": {
                    "coding": [
                        {
                            "system": "urn:oid:1.2.392.200119.4.403.1",
                            "code": "123456789",
                            "display": "フロセミド錠２０ｍｇ",
                        }
                    ]
                },
                "subject": {"reference": "urn:uuid:00000000-0000-4000-8000-000000000002"},
            },
        ),
    ]
    composition = {
        "resourceType": "Composition",
        "language": "ja",
        "status": "final",
        "type": {"coding": [{"system": DOC_TYPES, "code": "57133-1", "display": "診療情報提供書"}]},
        "subject": {"reference": entries[1][0]},
        "date": "2026-12-01T10:00:00+09:00",
        "author": [{"reference": entries[4][0]}, {"reference": entries[2][0]}],
        "title": "診療情報提供書",
        "custodian": {"reference": entries[2][0]},
        "section": [
            {
                "title": "紹介先情報",
                "code": {"coding": [{"system": SECTIONS, "code": "910"}]},
                "entry": [{"reference": entries[3][0]}],
            },
            {
                "title": "紹介元情報",
                "code": {"coding": [{"system": SECTIONS, "code": "920"}]},
                "entry": [{"reference": entries[2][0]}],
            },
            {
                "title": "紹介目的",
                "code": {"coding": [{"system": SECTIONS, "code": "950"}]},
                "text": div("退院後の在宅療養をお願いします。<br/>訪問診療を希望されています。"),
            },
            {
                "title": "傷病名・主訴",
                "code": {"coding": [{"system": SECTIONS, "code": "340"}]},
                "text": div("<p>慢性心不全</p>"),
                "entry": [{"reference": entries[5][0]}],
            },
        ],
    }
    bundle_entries = [{"fullUrl": entries[0][0], "resource": composition}]
    bundle_entries += [{"fullUrl": url, "resource": resource} for url, resource in entries[1:]]
    return {
        "resourceType": "Bundle",
        "meta": {"profile": ["http://jpfhir.jp/fhir/eReferral/StructureDefinition/JP_Bundle_eReferral"]},
        "identifier": {
            "system": "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier",
            "value": "0212345678^2026^000001",
        },
        "type": "document",
        "timestamp": "2026-12-01T10:00:00+09:00",
        "entry": bundle_entries,
    }


def discharge_summary() -> dict[str, Any]:
    data = referral()
    composition = data["entry"][0]["resource"]
    composition["type"] = {"coding": [{"system": DOC_TYPES, "code": "18842-5", "display": "退院時サマリー"}]}
    composition["title"] = "退院時サマリー"
    composition["section"] = [
        {
            "title": "入院中経過",
            "code": {
                "coding": [
                    {
                        "system": "http://jpfhir.jp/fhir/eDischargeSummary/CodeSystem/document-section",
                        "code": "333",
                    }
                ]
            },
            "text": div("利尿薬で体重は改善。"),
        }
    ]
    # A medication by reference, as 退院時サマリー systems often send it.
    data["entry"][7]["resource"] = {
        "resourceType": "MedicationStatement",
        "status": "active",
        "medicationReference": {"reference": "urn:uuid:00000000-0000-4000-8000-000000000009"},
        "subject": {"reference": "urn:uuid:00000000-0000-4000-8000-000000000002"},
    }
    data["entry"].append(
        {
            "fullUrl": "urn:uuid:00000000-0000-4000-8000-000000000009",
            "resource": {"resourceType": "Medication", "code": {"text": "スピロノラクトン錠25mg"}},
        }
    )
    return data


def patient_summary() -> dict[str, Any]:
    data = referral()
    data["entry"][0]["resource"]["type"] = {
        "coding": [{"system": "http://loinc.org", "code": "60591-5", "display": "Patient summary Document"}]
    }
    data["entry"][0]["resource"]["section"] = []
    data["entry"][0]["resource"]["title"] = "患者サマリー"
    return data


def as_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()
