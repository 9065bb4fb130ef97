"""Numbers larger than any id, or an offset past 2**63, get a Japanese 400 instead of a crash."""

from __future__ import annotations

import time_machine

from renkei.consultations.models import Consultation
from tests.consultations.api_client import bearer, post_consultation
from tests.consultations.conftest import tokyo
from tests.consultations.test_recording import form_data
from tests.core.totp import verified_login


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_api_refuses_a_category_id_larger_than_the_database_holds(client, dan, categories):
    response = post_consultation(client, dan, category_ids=[10**20])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "category_ids"
    assert error["details"][0]["message"] == "9223372036854775807以下で指定してください。"
    assert Consultation.objects.count() == 0


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_api_list_refuses_an_offset_past_ten_million(client, dan, gonohe_desk):
    response = client.get(f"/api/v1/consultations/?offset={2**63}", **bearer(dan))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["details"][0]["field"] == "offset"
    assert error["details"][0]["message"] == "10000000以下で指定してください。"


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_form_refuses_a_category_number_larger_than_any_id(client, dan, categories):
    verified_login(client, dan)
    response = client.post("/consultations/new/", form_data(categories, categories=["99999999999999999999"]))
    assert response.status_code == 400
    assert "categories" in response.context["form"].errors
    assert Consultation.objects.count() == 0


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_form_refuses_a_facility_or_staff_number_larger_than_any_id(client, dan, categories):
    verified_login(client, dan)
    response = client.post(
        "/consultations/new/",
        form_data(categories, requester_facility="99999999999999999999", staff="99999999999999999999"),
    )
    assert response.status_code == 400
    assert {"requester_facility", "staff"} <= set(response.context["form"].errors)


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_list_filter_refuses_a_category_number_larger_than_any_id(client, dan, gonohe_desk):
    verified_login(client, dan)
    response = client.get("/consultations/", {"category": "99999999999999999999"})
    assert response.status_code == 400
