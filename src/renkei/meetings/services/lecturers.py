"""The region's shared lecturer roster: who taught what, and how their trainings were rated."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q, QuerySet

from renkei.core import permissions
from renkei.core.models import User
from renkei.core.services import RuleError
from renkei.meetings.models import EVALUATION_ITEMS, Event, Lecturer


class LecturerError(RuleError):
    code = "meetings_lecturer_invalid"


def add_lecturer(
    actor: User, *, name: str, affiliation: str = "", topics: str = "", contact: str = ""
) -> Lecturer:
    if not permissions.can_plan_events(actor):
        raise PermissionDenied
    if not name.strip():
        raise LecturerError("講師名・派遣元を入力してください。", "name")
    region = permissions.home_region(actor)
    assert region is not None  # can_plan_events holds only for members of a region
    try:
        with transaction.atomic():
            return Lecturer.objects.create(
                region=region,
                name=name.strip(),
                affiliation=affiliation.strip(),
                topics=topics.strip(),
                contact=contact.strip(),
                created_by=actor,
            )
    except IntegrityError:
        raise LecturerError("この講師はすでに名簿にあります。", "name") from None


def region_lecturers(actor: User) -> QuerySet[Lecturer]:
    region = permissions.home_region(actor)
    if region is None or not permissions.can_plan_events(actor):
        return Lecturer.objects.none()
    return Lecturer.objects.filter(region=region)


def set_event_lecturers(actor: User, event: Event, lecturers: list[Lecturer]) -> None:
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    if any(lecturer.region_id != event.region_id for lecturer in lecturers):
        raise LecturerError("講師は圏域の講師名簿から選んでください。", "roster_lecturers")
    event.roster_lecturers.set(lecturers)


@dataclass(frozen=True)
class PastTraining:
    event: Event
    responses: int
    satisfaction: float | None  # mean of 「研修の内容に満足した」
    overall: float | None  # mean of every 5-point item


@dataclass(frozen=True)
class RosterEntry:
    lecturer: Lecturer
    trainings: list[PastTraining]

    @property
    def responses(self) -> int:
        return sum(training.responses for training in self.trainings)

    @property
    def satisfaction(self) -> float | None:
        """The mean satisfaction over every answer to the lecturer's trainings."""
        rated = [(t.satisfaction, t.responses) for t in self.trainings if t.satisfaction is not None]
        answers = sum(n for _mean, n in rated)
        return round(sum(mean * n for mean, n in rated) / answers, 2) if answers else None


def _mean(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return round(sum(present) / len(present), 2) if present else None


def roster(actor: User, topic: str = "") -> list[RosterEntry]:
    """Every lecturer of the region (matching ``topic`` in name, affiliation or topics) with their
    trainings, newest first, and the counts of those trainings' evaluations (never an answer)."""
    if not permissions.can_plan_events(actor):
        raise PermissionDenied
    lecturers = region_lecturers(actor)
    if topic.strip():
        for word in topic.split():
            lecturers = lecturers.filter(
                Q(name__icontains=word) | Q(affiliation__icontains=word) | Q(topics__icontains=word)
            )
    averages = {name: Avg(f"evaluations__{name}") for name, _label in EVALUATION_ITEMS}
    entries = []
    for lecturer in lecturers:
        events = (
            Event.objects.filter(roster_lecturers=lecturer)
            .select_related("municipality")
            .annotate(responses=Count("evaluations"), **averages)
            .order_by("-starts_at")
        )
        trainings = []
        for event in events:
            means = {name: getattr(event, name) for name, _label in EVALUATION_ITEMS}  # the Avg annotations
            satisfaction = means["satisfaction"]
            trainings.append(
                PastTraining(
                    event,
                    event.responses,
                    round(satisfaction, 2) if satisfaction is not None else None,
                    _mean(list(means.values())),
                )
            )
        entries.append(RosterEntry(lecturer, trainings))
    return entries
