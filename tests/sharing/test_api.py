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
    assert (listing["page"], listing["has_next"], listing["count"]) == (1, False, 1)
    assert listing["items"] == [
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
    assert client.get("/api/v1/patients/", **headers).json()["items"][0]["unread"] == 0
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


def test_owner_records_and_withdraws_consent_by_api(client, cm, carol, patient):
    from renkei.core import permissions

    add_member(patient, cm, carol)
    headers = _bearer(cm)
    response = client.post(
        f"/api/v1/patients/{patient.pk}/consent",
        {
            "given_by": "架空 花子",
            "given_on": "2026-11-01",
            "method": "oral",
            "scope_roles": ["visiting_nurse"],
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["scope_roles"] == ["visiting_nurse"]
    assert permissions.can_view_patient(carol, patient)
    refused = client.post(
        f"/api/v1/patients/{patient.pk}/consent/withdraw",
        {"note": "撤回"},
        content_type="application/json",
        **_bearer(carol),
    )
    assert refused.status_code == 403
    response = client.post(
        f"/api/v1/patients/{patient.pk}/consent/withdraw",
        {"note": "家族から電話で撤回"},
        content_type="application/json",
        **headers,
    )
    assert response.json() == {"ended_memberships": 1}
    assert not permissions.can_view_patient(carol, patient)


def test_member_leaves_by_api_and_the_last_owner_member_cannot(client, cm, carol, patient):
    give_consent(patient, cm)
    membership = add_member(patient, cm, carol)
    response = client.delete(f"/api/v1/patients/{patient.pk}/team/{membership.pk}", **_bearer(carol))
    assert response.status_code == 204
    own = patient.memberships.get(user=cm)
    response = client.delete(f"/api/v1/patients/{patient.pk}/team/{own.pk}", **_bearer(cm))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "last_owner_member"


def test_emergency_physician_breaks_the_glass_by_api(client, cm, er_doctor, alice, patient):
    lookup = {"full_name_kana": "カクウ ハナコ", "birth_date": "1938-04-02"}
    found = client.post(
        "/api/v1/patients/emergency-search", lookup, content_type="application/json", **_bearer(er_doctor)
    )
    assert found.status_code == 200
    assert [item["id"] for item in found.json()] == [patient.pk]
    short = client.post(
        f"/api/v1/patients/{patient.pk}/emergency-access",
        {**lookup, "category": "transport", "reason": "急ぎ"},
        content_type="application/json",
        **_bearer(er_doctor),
    )
    assert short.status_code == 400
    response = client.post(
        f"/api/v1/patients/{patient.pk}/emergency-access",
        {**lookup, "category": "transport", "reason": "救急搬送され意識がないため服薬を確認します"},
        content_type="application/json",
        **_bearer(er_doctor),
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/patients/{patient.pk}", **_bearer(er_doctor)).status_code == 200
    refused = client.post(
        f"/api/v1/patients/{patient.pk}/emergency-access",
        {**lookup, "category": "other", "reason": "監査のため記録を確認したいので開きます。よろしく"},
        content_type="application/json",
        **_bearer(alice),
    )
    assert refused.status_code == 403
