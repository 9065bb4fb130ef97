"""課題 and 対応策, and where each issue stands in the PDCA cycle.

The stage follows from the countermeasures, so nobody has to move a card by hand:

* **P 計画** — no countermeasure yet, or every one still planned;
* **D 実施** — at least one countermeasure in progress;
* **C 評価** — every countermeasure done, but one still without an evaluation of its result;
* **A 改善** — every countermeasure done and evaluated: decide to close the issue or plan again;
* **完了** — the issue is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from renkei.core import permissions
from renkei.core.models import Municipality, Organization, Region, User
from renkei.core.services import RuleError
from renkei.meetings.models import Countermeasure, Event, Issue, Scene, SeedItem, Survey

STAGES = (
    ("plan", "P 計画"),
    ("do", "D 実施"),
    ("check", "C 評価"),
    ("act", "A 改善"),
    ("closed", "完了"),
)


class IssueError(RuleError):
    code = "meetings_issue_invalid"


def stage_of(issue: Issue, countermeasures: list[Countermeasure] | None = None) -> str:
    if issue.closed_on is not None:
        return "closed"
    measures = list(issue.countermeasures.all()) if countermeasures is None else countermeasures
    statuses = {measure.status for measure in measures}
    if not measures or statuses == {Countermeasure.Status.PLANNED}:
        return "plan"
    if statuses != {Countermeasure.Status.DONE}:
        return "do"
    if any(not measure.evaluation.strip() for measure in measures):
        return "check"
    return "act"


def _check_issue(values: dict) -> None:
    if values.get("scene") not in Scene.values:
        raise IssueError("場面を選んでください。", "scene")
    if values.get("seed_item") not in SeedItem.values:
        raise IssueError("事業項目を選んでください。", "seed_item")
    if not str(values.get("title", "")).strip():
        raise IssueError("課題を入力してください。", "title")


def raise_issue(
    actor: User,
    municipality: Municipality | None,
    *,
    title: str,
    scene: str,
    seed_item: str,
    evidence: str = "",
    raised_on: date,
    source_event: Event | None = None,
    source_survey: Survey | None = None,
) -> Issue:
    if not permissions.can_organise_for(actor, municipality):
        raise PermissionDenied
    _check_issue({"title": title, "scene": scene, "seed_item": seed_item})
    if source_event is not None and not permissions.can_view_event(actor, source_event):
        raise PermissionDenied
    if source_survey is not None and not permissions.can_view_survey_results(actor, source_survey):
        raise PermissionDenied
    region = permissions.home_region(actor)
    assert region is not None  # can_plan_events holds only for members of a region
    return Issue.objects.create(
        region=region,
        municipality=municipality,
        title=title.strip(),
        scene=scene,
        seed_item=seed_item,
        evidence=evidence,
        raised_on=raised_on,
        source_event=source_event,
        source_survey=source_survey,
        created_by=actor,
    )


def _managed(actor: User, issue: Issue) -> None:
    if not permissions.can_manage_issue(actor, issue):
        raise PermissionDenied


def add_countermeasure(
    actor: User, issue: Issue, *, title: str, owner: Organization, due_on: date | None = None
) -> Countermeasure:
    _managed(actor, issue)
    if not title.strip():
        raise IssueError("対応策を入力してください。", "title")
    if owner.municipality.region_id != issue.region_id:
        raise IssueError("担当組織は圏域内の組織から選んでください。", "owner")
    return Countermeasure.objects.create(issue=issue, title=title.strip(), owner=owner, due_on=due_on)


def update_countermeasure(
    actor: User, measure: Countermeasure, *, status: str, done_on: date | None = None, evaluation: str = ""
) -> Countermeasure:
    _managed(actor, measure.issue)
    if status not in Countermeasure.Status.values:
        raise IssueError("状況を選んでください。", "status")
    if status == Countermeasure.Status.DONE and done_on is None:
        raise IssueError("実施済みにするときは実施日を入力してください。", "done_on")
    if evaluation.strip() and status != Countermeasure.Status.DONE:
        raise IssueError("結果の評価は実施済みの対応策に記入してください。", "evaluation")
    measure.status = status
    measure.done_on = done_on if status == Countermeasure.Status.DONE else None
    measure.evaluation = evaluation.strip()
    measure.save()
    return measure


@transaction.atomic
def close_issue(actor: User, issue: Issue, closed_on: date) -> None:
    _managed(actor, issue)
    if closed_on < issue.raised_on:
        raise IssueError("終了日は提起日以降にしてください。", "closed_on")
    issue.closed_on = closed_on
    issue.save(update_fields=["closed_on"])


def reopen_issue(actor: User, issue: Issue) -> None:
    _managed(actor, issue)
    issue.closed_on = None
    issue.save(update_fields=["closed_on"])


@dataclass(frozen=True)
class BoardCard:
    issue: Issue
    stage: str
    measures: list[Countermeasure]


@dataclass(frozen=True)
class BoardColumn:
    stage: str
    label: str
    cards: list[BoardCard]


def board_issues(region: Region, municipality: Municipality | None, *, region_only: bool) -> QuerySet[Issue]:
    issues = Issue.objects.filter(region=region).select_related(
        "municipality", "source_event", "source_survey"
    )
    if municipality is not None:
        issues = issues.filter(municipality=municipality)
    elif region_only:
        issues = issues.filter(municipality__isnull=True)
    return issues.prefetch_related(
        Prefetch("countermeasures", queryset=Countermeasure.objects.select_related("owner"))
    )


def board(
    actor: User,
    municipality: Municipality | None = None,
    *,
    region_only: bool = False,
    scene: str = "",
    seed_item: str = "",
) -> list[BoardColumn]:
    """The PDCA board of one municipality, of the region-wide issues (``region_only``) or of all."""
    region = permissions.home_region(actor)
    if region is None or not permissions.can_view_issues(actor, region):
        raise PermissionDenied
    if municipality is not None and municipality.region_id != region.pk:
        raise PermissionDenied
    issues = board_issues(region, municipality, region_only=region_only)
    if scene:
        issues = issues.filter(scene=scene)
    if seed_item:
        issues = issues.filter(seed_item=seed_item)
    columns: dict[str, list[BoardCard]] = {stage: [] for stage, _label in STAGES}
    for issue in issues:
        measures = list(issue.countermeasures.all())
        stage = stage_of(issue, measures)
        columns[stage].append(BoardCard(issue, stage, measures))
    return [BoardColumn(stage, label, columns[stage]) for stage, label in STAGES]
