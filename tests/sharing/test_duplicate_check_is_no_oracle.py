"""The duplicate check before a registration is not an oracle: it runs only once the rest of the
record is valid (so it cannot be asked without registering someone), and one person may run it a
bounded number of times a day (page and API alike)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from renkei.core.models import AccessLog
from renkei.core.tokens import issue_token
from renkei.sharing.models import Patient
from tests.core.totp import verified_login

PROBE = {
    "full_name": "だれか",
    "full_name_kana": "かくう はなこ",  # the fixture patient's kana and birth date
    "birth_date": "1938-04-02",
    "sex": "female",
    "municipality_code": "022039",
    "care_level": "care_2",
}


def _bearer(user) -> dict:
    _, text = issue_token(user, "テスト")
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def test_an_invalid_record_learns_nothing_of_the_regions_patients(client, carol, patient):
    response = client.post(
        "/api/v1/patients/",
        {**PROBE, "insurance_number": "12"},  # deliberately invalid: nothing would be registered
        content_type="application/json",
        **_bearer(carol),
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert not AccessLog.objects.filter(user=carol, object_type="duplicate_check").exists()
    assert Patient.objects.count() == 1


def test_the_page_asks_only_for_a_record_that_is_otherwise_valid(client, carol, patient, hachinohe):
    verified_login(client, carol)
    form = {
        **{key: value for key, value in PROBE.items() if key != "municipality_code"},
        "municipality": hachinohe.pk,
        "insurance_number": "12",
        "team_role": "visiting_nurse",
    }
    response = client.post("/patients/new/", form)
    assert response.status_code == 400
    assert "同じふりがな" not in response.content.decode()
    assert not AccessLog.objects.filter(user=carol, object_type="duplicate_check").exists()


def test_one_person_runs_the_check_a_bounded_number_of_times_a_day(client, carol, patient, settings):
    settings.SHARING_DUPLICATE_CHECKS_PER_DAY = 3
    headers = _bearer(carol)
    statuses = [
        client.post(
            "/api/v1/patients/",
            {**PROBE, "full_name_kana": f"べつじん{number}"},
            content_type="application/json",
            **headers,
        ).status_code
        for number in range(3)
    ]
    assert statuses == [201, 201, 201]
    refused = client.post("/api/v1/patients/", PROBE, content_type="application/json", **headers)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "duplicate_check_limit"
    assert "上限" in refused.json()["error"]["message"]
    assert not AccessLog.objects.filter(user=carol, object_type="duplicate_check").exists()
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        again = client.post("/api/v1/patients/", PROBE, content_type="application/json", **headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "possible_duplicate"
