"""The evaluation questionnaire after a training: answered once by each named attendee, read per
person by the organiser only, counted per event and per 年度 for everyone who may see the event."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.fiscal import Period
from renkei.core.models import User
from renkei.core.services import RuleError
from renkei.meetings.models import EVALUATION_ITEMS, TRAINING_KINDS, Attendance, Evaluation, Event

SCORES = (5, 4, 3, 2, 1)


class EvaluationError(RuleError):
    code = "meetings_evaluation_invalid"


def has_answered(actor: User, event: Event) -> bool:
    return Evaluation.objects.filter(event=event, respondent=actor).exists()


def answer(actor: User, event: Event, scores: dict[str, int], comment: str = "") -> Evaluation:
    if not permissions.can_evaluate(actor, event):
        raise PermissionDenied
    errors = [
        {"field": name, "message": f"「{label}」を1〜5で選んでください。"}
        for name, label in EVALUATION_ITEMS
        if scores.get(name) not in SCORES
    ]
    if errors:
        raise EvaluationError(errors[0]["message"], errors[0]["field"], errors=errors)
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                event=event,
                respondent=actor,
                profession=actor.profession,
                comment=comment.strip(),
                **{name: scores[name] for name, _label in EVALUATION_ITEMS},
            )
    except IntegrityError:
        raise EvaluationError("このアンケートにはすでに回答しています。") from None


@dataclass(frozen=True)
class ItemSummary:
    name: str
    label: str
    counts: dict[int, int]  # score → how many answered it, 5 to 1

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        if not self.answered:
            return None
        return round(sum(score * n for score, n in self.counts.items()) / self.answered, 2)

    @property
    def ordered_counts(self) -> list[tuple[int, int]]:
        return [(score, self.counts[score]) for score in SCORES]


@dataclass(frozen=True)
class EvaluationSummary:
    responses: int
    attendees: int
    items: list[ItemSummary]
    by_profession: list[tuple[str, int]]  # (label, responses)

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.responses / self.attendees, 1) if self.attendees else None


def _summarise(evaluations: QuerySet[Evaluation], attendees: int) -> EvaluationSummary:
    items = []
    for name, label in EVALUATION_ITEMS:
        counts = dict.fromkeys(SCORES, 0)
        for row in evaluations.values(name).annotate(n=Count("pk")):
            counts[row[name]] = row["n"]
        items.append(ItemSummary(name, label, counts))
    labels = dict(User.Profession.choices)
    per_profession = {
        row["profession"]: row["n"] for row in evaluations.values("profession").annotate(n=Count("pk"))
    }
    by_profession = [(labels[code], per_profession[code]) for code in labels if per_profession.get(code)]
    if per_profession.get(""):
        by_profession.append(("未設定", per_profession[""]))
    return EvaluationSummary(evaluations.count(), attendees, items, by_profession)


def event_summary(actor: User, event: Event) -> EvaluationSummary:
    if not permissions.can_view_evaluation_summary(actor, event):
        raise PermissionDenied
    attendees = event.attendances.filter(user__isnull=False).count()
    return _summarise(Evaluation.objects.filter(event=event), attendees)


def answers(actor: User, event: Event) -> QuerySet[Evaluation]:
    """Each answer with its free text, for the organiser; the reading is logged."""
    if not permissions.can_read_evaluation_answers(actor, event):
        raise PermissionDenied
    record_access(
        actor, action="view", subject_type="meetings_event", subject_id=event.pk, object_type="evaluations"
    )
    return Evaluation.objects.filter(event=event).order_by("submitted_at", "pk")


def comments(actor: User, event: Event) -> list[str]:
    return [text for text in answers(actor, event).values_list("comment", flat=True) if text]


def fiscal_year_summary(actor: User, fiscal_year: int) -> EvaluationSummary:
    """Every training of the 年度 that ``actor`` manages, taken together."""
    start, end = Period.for_fiscal_year(fiscal_year).bounds()
    events = Event.objects.filter(
        permissions.managed_events_filter(actor),
        kind__in=TRAINING_KINDS,
        starts_at__gte=start,
        starts_at__lt=end,
    )
    attendees = Attendance.objects.filter(event__in=events, user__isnull=False).count()
    return _summarise(Evaluation.objects.filter(event__in=events), attendees)


def events_to_evaluate(actor: User) -> QuerySet[Event]:
    """Trainings ``actor`` attended and has not evaluated yet."""
    if not permissions.can_use_meetings(actor):
        return Event.objects.none()
    return (
        Event.objects.filter(attendances__user=actor, kind__in=TRAINING_KINDS)
        .exclude(evaluations__respondent=actor)
        .distinct()
    )
