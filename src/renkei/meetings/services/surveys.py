"""Questionnaires to organisations: built by a municipality (or the region), sent to the users of
chosen organisation kinds and professions, answered once per person (editable until the survey
closes), copied to the next 年度 to compare year on year. The statistics are in ``survey_results``,
the mails in ``survey_mail``."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from renkei.core import permissions
from renkei.core.fiscal import fiscal_year_of
from renkei.core.models import Municipality, Organization, User
from renkei.core.services import RuleError
from renkei.meetings.models import (
    Question,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyRecipient,
    SurveyResponse,
)
from renkei.meetings.services.evaluation import SCORES

MAX_CHOICES = 20
MAX_TEXT = 2000


class SurveyError(RuleError):
    code = "meetings_survey_invalid"


def _check_survey(values: dict) -> None:
    if not str(values.get("title", "")).strip():
        raise SurveyError("アンケート名を入力してください。", "title")
    if values["closes_on"] < values["opens_on"]:
        raise SurveyError("締切日は回答開始日以降にしてください。", "closes_on")
    kinds = values.get("target_kinds") or []
    if not kinds or any(kind not in Organization.Kind.values for kind in kinds):
        raise SurveyError("対象の組織種別を選んでください。", "target_kinds")
    if any(code not in User.Profession.values for code in values.get("target_professions") or []):
        raise SurveyError("対象職種の指定が正しくありません。", "target_professions")


def create_survey(actor: User, municipality: Municipality | None, **values) -> Survey:
    if not permissions.can_organise_for(actor, municipality):
        raise PermissionDenied
    _check_survey(values)
    region = permissions.home_region(actor)
    assert region is not None  # can_plan_events holds only for members of a region
    return Survey.objects.create(
        region=region,
        municipality=municipality,
        title=values["title"].strip(),
        description=values.get("description", ""),
        fiscal_year=fiscal_year_of(values["opens_on"]),
        opens_on=values["opens_on"],
        closes_on=values["closes_on"],
        target_kinds=list(values["target_kinds"]),
        target_professions=list(values.get("target_professions") or []),
        created_by=actor,
    )


def _managed_draft(actor: User, survey: Survey) -> None:
    if not permissions.can_manage_survey(actor, survey):
        raise PermissionDenied
    if survey.status != Survey.Status.DRAFT:
        raise SurveyError("回答の受付を始めたアンケートの質問は変えられません。")


def _clean_choices(kind: str, choices: list[str]) -> list[str]:
    if kind not in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
        return []
    cleaned = [text.strip() for text in choices if text.strip()]
    if len(cleaned) < 2:
        raise SurveyError("選択肢を2つ以上入力してください（1行に1つ）。", "choices")
    if len(cleaned) > MAX_CHOICES or len(set(cleaned)) != len(cleaned):
        raise SurveyError(f"選択肢は重複なく{MAX_CHOICES}個までにしてください。", "choices")
    return cleaned


def add_question(
    actor: User,
    survey: Survey,
    *,
    kind: str,
    text: str,
    required: bool = True,
    choices: list[str] | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
) -> Question:
    _managed_draft(actor, survey)
    if kind not in QuestionKind.values:
        raise SurveyError("質問の形式を選んでください。", "kind")
    if not text.strip():
        raise SurveyError("質問を入力してください。", "text")
    if kind != QuestionKind.NUMBER:
        min_value = max_value = None
    elif min_value is not None and max_value is not None and max_value < min_value:
        raise SurveyError("最大値は最小値以上にしてください。", "max_value")
    last = survey.questions.order_by("-order").values_list("order", flat=True).first()
    return Question.objects.create(
        survey=survey,
        order=(last or 0) + 1,
        kind=kind,
        text=text.strip(),
        required=required,
        choices=_clean_choices(kind, choices or []),
        min_value=min_value,
        max_value=max_value,
    )


def remove_question(actor: User, question: Question) -> None:
    _managed_draft(actor, question.survey)
    question.delete()


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def copy_survey(actor: User, source: Survey) -> Survey:
    """Next 年度's draft of ``source``: the same questions and targets, dates a year on; each question
    remembers the one it was copied from, so the results compare year on year."""
    if not permissions.can_manage_survey(actor, source):
        raise PermissionDenied
    opens_on, closes_on = _next_year(source.opens_on), _next_year(source.closes_on)
    copy = Survey.objects.create(
        region_id=source.region_id,
        municipality_id=source.municipality_id,
        title=source.title,
        description=source.description,
        fiscal_year=fiscal_year_of(opens_on),
        opens_on=opens_on,
        closes_on=closes_on,
        target_kinds=source.target_kinds,
        target_professions=source.target_professions,
        copied_from=source,
        created_by=actor,
    )
    Question.objects.bulk_create(
        Question(
            survey=copy,
            order=q.order,
            kind=q.kind,
            text=q.text,
            required=q.required,
            choices=q.choices,
            min_value=q.min_value,
            max_value=q.max_value,
            copied_from=q,
        )
        for q in source.questions.all()
    )
    return copy


def recipients_of(survey: Survey) -> QuerySet[User]:
    """The active users of the targeted organisation kinds (and professions) in the survey's scope."""
    users = User.objects.filter(
        is_active=True, organization__is_active=True, organization__kind__in=survey.target_kinds
    )
    if survey.municipality_id is not None:
        users = users.filter(organization__municipality_id=survey.municipality_id)
    else:
        users = users.filter(organization__municipality__region_id=survey.region_id)
    if survey.target_professions:
        users = users.filter(profession__in=survey.target_professions)
    return users


