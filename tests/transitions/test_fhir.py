"""FHIR exchange: exported Bundles are valid documents (checked with fhir.resources), an export
imported again gives back every field, JP-CLINS documents of outside systems are read, and every
bad input is refused with a Japanese reason and nothing written."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B.bundle import Bundle

from renkei.core.models import AccessLog
from renkei.core.tokens import issue_token
from renkei.sharing.models import Patient
from renkei.transitions import documents, services
from renkei.transitions.fhir_import import MAX_BYTES, FhirRefused
from renkei.transitions.models import TransitionDocument
from tests.sharing.conftest import give_consent, register
from tests.transitions import fhir_samples
from tests.transitions.conftest import admit, tokyo
from tests.transitions.test_documents import ADMISSION

DISCHARGE = {
    "cause": "心不全の増悪",
    "expected_discharge": "2026-12-10",
    "medical_management": "体重測定 毎朝\n2kg増で受診",
    "medications": "フロセミド 朝1錠、スピロノラクトン 朝1錠",
    "procedures": "なし",
    "adl_eating": "independent",
    "adl_toileting": "supervision",
    "adl_bathing": "partial",
    "adl_mobility": "partial",
    "adl_dressing": "supervision",
    "nursing_view": "塩分制限の理解が不十分 <要指導> & 家族にも",
    "rehab_view": "杖歩行 50m",
    "contraindications": "NSAIDs",
    "wishes": "本人: 自宅へ帰りたい",
    "conference_held": "yes",
    "conference_at": "2026-12-08T14:00",
    "heard_from": "病棟看護師 連携 花子",
    "heard_at": "2026-12-06T14:30",
}


@pytest.fixture
def episode(cm, patient, hospital, liaison):
    patient.conditions = "心不全、2型糖尿病"
    patient.allergies = "ペニシリン"
    patient.medications = "薬A 朝1錠\n薬B 夕1錠"
    patient.insurance_number = "0123456789"
    patient.save()
    give_consent(patient, cm)
    hospital.medical_institution_id = "0212345678"
    hospital.save()
    return admit(cm, patient, tokyo(2026, 12, 3), hospital_facility=hospital, liaison_user=liaison)


@pytest.fixture
def admission_sheet(cm, episode):
    _, initial = services.new_document(cm, episode.pk, "admission_info")
    return services.create_document(cm, episode.pk, "admission_info", {**initial, **ADMISSION})


def _bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def test_the_export_is_a_valid_document_bundle_composition_first(cm, admission_sheet):
    data = services.export_document(cm, admission_sheet.pk)
    bundle = Bundle.model_validate(data)
    assert bundle.type == "document"
    types = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert types[:6] == [
        "Composition",
        "Patient",
        "Practitioner",
        "Organization",
        "Organization",
        "Encounter",
    ]
    assert types.count("Condition") == 2 and types.count("AllergyIntolerance") == 1
    assert types.count("MedicationStatement") == 2
    composition = data["entry"][0]["resource"]
    assert composition["type"]["coding"][0] == {
        "system": "urn:renkei:fhir:CodeSystem:document-type",
        "code": "admission-info",
        "display": "入院時情報提供書",
    }
    assert composition["section"][0]["code"]["coding"][0]["code"] == "910"
    hospital = data["entry"][4]["resource"]
    assert hospital["identifier"][0] == {
        "system": "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no",
        "value": "0212345678",
    }
    patient = data["entry"][1]["resource"]
    assert [n["text"] for n in patient["name"]] == ["架空 花子", "かくう はなこ"]
    assert patient["name"][1]["extension"][0]["valueCode"] == "SYL"
    assert patient["birthDate"] == "1938-04-02"
    assert AccessLog.objects.filter(user=cm, action="export", object_type="fhir_document").exists()


@pytest.mark.parametrize("kind", ["admission_info", "discharge_record"])
def test_export_then_import_gives_back_every_field(cm, episode, kind):
    content = ADMISSION if kind == "admission_info" else DISCHARGE
    _, initial = services.new_document(cm, episode.pk, kind)
    original = services.create_document(cm, episode.pk, kind, {**initial, **content})
    imported = services.import_document(
        cm, _bytes(services.export_document(cm, original.pk)), patient_pk=episode.patient_id
    )
    assert imported.kind == kind and imported.source == "fhir"
    for spec in documents.FIELDS[kind]:
        assert imported.content[spec.name] == original.content[spec.name], spec.name
    snapshot = original.content["patient"]
    assert imported.content["patient"] == {
        "name": snapshot["name"],
        "kana": snapshot["kana"],
        "birth_date": snapshot["birth_date"],
        "sex": snapshot["sex"],
        "address": snapshot["address"],
    }
    if kind == "admission_info":
        assert imported.content["conditions_list"] == ["心不全", "2型糖尿病"]
        assert imported.content["allergies_list"] == ["ペニシリン"]
        assert imported.content["medications_list"] == ["薬A 朝1錠", "薬B 夕1錠"]
        assert imported.content["from"] == {"name": "テスト居宅介護支援事業所", "code": ""}
        assert imported.content["to"] == {"name": "テスト市民病院", "code": "0212345678"}
    else:
        assert imported.content["conditions_list"] == ["心不全の増悪"]
        assert imported.content["from"] == {"name": "テスト市民病院", "code": "0212345678"}


def test_a_jp_clins_referral_is_read(cm, patient):
    document = services.import_document(
        cm, fhir_samples.as_bytes(fhir_samples.referral()), patient_pk=patient.pk
    )
    assert services.import_summary(document) == {
        "document_id": document.pk,
        "kind": "referral",
        "patient": {
            "id": patient.pk,
            "name": "架空 花子",
            "kana": "カクウ ハナコ",
            "birth_date": "1938-04-02",
            "sex": "female",
        },
        "from": {"name": "テスト市民病院", "code": "0212345678"},
        "to": {"name": "テスト在宅クリニック", "code": "0218765432"},
        "conditions": ["慢性心不全"],
        "allergies": ["ペニシリン"],
        "medications": ["フロセミド錠２０ｍｇ"],
    }
    assert document.content["narrative"] == [
        ["紹介目的", "退院後の在宅療養をお願いします。\n訪問診療を希望されています。"],
        ["傷病名・主訴", "慢性心不全"],
    ]
    assert document.content["author_name"] == "病院 医師"


def test_a_discharge_summary_and_a_patient_summary_are_read(cm, patient):
    summary = services.import_document(
        cm, fhir_samples.as_bytes(fhir_samples.discharge_summary()), patient_pk=patient.pk
    )
    assert summary.kind == "discharge_summary"
    assert summary.content["medications_list"] == ["スピロノラクトン錠25mg"]
    assert summary.content["narrative"] == [["入院中経過", "利尿薬で体重は改善。"]]
    pcs = services.import_document(
        cm, fhir_samples.as_bytes(fhir_samples.patient_summary()), patient_pk=patient.pk
    )
    assert pcs.kind == "patient_summary"


def _not_a_document():
    data = fhir_samples.referral()
    data["type"] = "collection"
    return data


def _unknown_resource():
    data = fhir_samples.referral()
    data["entry"].append({"fullUrl": "urn:uuid:x", "resource": {"resourceType": "Spaceship"}})
    return data


def _no_composition():
    data = fhir_samples.referral()
    data["entry"] = data["entry"][1:]
    return data


def _bad_birth_date():
    data = fhir_samples.referral()
    data["entry"][1]["resource"]["birthDate"] = "昭和13年"
    return data


@pytest.mark.parametrize(
    ("raw", "code", "reason"),
    [
        (b"{not json", "fhir_malformed", "JSONとして読めません"),
        (b"\xff\xfe", "fhir_malformed", "JSONとして読めません"),
        (_bytes([1, 2]), "fhir_not_document", "FHIRのBundleではありません"),
        (_bytes(fhir_samples.patient()), "fhir_not_document", "FHIRのBundleではありません"),
        (_bytes(_not_a_document()), "fhir_not_document", "document ではありません"),
        (_bytes(_unknown_resource()), "fhir_unknown_resource", "知らないリソースの種類です: Spaceship"),
        (_bytes(_no_composition()), "fhir_no_composition", "Compositionではありません"),
        (_bytes(_bad_birth_date()), "fhir_malformed", "FHIRの形式に合いません"),
        (_bytes(fhir_samples.referral(kana="ベツジン タロウ")), "fhir_patient_mismatch", "一致しません"),
        (_bytes(fhir_samples.referral(birth="1938-04-03")), "fhir_patient_mismatch", "一致しません"),
        (b" " * (MAX_BYTES + 1), "fhir_too_large", "大きすぎます"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_is_written(cm, patient, raw, code, reason):
    patients = Patient.objects.count()
    with pytest.raises(FhirRefused) as refused:
        services.import_document(cm, raw, patient_pk=patient.pk)
    assert refused.value.code == code
    assert reason in refused.value.message
    assert not TransitionDocument.objects.exists()
    assert Patient.objects.count() == patients


def _bearer(user) -> dict:
    _, text = issue_token(user, "テスト")
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def test_both_ways_through_the_api(client, cm, cm_colleague, admission_sheet, patient):
    exported = client.get(f"/api/v1/transitions/documents/{admission_sheet.pk}/fhir", **_bearer(cm))
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/fhir+json")
    assert (
        client.get(
            f"/api/v1/transitions/documents/{admission_sheet.pk}/fhir", **_bearer(cm_colleague)
        ).status_code
        == 403
    )
    imported = client.post(
        f"/api/v1/patients/{patient.pk}/documents/fhir",
        fhir_samples.as_bytes(fhir_samples.referral()),
        content_type="application/fhir+json",
        **_bearer(cm),
    )
    assert imported.status_code == 201, imported.content
    assert imported.json()["from"] == {"name": "テスト市民病院", "code": "0212345678"}
    mismatch = client.post(
        f"/api/v1/patients/{patient.pk}/documents/fhir",
        fhir_samples.as_bytes(fhir_samples.referral(kana="ベツジン タロウ")),
        content_type="application/fhir+json",
        **_bearer(cm),
    )
    assert mismatch.status_code == 400
    assert mismatch.json()["error"]["code"] == "fhir_patient_mismatch"
    huge = client.post(
        f"/api/v1/patients/{patient.pk}/documents/fhir",
        b"[" * (MAX_BYTES + 10),
        content_type="application/fhir+json",
        **_bearer(cm),
    )
    assert huge.status_code == 413
    assert huge.json()["error"]["code"] == "fhir_too_large"
    assert TransitionDocument.objects.filter(source="fhir").count() == 1


def test_the_commands_both_ways(tmp_path, cm, admission_sheet, patient):
    out = tmp_path / "out.json"
    call_command(
        "transitions", "export-fhir", str(admission_sheet.pk), "--user", "cm", str(out), stdout=StringIO()
    )
    Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    printed = StringIO()
    call_command(
        "transitions", "import-fhir", str(out), "--user", "cm", "--patient", str(patient.pk), stdout=printed
    )
    line = printed.getvalue()
    assert line.count("\n") == 1
    summary = json.loads(line)
    assert list(summary) == [
        "document_id",
        "kind",
        "patient",
        "from",
        "to",
        "conditions",
        "allergies",
        "medications",
    ]
    assert summary["patient"] == {
        "id": patient.pk,
        "name": "架空 花子",
        "kana": "かくう はなこ",
        "birth_date": "1938-04-02",
        "sex": "female",
    }
    assert AccessLog.objects.filter(user=cm, via="cli", object_type="fhir_document", action="create").exists()


def test_the_import_command_matches_the_patient_or_registers_one(tmp_path, cm, patient):
    sample = tmp_path / "referral.json"
    sample.write_bytes(fhir_samples.as_bytes(fhir_samples.referral()))
    printed = StringIO()
    call_command("transitions", "import-fhir", str(sample), "--user", "cm", stdout=printed)
    assert json.loads(printed.getvalue())["patient"]["id"] == patient.pk  # matched by ふりがな + 生年月日
    other = tmp_path / "other.json"
    other.write_bytes(fhir_samples.as_bytes(fhir_samples.referral(kana="シンキ タロウ", birth="1950-05-05")))
    printed = StringIO()
    call_command("transitions", "import-fhir", str(other), "--user", "cm", stdout=printed)
    new = Patient.objects.get(pk=json.loads(printed.getvalue())["patient"]["id"])
    assert (new.full_name_kana, new.birth_date, new.organization) == (
        "シンキ タロウ",
        date(1950, 5, 5),
        cm.organization,
    )


def test_the_import_command_refuses_a_person_recorded_elsewhere_in_the_region(tmp_path, cm, carol):
    register(carol, full_name_kana="かくう はなこ")  # another organisation's record, not visible to cm
    sample = tmp_path / "referral.json"
    sample.write_bytes(fhir_samples.as_bytes(fhir_samples.referral()))
    with pytest.raises(CommandError, match="すでに登録されています"):
        call_command("transitions", "import-fhir", str(sample), "--user", "cm", stdout=StringIO())
    assert not TransitionDocument.objects.exists()
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_BYTES + 1))
    with pytest.raises(CommandError, match="大きすぎます"):
        call_command("transitions", "import-fhir", str(big), "--user", "cm", stdout=StringIO())


def test_the_page_imports_and_exports(client, cm, admission_sheet, patient):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.core.totp import verified_login

    verified_login(client, cm)
    download = client.get(f"/transitions/documents/{admission_sheet.pk}/fhir.json")
    assert download["Content-Type"] == "application/fhir+json"
    upload = SimpleUploadedFile(
        "r.json", fhir_samples.as_bytes(fhir_samples.referral(kana="ベツジン タロウ"))
    )
    refused = client.post(f"/transitions/patients/{patient.pk}/import-fhir/", {"file": upload})
    assert refused.status_code == 400
    assert "一致しません" in refused.content.decode()
    upload = SimpleUploadedFile("r.json", fhir_samples.as_bytes(fhir_samples.referral()))
    response = client.post(f"/transitions/patients/{patient.pk}/import-fhir/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "慢性心不全" in page and "テスト在宅クリニック" in page
