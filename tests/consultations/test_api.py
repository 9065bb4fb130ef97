"""/api/v1/consultations/: list and create for desk staff, statistics for everyone with counts."""

from __future__ import annotations

import time_machine

from renkei.consultations.models import Consultation
from renkei.core.models import AccessLog
from tests.consultations.api_client import bearer, post_consultation
from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_desk_script_records_a_consultation_with_a_token(client, dan, categories, gonohe_desk):
    response = client.post(
        "/api/v1/consultations/",
        {
            "received_at": "2024-06-03T09:00:00+09:00",
            "channel": "phone",
            "requester_type": "care_provider",
            "response": "information",
            "category_ids": [categories["認知症"].pk],
            "requester_institution": "ケアプランあおば",
            "subject_municipality_code": "024422",
            "summary": "受診先の相談",
            "status": "continuing",
            "next_action_on": "2024-06-10",
        },
        content_type="application/json",
        **bearer(dan),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["requester_group"] == "支援機関"
    assert body["categories"] == ["認知症"]
    assert body["requester_institution"] == {"facility_id": None, "name": "ケアプランあおば"}
    consultation = Consultation.objects.get()
    assert (consultation.desk, consultation.staff, consultation.received_month) == (gonohe_desk, dan, 202406)
    assert AccessLog.objects.get(subject_id=str(consultation.pk)).via == "api"


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_bad_api_input_gets_structured_japanese_errors_and_nothing_is_saved(client, dan, categories):
    response = post_consultation(
        client, dan, category_ids=[999999], subject_municipality_code="022012", status="continuing"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {detail["location"] for detail in error["details"]} == {
        "category_ids",
        "subject_municipality_code",
        "next_action_on",
    }
    response = client.post(
        "/api/v1/consultations/", {"channel": "fax"}, content_type="application/json", **bearer(dan)
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "入力内容に誤りがあります。"
    assert Consultation.objects.count() == 0


def test_api_list_returns_the_desks_records_and_logs_every_summary_read(
    client, dan, gonohe_desk, hachinohe_desk
):
    own = [
        make_consultation(gonohe_desk, tokyo(2024, 5, day, 9, 0), summary=f"要旨{day}") for day in (1, 2, 3)
    ]
    make_consultation(hachinohe_desk, tokyo(2024, 5, 4, 9, 0))
    response = client.get("/api/v1/consultations/", {"limit": 2}, **bearer(dan))
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], len(body["items"])) == (3, 2)
    assert [item["summary"] for item in body["items"]] == ["要旨3", "要旨2"]
    logged = set(AccessLog.objects.filter(action="view").values_list("subject_id", flat=True))
    assert logged == {str(own[2].pk), str(own[1].pk)}


def test_api_statistics_are_the_pages_numbers(client, alice, gonohe_desk, hachinohe_desk):
    make_consultation(gonohe_desk, tokyo(2024, 4, 1, 0, 0), requester_type="family")
    make_consultation(hachinohe_desk, tokyo(2025, 3, 31, 23, 59), requester_type="government")
    make_consultation(hachinohe_desk, tokyo(2025, 4, 1, 0, 0), requester_type="government")
    response = client.get("/api/v1/consultations/statistics", {"fiscal_year": 2024}, **bearer(alice))
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["fiscal_year_label"]) == (2, "令和6年度")
    month = next(table for table in body["tables"] if table["key"] == "month")
    assert month["totals"] == [1, 1, 2]
    verified_login(client, alice)
    page = client.get("/consultations/statistics/", {"fiscal_year": 2024}).context["statistics"]
    assert page.table("month").totals == month["totals"]
    assert (
        client.get("/api/v1/consultations/statistics", {"start": "2024-05-01"}, **bearer(alice)).status_code
        == 400
    )


def test_consultation_endpoints_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/consultations/" in paths
    assert {"get", "post"} <= set(paths["/api/v1/consultations/"])
    assert "/api/v1/consultations/statistics" in paths
