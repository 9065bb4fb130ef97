"""``renkei reports indicators``: figures per municipality, checked against counts made by hand."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from renkei.core.models import Organization
from renkei.reports import indicators
from renkei.reports.seed_data import shipped_text
from renkei.reports.services.importing import import_seed
from tests.consultations.conftest import make_consultation, tokyo
from tests.directory.search_fixtures import make_facility

NOW = datetime(2024, 12, 10, 3, 0, tzinfo=UTC)
FIELDS = [
    "consultations_general", "consultations_agencies", "consultations_total",
    "directory_entries", "directory_fresh", "directory_fresh_share",
    "meetings_held", "trainings_held", "attendance", "medical_attendance",
    "issues_raised", "issues_closed", "countermeasures_done",
    "admissions", "admission_info_in_time", "discharges", "discharge_contact_in_time",
]  # fmt: skip
NO_MEETINGS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]  # nor 入退院
UNKNOWN_MEETINGS = [None] * 7


def _desk(code: str, name: str) -> Organization:
    from renkei.core.models import Municipality

    return Organization.objects.create(
        name=name,
        kind=Organization.Kind.COMMUNITY_SUPPORT_CENTER,
        municipality=Municipality.objects.get(code=code),
    )


@pytest.fixture
def data(region):
    """五戸町: 年度2024 3 一般住民 (本人・家族・地域住民) and 2 支援機関 (介護事業所・医療機関); one case in
    March 2024 (年度2023, 家族) and one in April 2025 (年度2025). 八戸市: 1 一般住民, 6 民生委員 (支援機関).
    Directory, 五戸町: one entry confirmed 10 days ago, one 400 days ago, one never, one closed (not
    counted): 3 listed, 1 fresh, 33 %."""
    gonohe, hachinohe = (
        _desk("024422", "五戸町地域包括支援センター"),
        _desk("022039", "八戸市医師会 相談窓口"),
    )
    for requester, day in [
        ("self", 4),
        ("family", 5),
        ("resident", 6),
        ("care_provider", 7),
        ("medical_institution", 8),
    ]:
        make_consultation(gonohe, tokyo(2024, 5, day, 10, 0), requester_type=requester)
    make_consultation(gonohe, tokyo(2024, 3, 29, 10, 0))
    make_consultation(gonohe, tokyo(2025, 4, 2, 10, 0))
    make_consultation(hachinohe, tokyo(2024, 6, 3, 10, 0), requester_type="self")
    for day in range(1, 7):
        make_consultation(hachinohe, tokyo(2024, 10, day, 10, 0), requester_type="welfare_commissioner")
    for name, verified, extra in [
        ("五戸A", NOW - timedelta(days=10), {}),
        ("五戸B", NOW - timedelta(days=400), {}),
        ("五戸C", None, {}),
        ("五戸D", NOW - timedelta(days=10), {"status": "closed"}),
    ]:
        make_facility(name, "", "clinic", "024422", verified_at=verified, **extra)


def _json(*args: str) -> dict:
    out = StringIO()
    call_command("reports", "indicators", "--region", "hachinohe", *args, "--json", stdout=out)
    return json.loads(out.getvalue())  # only JSON on standard output


@time_machine.travel(NOW, tick=False)
def test_a_fiscal_year_from_the_data(data):
    result = _json("--fiscal-year", "2024")
    assert list(result) == ["municipalities"]
    table = result["municipalities"]
    assert list(table) == ["八戸市", "おいらせ町", "三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村"]
    assert table["五戸町"] == dict(zip(FIELDS, [3, 2, 5, 3, 1, 33, *NO_MEETINGS], strict=True))
    assert table["八戸市"] == dict(zip(FIELDS, [1, 6, 7, 0, 0, 0, *NO_MEETINGS], strict=True))
    assert table["新郷村"] == dict(zip(FIELDS, [0, 0, 0, 0, 0, 0, *NO_MEETINGS], strict=True))


@time_machine.travel(NOW, tick=False)
def test_a_past_fiscal_year_has_no_freshness(data):
    table = _json("--fiscal-year", "2023")["municipalities"]
    assert table["五戸町"] == dict(zip(FIELDS, [1, 0, 1, None, None, None, *NO_MEETINGS], strict=True))


@time_machine.travel(NOW, tick=False)
def test_an_as_of_day_without_a_survey_counts_from_the_start_of_its_year(data):
    table = _json("--as-of", "2024-06-30")["municipalities"]
    assert table["八戸市"][FIELDS[0]] == 1 and table["八戸市"][FIELDS[1]] == 0
    assert table["五戸町"][FIELDS[2]] == 5


@time_machine.travel(NOW, tick=False)
def test_an_imported_survey_gives_the_figures_it_reported(region, data):
    import_seed(None, region, date(2021, 12, 31), shipped_text(), source="seed")
    table = _json("--as-of", "2021-12-31")["municipalities"]
    assert table["八戸市"] == dict(
        zip(FIELDS, [17, 12, 29, None, None, None, *UNKNOWN_MEETINGS, None, None, None, None], strict=True)
    )
    assert table["南部町"]["consultations_total"] == 37 and table["南部町"]["consultations_general"] is None
    assert table["五戸町"] == dict.fromkeys(FIELDS)


@time_machine.travel(NOW, tick=False)
def test_another_app_adds_its_figures_through_the_registry(data, monkeypatch):
    monkeypatch.setattr(indicators, "_SOURCES", list(indicators._SOURCES))

    def visits(actor, region, municipalities, period):
        return {
            municipality.pk: {"home_visits": 2 if municipality.code == "024422" else 0}
            for municipality in municipalities
        }

    indicators.register(indicators.Source("visits", "訪問の記録", ("home_visits",), visits))
    table = _json("--fiscal-year", "2024")["municipalities"]
    assert table["五戸町"]["home_visits"] == 2
    assert list(table["五戸町"]) == [*FIELDS, "home_visits"]


@time_machine.travel(NOW, tick=False)
def test_meetings_and_trainings_come_from_the_meetings_summary_by_fiscal_year(data, bob):
    """五戸町, 年度2024: one 個別地域ケア会議 (May) and two trainings (June; March 2025), the June one
    attended on paper by 4 care managers and 3 nurses of 医療機関 — 7, of whom 3 medical. A training in
    April 2025 belongs to 年度2025. The region-wide 医師会 events are not a municipality's."""
    from renkei.core.models import User
    from renkei.meetings.models import EventKind
    from tests.meetings.conftest import make_event, tokyo

    make_event(
        bob,
        bob.organization.municipality,
        kind=EventKind.INDIVIDUAL_CARE_MEETING,
        starts_at=tokyo(2024, 5, 20, 14, 0),
        ends_at=tokyo(2024, 5, 20, 15, 0),
    )
    june = make_event(bob, bob.organization.municipality, on_paper=True)
    make_event(
        bob,
        bob.organization.municipality,
        starts_at=tokyo(2025, 3, 10, 18, 0),
        ends_at=tokyo(2025, 3, 10, 19, 0),
    )
    make_event(
        bob,
        bob.organization.municipality,
        starts_at=tokyo(2025, 4, 10, 18, 0),
        ends_at=tokyo(2025, 4, 10, 19, 0),
    )
    from renkei.meetings.services.events import record_counts

    record_counts(bob, june, {(User.Profession.CARE_MANAGER, False): 4, (User.Profession.NURSE, True): 3})
    table = _json("--fiscal-year", "2024")["municipalities"]
    assert [table["五戸町"][name] for name in FIELDS[6:13]] == [1, 2, 7, 3, 0, 0, 0]
    assert [table["八戸市"][name] for name in FIELDS[6:13]] == NO_MEETINGS[:7]
    # Not one whole 年度: not known, rather than a year's counts put on part of it.
    assert [_json("--as-of", "2024-06-30")["municipalities"]["五戸町"][name] for name in FIELDS[6:13]] == (
        UNKNOWN_MEETINGS
    )


