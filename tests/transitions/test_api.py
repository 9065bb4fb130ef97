from __future__ import annotations

from datetime import date

from renkei.core.models import AccessLog
from renkei.core.tokens import issue_token
from renkei.transitions.models import Episode
from tests.transitions.conftest import admit, tokyo


def _bearer(user) -> dict:
    _, text = issue_token(user, "テスト")
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def test_an_episode_through_the_api(client, cm, patient, hospital):
    headers = _bearer(cm)
    response = client.post(
        f"/api/v1/patients/{patient.pk}/episodes",
        {
            "hospital_facility_id": hospital.pk,
            "admitted_at": "2026-12-03T01:00:00Z",
            "expected_discharge": "2026-12-10",
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    assert response["Cache-Control"].startswith("no-store")
    body = response.json()
    assert body["hospital_name"] == "テスト市民病院"
    assert body["admission_bonus_due"] == "2026-12-03"
    assert [(d["kind"], d["due"]) for d in body["due"]] == [
        ("admission_info", "2026-12-05"),
        ("discharge_contact", "2026-12-07"),
    ]
    episode = Episode.objects.get()
    listed = client.get(f"/api/v1/patients/{patient.pk}/episodes", **headers).json()
    assert [item["id"] for item in listed] == [episode.pk]
    got = client.get(f"/api/v1/transitions/episodes/{episode.pk}", **headers)
    assert got.json()["status"] == "admitted"
    assert AccessLog.objects.filter(user=cm, action="view", object_type="episode", via="api").count() == 2


def test_refusals_have_the_one_error_body(client, cm, cm_colleague, patient):
    episode = admit(cm, patient, tokyo(2026, 12, 3))
    denied = client.get(f"/api/v1/transitions/episodes/{episode.pk}", **_bearer(cm_colleague))
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "permission_denied"
    bad = client.put(
        f"/api/v1/transitions/episodes/{episode.pk}",
        {"admitted_at": "2026-12-03T01:00:00Z", "hospital_name": "", "discharged_on": "2026-12-01"},
        content_type="application/json",
        **_bearer(cm),
    )
    assert bad.status_code == 400
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"hospital_name", "discharged_on"}
    unknown = client.post(
        f"/api/v1/patients/{patient.pk}/episodes",
        {"hospital_facility_id": 999999, "admitted_at": "2026-12-03T01:00:00Z"},
        content_type="application/json",
        **_bearer(cm),
    )
    assert unknown.status_code == 400


def test_overdue_through_the_api(client, cm, patient):
    admit(cm, patient, tokyo(2026, 11, 3), expected_discharge=date(2026, 11, 10))
    items = client.get("/api/v1/transitions/overdue", **_bearer(cm)).json()
    assert [item["kind"] for item in items] == ["admission_info", "discharge_contact"]


def test_a_document_through_the_api(client, cm, cm_colleague, patient, liaison):
    episode = admit(cm, patient, tokyo(2026, 12, 3), liaison_user=liaison)
    headers = _bearer(cm)
    bad = client.post(
        f"/api/v1/transitions/episodes/{episode.pk}/documents",
        {"kind": "admission_info", "content": {"family": "", "copayment": "9"}},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"family", "copayment"}
    made = client.post(
        f"/api/v1/transitions/episodes/{episode.pk}/documents",
        {"kind": "admission_info", "content": {"family": "独居", "copayment": "1"}},
        content_type="application/json",
        **headers,
    )
    assert made.status_code == 201, made.content
    document_id = made.json()["id"]
    assert client.get(f"/api/v1/transitions/documents/{document_id}", **_bearer(liaison)).status_code == 403
    sent = client.post(f"/api/v1/transitions/documents/{document_id}/send", **headers).json()
    assert sent["sent_at"] is not None
    got = client.get(f"/api/v1/transitions/documents/{document_id}", **_bearer(liaison)).json()
    assert got["content"]["family"] == "独居"
    assert got["content"]["patient"]["kana"] == "かくう はなこ"
    assert (
        client.get(f"/api/v1/transitions/documents/{document_id}", **_bearer(cm_colleague)).status_code == 403
    )
