"""Nothing the consultations API answers is kept by a browser or proxy cache: the list, a new
record, the statistics and the refusals all say ``Cache-Control: no-store``."""

from __future__ import annotations

import time_machine

from tests.consultations.api_client import bearer
from tests.consultations.conftest import make_consultation, tokyo

NOW = tokyo(2026, 11, 20, 10, 0)


@time_machine.travel(NOW, tick=False)
def test_desk_staff_reading_consultations_by_api_leave_no_copy_in_any_cache(
    client, dan, categories, gonohe_desk
):
    make_consultation(
        gonohe_desk, tokyo(2026, 11, 19, 9, 0), categories=[categories["認知症"]], summary="要旨"
    )
    headers = bearer(dan)

    listed = client.get("/api/v1/consultations/", **headers)
    statistics = client.get("/api/v1/consultations/statistics", **headers)
    created = client.post(
        "/api/v1/consultations/",
        {
            "received_at": "2026-11-20T09:30:00+09:00",
            "channel": "phone",
            "requester_type": "family",
            "response": "information",
            "category_ids": [categories["認知症"].pk],
            "summary": "家族から相談",
        },
        content_type="application/json",
        **headers,
    )

    assert (listed.status_code, statistics.status_code, created.status_code) == (200, 200, 201)
    for response in (listed, statistics, created):
        assert response["Cache-Control"] == "no-store, private"


@time_machine.travel(NOW, tick=False)
def test_refusals_of_the_consultations_api_are_not_stored_either(client, dan, carol):
    refused = client.get("/api/v1/consultations/", **bearer(carol))
    invalid = client.post("/api/v1/consultations/", {}, content_type="application/json", **bearer(dan))
    anonymous = client.get("/api/v1/consultations/statistics")

    assert (refused.status_code, invalid.status_code, anonymous.status_code) == (403, 400, 401)
    for response in (refused, invalid, anonymous):
        assert response["Cache-Control"] == "no-store, private"
