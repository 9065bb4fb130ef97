"""A municipality code in the API is six digits; anything else (a NUL included) is a Japanese 400."""

from __future__ import annotations

import time_machine

from renkei.consultations.models import Consultation
from tests.consultations.api_client import bearer, post_consultation
from tests.consultations.conftest import tokyo


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_region_admin_asking_statistics_for_a_code_with_a_nul_gets_an_invalid_parameter(client, alice):
    response = client.get("/api/v1/consultations/statistics?municipality_code=02203%00", **bearer(alice))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["details"][0]["field"] == "municipality_code"
    assert error["details"][0]["message"] == "形式が正しくありません。"


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_desk_recording_a_subject_code_with_a_nul_gets_a_validation_error(client, dan, categories):
    response = post_consultation(
        client, dan, category_ids=[categories["認知症"].pk], subject_municipality_code="02442\x00"
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "subject_municipality_code"
    assert Consultation.objects.count() == 0
