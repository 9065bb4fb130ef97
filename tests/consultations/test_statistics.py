"""Statistics of a generated year of records, checked against counts made here, record by record."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from renkei.consultations import services
from renkei.directory.models import Facility
from tests.consultations.conftest import make_consultation, tokyo

RESIDENT_TYPES = {"self", "family", "resident", "other"}
TYPE_ORDER = [
    "self",
    "family",
    "resident",
    "welfare_commissioner",
    "medical_institution",
    "care_provider",
    "government",
    "other",
]
CHANNEL_ORDER = ["phone", "visit_to_desk", "home_visit", "email", "other"]
RESPONSE_ORDER = ["information", "referral", "home_visit", "accompaniment", "conference", "other"]


@pytest.fixture
def generated(gonohe_desk, hachinohe_desk, hachinohe, categories):
    """300 records from 2024-03-20 to 2025-04-10 (JST), spread over two desks; returns their specs."""
    hospital = Facility.objects.create(
        name="八戸みなと病院",
        category="hospital",
        municipality=hachinohe,
        search_text="はちのへみなとびょういん",
    )
    rng = random.Random(20240401)
    category_list = list(categories.values())
    specs = []
    start = tokyo(2024, 3, 20, 0, 0)
    for index in range(300):
        received_at = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 387))
        if index == 0:
            received_at = tokyo(2024, 3, 31, 23, 59)  # last minute of 令和5年度
        if index == 1:
            received_at = tokyo(2024, 4, 1, 0, 0)  # first minute of 令和6年度
        if index == 2:
            received_at = tokyo(2025, 3, 31, 23, 59)
        if index == 3:
            received_at = tokyo(2025, 4, 1, 0, 0)
        institution = rng.choice(
            [
                ("facility", "八戸みなと病院"),
                ("text", "五戸こもれび診療所"),
                ("text", "五戸こもれび 診療所"),
                ("text", "ゴノヘ薬局"),
                None,
            ]
        )
        spec = {
            "desk": rng.choice(["gonohe", "hachinohe"]),
            "received_at": received_at,
            "requester_type": rng.choice(TYPE_ORDER),
            "channel": rng.choice(CHANNEL_ORDER),
            "response": rng.choice(RESPONSE_ORDER),
            "status": rng.choice(["closed", "closed", "continuing"]),
            "categories": rng.sample(category_list, k=rng.randint(0, 3)),
            "institution": institution,
        }
        specs.append(spec)
        make_consultation(
            gonohe_desk if spec["desk"] == "gonohe" else hachinohe_desk,
            received_at,
            categories=spec["categories"],
            requester_type=spec["requester_type"],
            channel=spec["channel"],
            response=spec["response"],
            status=spec["status"],
            next_action_on=date(2025, 5, 1) if spec["status"] == "continuing" else None,
            requester_facility=hospital if institution and institution[0] == "facility" else None,
            requester_institution=institution[1] if institution and institution[0] == "text" else "",
        )
    return specs


def in_fiscal_2024(spec) -> bool:
    return tokyo(2024, 4, 1, 0, 0) <= spec["received_at"] < tokyo(2025, 4, 1, 0, 0)


def rows_of(table) -> dict[str, list[int]]:
    return {row.label: row.values for row in table.rows}


def test_fiscal_year_statistics_match_counts_made_record_by_record(generated, gonohe_desk, hachinohe_desk):
    chosen = [spec for spec in generated if in_fiscal_2024(spec)]
    result = services.compute_statistics(
        [gonohe_desk, hachinohe_desk], services.Period.for_fiscal_year(2024), "すべての窓口"
    )

    assert result.total == len(chosen)
    assert result.period.label == "令和6年度（2024年4月1日〜2025年3月31日）"

    months = result.table("month")
    assert [row.label for row in months.rows] == [f"令和6年{m}月" for m in range(4, 13)] + [
        f"令和7年{m}月" for m in range(1, 4)
    ]
    for row, (year, month) in zip(
        months.rows, [(2024, m) for m in range(4, 13)] + [(2025, m) for m in range(1, 4)], strict=True
    ):
        of_month = [s for s in chosen if (s["received_at"].year, s["received_at"].month) == (year, month)]
        residents = sum(1 for s in of_month if s["requester_type"] in RESIDENT_TYPES)
        assert row.values == [residents, len(of_month) - residents, len(of_month)], row.label
    assert months.totals[2] == len(chosen)

    by_type = Counter(s["requester_type"] for s in chosen)
    assert [row.values[0] for row in result.table("requester_type").rows] == [by_type[t] for t in TYPE_ORDER]
    assert result.table("requester_type").rows[3].label == "民生委員（支援機関）"
    by_channel = Counter(s["channel"] for s in chosen)
    assert [row.values[0] for row in result.table("channel").rows] == [by_channel[c] for c in CHANNEL_ORDER]
    by_response = Counter(s["response"] for s in chosen)
    assert [row.values[0] for row in result.table("response").rows] == [
        by_response[r] for r in RESPONSE_ORDER
    ]
    by_status = Counter(s["status"] for s in chosen)
    assert rows_of(result.table("status")) == {
        "継続": [by_status["continuing"]],
        "終結": [by_status["closed"]],
    }

    by_category = Counter(category.name for s in chosen for category in s["categories"])
    category_rows = rows_of(result.table("category"))
    assert len(category_rows) == 11
    for name, values in category_rows.items():
        assert values == [by_category[name]], name

    # Linked facility counted by the directory entry; free text grouped after normalisation.
    institutions = rows_of(result.table("requester_institution"))
    count = Counter(s["institution"][1].replace(" ", "") for s in chosen if s["institution"])
    assert institutions["八戸みなと病院"] == [count["八戸みなと病院"]]
    assert institutions["ゴノヘ薬局"] == [count["ゴノヘ薬局"]]
    merged = [values for label, values in institutions.items() if label.startswith("五戸こもれび")]
    assert merged == [[count["五戸こもれび診療所"]]]

    by_desk = Counter(s["desk"] for s in chosen)
    assert rows_of(result.table("desk")) == {
        "五戸町地域包括支援センター": [by_desk["gonohe"]],
        "八戸市医師会 在宅療養相談窓口": [by_desk["hachinohe"]],
    }


def test_one_desk_and_any_period_count_only_that_desk_and_those_days(generated, gonohe_desk):
    period = services.Period(date(2024, 6, 15), date(2024, 8, 31))
    chosen = [
        s
        for s in generated
        if s["desk"] == "gonohe" and tokyo(2024, 6, 15, 0, 0) <= s["received_at"] < tokyo(2024, 9, 1, 0, 0)
    ]
    result = services.compute_statistics([gonohe_desk], period, gonohe_desk.name)
    assert result.total == len(chosen)
    assert [row.label for row in result.table("month").rows] == ["令和6年6月", "令和6年7月", "令和6年8月"]
    assert [tables.key for tables in result.tables if tables.key == "desk"] == []


def test_an_empty_year_shows_twelve_zero_months():
    result = services.compute_statistics([], services.Period.for_fiscal_year(2019), "なし")
    assert result.total == 0
    assert result.period.label.startswith("令和元年度")
    assert [row.values for row in result.table("month").rows] == [[0, 0, 0]] * 12


def test_fiscal_years_start_in_april():
    assert services.fiscal_year_of(date(2025, 3, 31)) == 2024
    assert services.fiscal_year_of(date(2025, 4, 1)) == 2025
    assert services.fiscal_year_label(2021) == "令和3年度"