@transaction.atomic
def open_survey(actor: User, survey: Survey) -> int:
    """Start taking answers: the recipients are recorded now (their mails go out through
    ``renkei meetings send-survey-reminders``). Returns how many were asked."""
    _managed_draft(actor, survey)
    if not survey.questions.exists():
        raise SurveyError("質問を1つ以上追加してください。")
    recipients = [
        SurveyRecipient(survey=survey, user_id=pk)
        for pk in recipients_of(survey).values_list("pk", flat=True)
    ]
    if not recipients:
        raise SurveyError("対象の組織種別・職種に当てはまる利用者がいません。", "target_kinds")
    SurveyRecipient.objects.bulk_create(recipients, ignore_conflicts=True)
    survey.status = Survey.Status.OPEN
    survey.save(update_fields=["status"])
    return len(recipients)


def close_survey(actor: User, survey: Survey) -> None:
    if not permissions.can_manage_survey(actor, survey):
        raise PermissionDenied
    if survey.status != Survey.Status.OPEN:
        raise SurveyError("回答受付中のアンケートではありません。")
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])


def can_answer(actor: User, survey: Survey, today: date) -> bool:
    return survey.accepts_answers(today) and permissions.is_survey_recipient(actor, survey)


def _as_int(raw: object) -> int | None:
    if isinstance(raw, int):
        return raw
    text = str(raw or "").strip()
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _clean_answer(question: Question, raw: object) -> SurveyAnswer | str | None:
    """The answer to keep (None when left empty), or the message of why ``raw`` is refused."""
    empty = raw in (None, "", []) or (isinstance(raw, str) and not raw.strip())
    if empty:
        return "この質問は回答必須です。" if question.required else None
    if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
        values = raw if isinstance(raw, list | tuple) else [raw]
        picked = sorted({i for i in (_as_int(v) for v in values) if i is not None})
        if len(picked) != len(values) or any(i < 0 or i >= len(question.choices) for i in picked):
            return "選択肢から選んでください。"
        if question.kind == QuestionKind.CHOICE and len(picked) != 1:
            return "選択肢を1つ選んでください。"
        return SurveyAnswer(question=question, choices=picked)
    if question.kind == QuestionKind.TEXT:
        text = str(raw).strip()
        return (
            SurveyAnswer(question=question, text=text)
            if len(text) <= MAX_TEXT
            else f"{MAX_TEXT}字以内にしてください。"
        )
    number = _as_int(raw)
    if question.kind == QuestionKind.SCALE:
        return (
            SurveyAnswer(question=question, number=number) if number in SCORES else "1〜5で選んでください。"
        )
    if number is None:
        return "整数で入力してください。"
    if (question.min_value is not None and number < question.min_value) or (
        question.max_value is not None and number > question.max_value
    ):
        return f"{question.min_value if question.min_value is not None else ''}〜{question.max_value if question.max_value is not None else ''}の範囲で入力してください。"
    return SurveyAnswer(question=question, number=number)


def answer(
    actor: User, survey: Survey, values: dict[int, object], *, show_name: bool = False, today: date
) -> SurveyResponse:
    """Save ``actor``'s answers (question pk → value), replacing an earlier answer of theirs. Two
    submits at once end in one response: the unique constraint decides, the loser updates it."""
    if not can_answer(actor, survey, today):
        raise PermissionDenied
    kept: list[SurveyAnswer] = []
    errors = []
    for question in survey.questions.all():
        cleaned = _clean_answer(question, values.get(question.pk))
        if isinstance(cleaned, str):
            errors.append({"field": f"q{question.pk}", "message": f"「{question.text}」: {cleaned}"})
        elif cleaned is not None:
            kept.append(cleaned)
    if errors:
        raise SurveyError(errors[0]["message"], errors[0]["field"], errors=errors)
    with transaction.atomic():
        response, _created = SurveyResponse.objects.get_or_create(
            survey=survey, respondent=actor, defaults={"profession": actor.profession}
        )
        response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
        response.profession = actor.profession
        response.show_name = show_name
        response.save()
        response.answers.all().delete()
        for item in kept:
            item.response = response
        SurveyAnswer.objects.bulk_create(kept)
    return response


def own_response(actor: User, survey: Survey) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(survey=survey, respondent=actor).prefetch_related("answers").first()


def surveys_to_answer(actor: User, today: date) -> QuerySet[Survey]:
    """Open surveys ``actor`` was asked to answer and has not answered yet."""
    return (
        Survey.objects.filter(
            recipients__user=actor, status=Survey.Status.OPEN, opens_on__lte=today, closes_on__gte=today
        )
        .exclude(responses__respondent=actor)
        .distinct()
    )


def managed_surveys(actor: User) -> QuerySet[Survey]:
    return Survey.objects.filter(permissions.managed_surveys_filter(actor)).select_related("municipality")


def visible_results(actor: User) -> QuerySet[Survey]:
    """Surveys of the region whose counts ``actor`` may see besides their own (other municipalities')."""
    region = permissions.home_region(actor)
    if region is None or not permissions.can_plan_events(actor):
        return Survey.objects.none()
    return (
        Survey.objects.filter(region=region)
        .exclude(status=Survey.Status.DRAFT)
        .select_related("municipality")
    )
