"""Those who see counts only (municipality staff, region administrators) never read a small count
that could point at a person: no period under a month, 1〜4件 read 「5件未満」 below the
municipality total, in the page, Excel, CSV and the API. Desk staff keep exact counts of their desk."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from openpyxl import load_workbook

from renkei.core.models import User
from tests.conftest import make_user
from tests.consultations.api_client import bearer
from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login


@pytest.fixture(autouse=True)
def _april_2025():
    with time_machine.travel(tokyo(2025, 4, 10, 9, 0), tick=False):
        yield


SMALL = "5件未満"


@pytest.fixture
def cases(gonohe_desk):
    """Eight cases at the 五戸町 desk in May 2024: six by phone, two by mail, one of them from a
    resident's family living alone — the kind of cell that names a person in a small town."""
    for day in range(1, 7):
        make_consultation(gonohe_desk, tokyo(2024, 5, day, 10, 0), channel="phone")
    make_consultation(gonohe_desk, tokyo(2024, 5, 7, 10, 0), channel="email", requester_type="self")
    make_consultation(gonohe_desk, tokyo(2024, 5, 8, 10, 0), channel="email")


def channel_counts(statistics) -> dict[str, object]:
    return {row.label: row.values[0] for row in statistics.table("channel").rows}


@pytest.mark.parametrize("days", [("2024-05-01", "2024-05-01"), ("2024-05-01", "2024-05-30")])
def test_municipality_staff_cannot_count_a_period_under_a_month(client, bob, cases, days):
    verified_login(client, bob)
    start, end = days
    response = client.get("/consultations/statistics/", {"start": start, "end": end})
    assert response.status_code == 400
    assert "1か月以上の期間を指定してください" in response.content.decode()

    api = client.get("/api/v1/consultations/statistics", {"start": start, "end": end}, **bearer(bob))
    assert api.status_code == 400
    assert api.json()["error"]["details"][0]["field"] == "start"


def test_one_calendar_month_is_long_enough(client, bob, cases):
    verified_login(client, bob)
    response = client.get("/consultations/statistics/", {"start": "2024-05-15", "end": "2024-06-14"})
    assert response.status_code == 200


def test_the_municipality_total_is_exact_and_small_cells_read_less_than_five(client, bob, cases):
    verified_login(client, bob)
    statistics = client.get("/consultations/statistics/", {"fiscal_year": 2024}).context["statistics"]

    assert statistics.total == 8  # 五戸町の全窓口: the municipality total
    # 2 by mail is small; 6 by phone would give it away (8 − 6), so it is hidden too.
    assert channel_counts(statistics)["メール"] == SMALL
    assert channel_counts(statistics)["電話"] == SMALL
    assert channel_counts(statistics)["来所"] == 0
    requester = {row.label: row.values[0] for row in statistics.table("requester_type").rows}
    assert requester["本人（一般住民）"] == SMALL
    may = next(row for row in statistics.table("month").rows if row.label.endswith("5月"))
    assert may.values == [8, 0, 8]  # a month of the municipality is as large as its total here
    assert not any(
        isinstance(value, int) and 0 < value < 5
        for table in statistics.tables
        for row in table.rows
        for value in row.values
    )


def test_one_desk_below_the_municipality_hides_its_small_total_too(client, alice, gonohe_desk):
    make_consultation(gonohe_desk, tokyo(2024, 5, 1, 10, 0))
    make_consultation(gonohe_desk, tokyo(2024, 5, 2, 10, 0))
    verified_login(client, alice)
    response = client.get("/consultations/statistics/", {"fiscal_year": 2024, "scope": f"d{gonohe_desk.pk}"})
    statistics = response.context["statistics"]
    assert statistics.total == SMALL
    assert statistics.table("month").totals == [SMALL, 0, SMALL]  # 一般住民, 支援機関, 合計
    page = response.content.decode()
    assert 'data-testid="total">5件未満<' in page
    assert "1〜4件を「5件未満」と表示しています" in page


def test_excel_csv_and_api_hide_the_same_cells(client, bob, cases):
    verified_login(client, bob)
    workbook = load_workbook(
        io.BytesIO(client.get("/consultations/statistics.xlsx", {"fiscal_year": 2024}).content)
    )
    channel_sheet = [
        row for row in workbook["相談経路別件数"].iter_rows(values_only=True) if row[0] in ("電話", "メール")
    ]
    assert channel_sheet == [("電話", SMALL), ("メール", SMALL)]

    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/consultations/statistics.csv", {"fiscal_year": 2024}).content.decode("utf-8-sig")
            )
        )
    )
    assert ["メール", SMALL] in rows and ["電話", SMALL] in rows
    assert ["相談件数（新規）", "8"] in rows

    body = client.get("/api/v1/consultations/statistics", {"fiscal_year": 2024}, **bearer(bob)).json()
    assert body["small_counts_hidden"] is True
    channel = next(table for table in body["tables"] if table["key"] == "channel")
    values = {row["label"]: row["values"][0] for row in channel["rows"]}
    assert (values["電話"], values["メール"], body["total"]) == (SMALL, SMALL, 8)


def test_desk_staff_keep_exact_counts_of_their_own_desk_for_any_period(client, gonohe_desk, cases):
    counsellor = make_user(
        "dana", gonohe_desk, User.Role.PROFESSIONAL, profession=User.Profession.SOCIAL_WORKER
    )
    verified_login(client, counsellor)
    response = client.get("/consultations/statistics/", {"start": "2024-05-07", "end": "2024-05-07"})
    assert response.status_code == 200
    statistics = response.context["statistics"]
    assert (statistics.total, channel_counts(statistics)["メール"]) == (1, 1)
    assert not statistics.small_counts_hidden
    assert "5件未満" not in response.content.decode()
