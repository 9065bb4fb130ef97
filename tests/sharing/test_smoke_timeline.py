from __future__ import annotations

from tests.sharing.conftest import add_member, give_consent, write_post


def test_member_sees_patient_page_with_post(client, cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    write_post(patient, cm, "初回訪問の連絡です。", urgent=True)
    client.force_login(carol)
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    assert "初回訪問の連絡です。" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    response = client.get("/patients/")
    assert response.status_code == 200
