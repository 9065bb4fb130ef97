"""The yearly summary against counts written out by hand."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from renkei.core.models import User
from renkei.meetings.models import EventKind, Scene, SeedItem
from renkei.meetings.services import events, issues, summary
from tests.meetings.conftest import make_event, tokyo

NURSE, CM, PHYSICIAN, OTHER = (
    User.Profession.NURSE,
    User.Profession.CARE_MANAGER,
    User.Profession.PHYSICIAN,
    User.Profession.OTHER,
)


@pytest.fixture
def year(bob, alice, gonohe, hachinohe, ed, dora):
    """2024年度: in 五戸町 a training (ed, and dora from a hospital) and a paper council on 31 March
    (2 hospital nurses, 3 care managers); in 八戸市 a paper care meeting (1 physician from a clinic);
    a region-wide public lecture (30 residents). Outside it: a 五戸町 meeting at 00:30 on 1 April 2025."""
    training = make_event(bob, gonohe)
    events.record_named_attendance(bob, training, [ed, dora])
    council = make_event(
        bob, gonohe, kind=EventKind.COORDINATION_COUNCIL, on_paper=True,
        starts_at=tokyo(2025, 3, 31, 23, 0), ends_at=tokyo(2025, 3, 31, 23, 50),
    )  # fmt: skip
    events.record_counts(bob, council, {(NURSE, True): 2, (CM, False): 3})
    care_meeting = make_event(
        alice, hachinohe, kind=EventKind.INDIVIDUAL_CARE_MEETING, on_paper=True,
        starts_at=tokyo(2024, 11, 5, 15), ends_at=tokyo(2024, 11, 5, 16),
    )  # fmt: skip
    events.record_counts(alice, care_meeting, {(PHYSICIAN, True): 1})
    lecture = make_event(
        alice, None, kind=EventKind.PUBLIC_LECTURE, on_paper=True,
        starts_at=tokyo(2025, 1, 20, 13), ends_at=tokyo(2025, 1, 20, 15),
    )  # fmt: skip
    events.record_counts(alice, lecture, {(OTHER, False): 30})
    next_year = make_event(
        bob, gonohe, kind=EventKind.EXCHANGE_MEETING, on_paper=True,
        starts_at=tokyo(2025, 4, 1, 0, 30), ends_at=tokyo(2025, 4, 1, 1, 30),
    )  # fmt: skip
    events.record_counts(bob, next_year, {(CM, False): 7})
    issue = issues.raise_issue(
        bob, gonohe, title="退院時の共有", scene=Scene.ADMISSION_DISCHARGE, seed_item=SeedItem.E,
        raised_on=date(2024, 7, 1),
    )  # fmt: skip
    measure = issues.add_countermeasure(bob, issue, title="共有シート", owner=bob.organization)
    issues.update_countermeasure(bob, measure, status="done", done_on=date(2024, 9, 1))
    issues.close_issue(bob, issue, date(2025, 3, 1))
    issues.raise_issue(
        bob, gonohe, title="看取り", scene=Scene.END_OF_LIFE, seed_item=SeedItem.U, raised_on=date(2025, 4, 2)
    )
    return 2024


def _row(figures, name):
    return next(row for row in figures.rows if row.name == name)


def test_yearly_figures_per_municipality(year, region):
    figures = summary.yearly_figures(region, year)
    assert [row.name for row in figures.rows] == [
        "八戸市", "おいらせ町", "三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村", "圏域全体（医師会など）",
    ]  # fmt: skip
    gonohe = _row(figures, "五戸町")
    assert (gonohe.meetings, gonohe.trainings, gonohe.attendance, gonohe.medical_attendance) == (1, 1, 7, 3)
    assert gonohe.attendance_by_profession == {"nurse": 3, "care_manager": 4}
    assert gonohe.medical_attendance_by_profession == {"nurse": 3}
    assert (gonohe.issues_raised, gonohe.issues_closed, gonohe.countermeasures_done) == (1, 1, 1)
    hachinohe = _row(figures, "八戸市")
    assert (hachinohe.meetings, hachinohe.trainings, hachinohe.attendance, hachinohe.medical_attendance) == (
        1,
        0,
        1,
        1,
    )
    region_wide = _row(figures, "圏域全体（医師会など）")
    assert (region_wide.meetings, region_wide.trainings, region_wide.attendance) == (0, 1, 30)
    assert _row(figures, "新郷村").attendance == 0
    total = figures.total()
    assert (total.meetings, total.trainings, total.attendance, total.medical_attendance) == (2, 2, 38, 4)
    assert total.events_by_kind == {
        "training": 1,
        "coordination_council": 1,
        "individual_care_meeting": 1,
        "public_lecture": 1,
    }


def test_the_next_year_starts_at_midnight_in_tokyo(year, region):
    gonohe = _row(summary.yearly_figures(region, 2025), "五戸町")
    assert (gonohe.meetings, gonohe.attendance, gonohe.issues_raised, gonohe.issues_closed) == (1, 7, 1, 0)


def test_municipality_staff_see_their_row_and_the_admin_every_row(client, year, bob, alice, carol):
    client.force_login(bob)
    page = client.get("/meetings/summary/?fiscal_year=2024").content.decode()
    assert "五戸町" in page and "八戸市" not in page and "令和6年度" in page
    client.force_login(alice)
    page = client.get("/meetings/summary/?fiscal_year=2024").content.decode()
    assert "八戸市" in page and "圏域全体（医師会など）" in page
    client.force_login(carol)
    assert client.get("/meetings/summary/").status_code == 403
    assert client.get("/meetings/summary.xlsx").status_code == 403


def test_the_excel_file_has_the_same_figures(client, year, alice):
    client.force_login(alice)
    response = client.get("/meetings/summary.xlsx?fiscal_year=2024")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["概要", "職種別出席", "うち医療機関", "種別"]
    overview = [list(row) for row in workbook["概要"].iter_rows(values_only=True)]
    assert overview[0] == [
        "市町村",
        "会議",
        "研修・講演",
        "出席者数",
        "うち医療機関",
        "課題の提起",
        "課題の終了",
        "対応策の実施",
    ]
    assert overview[4] == ["五戸町", 1, 1, 7, 3, 1, 1, 1]
    assert overview[-1] == ["合計", 2, 2, 38, 4, 1, 1, 1]
    medical = [list(row) for row in workbook["うち医療機関"].iter_rows(values_only=True)]
    nurse_column = medical[0].index("看護師")
    assert medical[-1][0] == "合計" and medical[-1][nurse_column] == 3
    assert medical[-1][medical[0].index("医師")] == 1


def test_moving_an_event_to_another_year_moves_its_attendance(region, bob, gonohe, ed):
    event = make_event(bob, gonohe)
    events.record_named_attendance(bob, event, [ed])
    events.update_event(bob, event, starts_at=tokyo(2025, 4, 10, 18), ends_at=tokyo(2025, 4, 10, 20))
    assert _row(summary.yearly_figures(region, 2024), "五戸町").attendance == 0
    assert _row(summary.yearly_figures(region, 2025), "五戸町").attendance == 1
