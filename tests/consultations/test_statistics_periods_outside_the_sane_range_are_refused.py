"""A period reaching 9999 or year 1 gets a Japanese 400 everywhere, never a 500."""

from __future__ import annotations

import pytest
import time_machine

from tests.consultations.api_client import bearer
from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login

PAGES = ["/consultations/statistics/", "/consultations/statistics.xlsx", "/consultations/statistics.csv"]


@pytest.mark.parametrize("start,end", [("2024-04-01", "9999-12-31"), ("0001-01-01", "2024-06-30")])
@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_statistics_api_refuses_a_period_outside_2000_to_five_years_ahead(
    client, dan, gonohe_desk, start, end
):
    make_consultation(gonohe_desk, tokyo(2024, 5, 1, 9, 0))
    response = client.get(f"/api/v1/consultations/statistics?start={start}&end={end}", **bearer(dan))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["details"][0]["message"] == "日付は2000年1月1日から2029年12月31日までで指定してください。"


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_statistics_api_refuses_a_fiscal_year_far_in_the_future(client, dan, gonohe_desk):
    response = client.get("/api/v1/consultations/statistics?fiscal_year=2100", **bearer(dan))
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "fiscal_year"


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_statistics_api_reversed_period_is_an_invalid_parameter(client, dan, gonohe_desk):
    response = client.get("/api/v1/consultations/statistics?start=2024-06-01&end=2024-04-01", **bearer(dan))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["details"][0]["message"] == "期間の開始日が終了日より後になっています。"


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("start,end", [("2024-04-01", "9999-12-31"), ("0001-01-01", "2024-06-30")])
@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_statistics_page_and_reports_refuse_a_period_outside_the_range(
    client, dan, gonohe_desk, path, start, end
):
    verified_login(client, dan)
    response = client.get(path, {"fiscal_year": "", "start": start, "end": end})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "日付は2000年1月1日から2029年12月31日までで指定してください。" in response.content.decode()


@pytest.mark.parametrize("name,value", [("end", "9999-12-31"), ("start", "0001-01-01")])
@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_record_list_api_refuses_a_day_outside_the_range(client, dan, gonohe_desk, name, value):
    make_consultation(gonohe_desk, tokyo(2024, 5, 1, 9, 0))
    response = client.get(f"/api/v1/consultations/?{name}={value}", **bearer(dan))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["details"] == [
        {
            "field": name,
            "location": f"query.{name}",
            "message": "日付は2000年1月1日から2029年12月31日までで指定してください。",
        }
    ]


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_record_list_page_refuses_a_day_outside_the_range(client, dan, gonohe_desk):
    verified_login(client, dan)
    response = client.get("/consultations/", {"end": "9999-12-31"})
    assert response.status_code == 400
    assert "日付は2000年1月1日から2029年12月31日までで指定してください。" in response.content.decode()


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_record_export_with_a_day_outside_the_range_answers_the_list_page_with_400(client, dan, gonohe_desk):
    verified_login(client, dan)
    response = client.get("/consultations/records.csv", {"end": "9999-12-31"})
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "日付は2000年1月1日から2029年12月31日までで指定してください。" in response.content.decode()


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_the_api_list_refuses_a_start_after_its_end(client, dan, categories):
    response = client.get(
        "/api/v1/consultations/", {"start": "2024-06-30", "end": "2024-06-01"}, **bearer(dan)
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["details"][0]["message"] == "期間の開始日が終了日より後になっています。"