def test_a_fiscal_year_out_of_range_is_refused(region):
    with pytest.raises(CommandError, match="2000年1月1日"):
        _json("--fiscal-year", "1999")


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_the_figures_with_their_source(client, region, alice, bob, data):
    from renkei.reports.services import entries

    imported = import_seed(None, region, date(2021, 12, 31), shipped_text(), source="資料６－２").report_round
    client.force_login(alice)
    page = client.get(f"/reports/{imported.pk}/").content.decode()
    assert "市町村ごとの数値（報告された数値）" in page and "出典: 資料６－２（Ｒ3.12.末日時点）" in page
    opened = entries.open_round(alice, region, date(2024, 11, 30))
    page = client.get(f"/reports/{opened.pk}/").content.decode()
    assert "市町村ごとの数値（データから集計）" in page
    assert "相談記録（相談支援）（2024年4月1日〜2024年11月30日）" in page
    assert "事業所情報の鮮度（情報更新）（出力時点）" in page
    row = _indicator_row(page, "五戸町")
    assert row.count("<td>") == len(FIELDS) and "<td>3</td><td>2</td><td>5</td>" in row
    # Municipality staff count only their own municipality's desks.
    client.force_login(bob)
    page = client.get(f"/reports/{opened.pk}/").content.decode()
    assert "<td>—</td><td>—</td><td>—</td>" in _indicator_row(page, "八戸市")
    assert "<td>3</td><td>2</td><td>5</td>" in _indicator_row(page, "五戸町")


def _indicator_row(page: str, name: str) -> str:
    table = page.split('data-testid="indicators"', 1)[1]
    return table.split(f'<th scope="row">{name}</th>', 1)[1].split("</tr>", 1)[0]
