from __future__ import annotations

from renkei.core.models import AccessLog
from renkei.core.tokens import issue_token
from renkei.sharing.models import Patient, Post
from tests.sharing.conftest import add_member, give_consent, tiny_pdf, upload, write_post

NEW_PATIENT = {
    "full_name": "架空 三郎",
    "full_name_kana": "かくう さぶろう",
    "birth_date": "1945-07-07",
    "sex": "male",
    "municipality_code": "022039",
    "care_level": "support_2",
}


def _bearer(user) -> dict:
    _, text = issue_token(user, "テスト")
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def test_professional_registers_a_patient_through_the_api_and_duplicates_are_refused(client, cm):
    headers = _bearer(cm)
    response = client.post("/api/v1/patients/", NEW_PATIENT, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    assert response["Cache-Control"].startswith("no-store")
    assert Patient.objects.get().full_name == "架空 三郎"
    again = client.post("/api/v1/patients/", NEW_PATIENT, content_type="application/json", **headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "possible_duplicate"
    bad = client.post(
        "/api/v1/patients/",
        {**NEW_PATIENT, "full_name_kana": "べつじん", "insurance_number": "12"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "validation_error"


def test_member_reads_the_timeline_and_posts_with_a_file_by_token(client, cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    write_post(patient, cm, "連絡です。", urgent=True)
    headers = _bearer(carol)
    listing = client.get("/api/v1/patients/", **headers).json()
    assert listing == [
        {
            "id": patient.pk,
            "visible": True,
            "full_name": "架空 花子",
            "team_role": "visiting_nurse",
            "unread": 1,
            "unread_urgent": 1,
        }
    ]
    page = client.get(f"/api/v1/patients/{patient.pk}/posts", **headers).json()
    assert [item["body"] for item in page["items"]] == ["連絡です。"]
    assert client.get("/api/v1/patients/", **headers).json()[0]["unread"] == 0
    response = client.post(
        f"/api/v1/patients/{patient.pk}/posts",
        {"category": "vitals", "body": "血圧 128/76", "attachments": [upload("bp.pdf", tiny_pdf())]},
        **headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["attachments"][0]["content_type"] == "application/pdf"
    assert AccessLog.objects.filter(user=carol, via="api", action="view").count() == 1


def test_api_refuses_a_renamed_executable_with_a_japanese_message(client, cm, patient):
    response = client.post(
        f"/api/v1/patients/{patient.pk}/posts",
        {
            "category": "contact",
            "body": "添付",
            "attachments": [upload("a.pdf", b"MZ\x90\x00" + b"\x00" * 64)],
        },
        **_bearer(cm),
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "upload_rejected"
    assert "PDF・JPEG・PNG" in response.json()["error"]["message"]
    assert Post.objects.count() == 0


def test_owner_invites_by_api_and_member_cannot(client, cm, carol, bob, patient):
    give_consent(patient, cm)
    response = client.post(
        f"/api/v1/patients/{patient.pk}/team",
        {"user_id": carol.pk, "team_role": "visiting_nurse"},
        content_type="application/json",
        **_bearer(cm),
    )
    assert response.status_code == 201
    refused = client.post(
        f"/api/v1/patients/{patient.pk}/team",
        {"user_id": bob.pk, "team_role": "municipality"},
        content_type="application/json",
        **_bearer(carol),
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"


def test_patient_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/patients/" in paths
    assert "/api/v1/patients/{patient_id}/posts" in paths
