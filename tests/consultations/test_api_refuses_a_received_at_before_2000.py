"""The API takes a consultation's received date by the form's rule: from 2000, not in the future."""

from __future__ import annotations

import pytest
import time_machine

from renkei.consultations.models import Consultation
from tests.consultations.api_client import bearer
from tests.consultations.conftest import tokyo


@pytest.mark.parametrize(
    "received_at", ["0001-01-01T00:00:00", "1900-05-01T09:00:00+09:00", "1999-12-31T23:59:00+09:00"]
)
@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_api_refuses_a_consultation_received_before_2000(client, dan, categories, received_at):
    response = client.post(
        "/api/v1/consultations/",
        {
            "received_at": received_at,
            "channel": "phone",
            "requester_type": "family",
            "response": "information",
            "category_ids": [categories["認知症"].pk],
        },
        content_type="application/json",
        **bearer(dan),
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {
            "field": "received_at",
            "location": "received_at",
            "message": "受付日時は2000年以降の日時にしてください。",
        }
    ]
    assert Consultation.objects.count() == 0
