"""課題 and 対応策: who raises and manages them, and where each stands on the PDCA board."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from renkei.core.models import Organization
from renkei.meetings.models import Countermeasure, Scene, SeedItem
from renkei.meetings.services import issues
from renkei.meetings.services.issues import IssueError
from tests.meetings.conftest import make_event


def _issue(actor, municipality, title="退院時の情報共有が遅れる", **extra):
    values = {
        "title": title,
        "scene": Scene.ADMISSION_DISCHARGE,
        "seed_item": SeedItem.E,
        "evidence": "ケアマネ調査: 12件中5件",
        "raised_on": date(2024, 7, 1),
    }
    values.update(extra)
    return issues.raise_issue(actor, municipality, **values)


def _stages(columns) -> dict[str, list[str]]:
    return {column.stage: [card.issue.title for card in column.cards] for column in columns}


def test_an_issue_moves_through_the_cycle_as_its_countermeasures_do(bob, gonohe):
    issue = _issue(bob, gonohe)
    assert issues.stage_of(issue) == "plan"
    sheet = issues.add_countermeasure(bob, issue, title="共有シートを作る", owner=bob.organization)
    rule = issues.add_countermeasure(bob, issue, title="退院調整ルールを見直す", owner=bob.organization)
    assert issues.stage_of(issue) == "plan"
    issues.update_countermeasure(bob, sheet, status=Countermeasure.Status.IN_PROGRESS)
    assert issues.stage_of(issue) == "do"
    issues.update_countermeasure(bob, sheet, status="done", done_on=date(2024, 9, 1))
    issues.update_countermeasure(bob, rule, status="done", done_on=date(2024, 10, 1))
    assert issues.stage_of(issue) == "check"
    issues.update_countermeasure(bob, sheet, status="done", done_on=date(2024, 9, 1), evaluation="試行で改善")
    assert issues.stage_of(issue) == "check"  # the rule's result is not evaluated yet
    issues.update_countermeasure(bob, rule, status="done", done_on=date(2024, 10, 1), evaluation="定着した")
    assert issues.stage_of(issue) == "act"
    issues.close_issue(bob, issue, date(2025, 2, 1))
    assert issues.stage_of(issue) == "closed"
    issues.reopen_issue(bob, issue)
    assert issues.stage_of(issue) == "act"


def test_countermeasure_rules_are_said_in_japanese(bob, gonohe):
    issue = _issue(bob, gonohe)
    measure = issues.add_countermeasure(bob, issue, title="共有シート", owner=bob.organization)
    with pytest.raises(IssueError, match="実施日") as error:
        issues.update_countermeasure(bob, measure, status="done")
    assert error.value.field == "done_on"
    with pytest.raises(IssueError, match="実施済み"):
        issues.update_countermeasure(bob, measure, status="planned", evaluation="良かった")
    with pytest.raises(IssueError, match="終了日"):
        issues.close_issue(bob, issue, date(2024, 6, 30))
    with pytest.raises(IssueError):
        _issue(bob, gonohe, scene="hospital")


def test_municipality_staff_manage_their_own_issues_and_the_admin_every_one(bob, alice, gonohe, hachinohe):
    own = _issue(bob, gonohe)
    with pytest.raises(PermissionDenied):
        _issue(bob, hachinohe)
    with pytest.raises(PermissionDenied):
        _issue(bob, None)
    region_wide = _issue(
        alice, None, title="医療機関の定例的な参加が難しい", scene=Scene.DAILY, seed_item=SeedItem.I
    )
    with pytest.raises(PermissionDenied):
        issues.add_countermeasure(bob, region_wide, title="x", owner=bob.organization)
    issues.add_countermeasure(alice, own, title="研修で取り上げる", owner=alice.organization)


def test_professionals_neither_raise_nor_see_issues(carol, hachinohe, bob, gonohe):
    _issue(bob, gonohe)
    with pytest.raises(PermissionDenied):
        _issue(carol, hachinohe)
    with pytest.raises(PermissionDenied):
        issues.board(carol)


def test_the_board_per_municipality_and_for_the_region(bob, alice, gonohe, hachinohe):
    sharing = _issue(bob, gonohe)
    issues.add_countermeasure(bob, sharing, title="共有シート", owner=bob.organization)
    measure = sharing.countermeasures.get()
    issues.update_countermeasure(bob, measure, status="in_progress")
    _issue(bob, gonohe, title="看取りの体制がない", scene=Scene.END_OF_LIFE, seed_item=SeedItem.U)
    _issue(alice, hachinohe, title="急変時の連絡先がわからない", scene=Scene.EMERGENCY, seed_item=SeedItem.E)
    _issue(alice, None, title="研修の講師が見つからない", scene=Scene.DAILY, seed_item=SeedItem.KA)
    empty = {"check": [], "act": [], "closed": []}
    assert _stages(issues.board(bob, gonohe)) == {
        "plan": ["看取りの体制がない"],
        "do": ["退院時の情報共有が遅れる"],
        **empty,
    }
    assert _stages(issues.board(bob, region_only=True)) == {
        "plan": ["研修の講師が見つからない"],
        "do": [],
        **empty,
    }
    everything = _stages(issues.board(alice))
    assert sorted(everything["plan"]) == [
        "急変時の連絡先がわからない",
        "看取りの体制がない",
        "研修の講師が見つからない",
    ]
    by_scene = _stages(issues.board(alice, scene=Scene.EMERGENCY))
    assert by_scene["plan"] == ["急変時の連絡先がわからない"] and by_scene["do"] == []
    by_item = _stages(issues.board(alice, seed_item=SeedItem.E))
    assert sorted(by_item["plan"] + by_item["do"]) == [
        "急変時の連絡先がわからない",
        "退院時の情報共有が遅れる",
    ]


def test_an_issue_remembers_the_meeting_it_came_from(client, bob, gonohe):
    council = make_event(bob, gonohe, kind="coordination_council", title="推進会議")
    client.force_login(bob)
    response = client.post(
        "/meetings/issues/new/",
        {
            "scope": str(gonohe.pk),
            "title": "入院時の情報提供が少ない",
            "scene": "admission_discharge",
            "seed_item": "e",
            "evidence": "3事例",
            "raised_on": "2024-07-01",
            "source_event": str(council.pk),
        },
    )
    issue = council.issues.get()
    assert response["Location"] == f"/meetings/issues/{issue.pk}/"
    owner = Organization.objects.create(
        name="五戸町地域包括支援センター", kind="community_support_center", municipality=gonohe
    )
    client.post(
        f"/meetings/issues/{issue.pk}/countermeasures/",
        {"title": "情報提供書の様式", "owner": owner.pk, "due_on": "2024-12-31"},
    )
    measure = issue.countermeasures.get()
    client.post(
        f"/meetings/issues/{issue.pk}/countermeasures/{measure.pk}/",
        {
            f"m{measure.pk}-status": "done",
            f"m{measure.pk}-done_on": "2024-11-30",
            f"m{measure.pk}-evaluation": "様式を配布",
        },
    )
    page = client.get(f"/meetings/issues/{issue.pk}/").content.decode()
    assert "A 改善" in page and "様式を配布" in page and "推進会議" in page
    board = client.get("/meetings/issues/").content.decode()
    assert "入院時の情報提供が少ない" in board


def test_other_municipalities_read_but_do_not_change_an_issue(client, bob, alice, hachinohe):
    issue = _issue(alice, hachinohe)
    client.force_login(bob)
    assert client.get(f"/meetings/issues/{issue.pk}/").status_code == 200
    response = client.post(
        f"/meetings/issues/{issue.pk}/countermeasures/", {"title": "x", "owner": bob.organization.pk}
    )
    assert response.status_code == 403
    assert not issue.countermeasures.exists()
