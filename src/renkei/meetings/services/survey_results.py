"""A survey's results: per question counts and shares (choice, multiple choice), the distribution and
mean of a 5-point item (the evaluation's :class:`ItemSummary`), n / mean / median / min / max of a
number, the free-text list (the managers only, names only where the respondent agreed); filtered by
profession, compared with last year's survey it was copied from; and the Excel file.

A group of fewer than :data:`MIN_GROUP` responses is not shown (a profession with two respondents
would show their answers), to the managers neither: they read the answers one by one in the export.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import User
from renkei.core.spreadsheet import append_row, new_workbook, style_table, workbook_bytes
from renkei.meetings.models import Question, QuestionKind, Survey, SurveyAnswer, SurveyResponse
from renkei.meetings.services.evaluation import SCORES, ItemSummary

MIN_GROUP = 3
PROFESSIONS = dict(User.Profession.choices)


@dataclass(frozen=True)
class Option:
    label: str
    count: int
    share: float | None  # percent of those who answered the question


@dataclass(frozen=True)
class NumberSummary:
    n: int
    mean: float | None
    median: float | None
    minimum: int | None
    maximum: int | None


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list[Option] = field(default_factory=list)
    scale: ItemSummary | None = None
    numbers: NumberSummary | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (text, name or "")
    previous: QuestionResult | None = None


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    recipients: int
    profession: str
    hidden: bool  # the chosen group is smaller than MIN_GROUP
    questions: list[QuestionResult]
    by_profession: list[tuple[str, str, int | None]]  # (code, label, responses or None if hidden)
    with_texts: bool

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.responses / self.recipients, 1) if self.recipients else None

    @property
    def profession_label(self) -> str:
        return PROFESSIONS.get(self.profession, "")


def _share(count: int, of: int) -> float | None:
    return round(100 * count / of, 1) if of else None


def summarise(question: Question, answers: list[tuple[list[int], int | None, str, str]]) -> QuestionResult:
    """One question's figures from its answers (choices, number, text, name to show or "")."""
    result = QuestionResult(question, answered=len(answers))
    if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
        counts = [0] * len(question.choices)
        for picked, _number, _text, _name in answers:
            for index in picked:
                counts[index] += 1
        result.options = [
            Option(label, n, _share(n, len(answers)))
            for label, n in zip(question.choices, counts, strict=True)
        ]
    elif question.kind == QuestionKind.SCALE:
        scores = dict.fromkeys(SCORES, 0)
        for _picked, number, _text, _name in answers:
            scores[number] += 1  # type: ignore[index]  # a 5-point answer always has its number
        result.scale = ItemSummary(f"q{question.pk}", question.text, scores)
    elif question.kind == QuestionKind.NUMBER:
        values = [number for _picked, number, _text, _name in answers if number is not None]
        result.numbers = NumberSummary(
            len(values),
            round(statistics.fmean(values), 2) if values else None,
            statistics.median(values) if values else None,
            min(values, default=None),
            max(values, default=None),
        )
    else:
        result.texts = [(text, name) for _picked, _number, text, name in answers if text]
    return result


def _answers_by_question(survey: Survey, profession: str) -> dict[int, list]:
    rows = SurveyAnswer.objects.filter(response__survey=survey)
    if profession:
        rows = rows.filter(response__profession=profession)
    grouped: dict[int, list] = defaultdict(list)
    for question_id, choices, number, text, show_name, name in rows.values_list(
        "question_id", "choices", "number", "text", "response__show_name", "response__respondent__full_name"
    ).order_by("response__submitted_at", "response_id"):
        grouped[question_id].append((choices, number, text, name if show_name else ""))
    return grouped


def _by_profession(survey: Survey) -> list[tuple[str, str, int | None]]:
    counts: dict[str, int] = defaultdict(int)
    for code in SurveyResponse.objects.filter(survey=survey).values_list("profession", flat=True):
        counts[code] += 1
    rows = [(code, label, counts[code]) for code, label in PROFESSIONS.items() if counts.get(code)]
    if counts.get(""):
        rows.append(("", "未設定", counts[""]))
    return [(code, label, n if n >= MIN_GROUP else None) for code, label, n in rows]


def _compute(survey: Survey, profession: str, with_texts: bool) -> SurveyResults:
    responses = SurveyResponse.objects.filter(survey=survey)
    if profession:
        responses = responses.filter(profession=profession)
    count = responses.count()
    hidden = bool(profession) and count < MIN_GROUP
    questions = []
    if not hidden:
        grouped = _answers_by_question(survey, profession)
        for question in survey.questions.all():
            result = summarise(question, grouped.get(question.pk, []))
            if not with_texts:
                result.texts = []
            questions.append(result)
    return SurveyResults(
        survey,
        count,
        survey.recipients.count(),
        profession,
        hidden,
        questions,
        _by_profession(survey),
        with_texts,
    )


def results(actor: User, survey: Survey, profession: str = "") -> SurveyResults:
    """The counts for anyone who may see them; the free text for the managers only (logged)."""
    if not permissions.can_view_survey_results(actor, survey):
        raise PermissionDenied
    if profession and profession not in PROFESSIONS:
        profession = ""
    organiser = permissions.can_read_survey_answers(actor, survey)
    if organiser:
        record_access(
            actor,
            action="view",
            subject_type="meetings_survey",
            subject_id=survey.pk,
            object_type="survey_texts",
        )
    current = _compute(survey, profession, organiser)
    previous = survey.copied_from
    if previous is not None and permissions.can_view_survey_results(actor, previous) and not current.hidden:
        earlier = {r.question.pk: r for r in _compute(previous, profession, False).questions}
        for result in current.questions:
            result.previous = earlier.get(result.question.copied_from_id or 0)
    return current


def _figure_rows(result: QuestionResult) -> list[list[object]]:
    if result.scale is not None:
        rows: list[list[object]] = [
            [f"{score}", n, _share(n, result.answered)] for score, n in result.scale.ordered_counts
        ]
        return [*rows, ["平均", result.scale.mean, None]]
    if result.numbers is not None:
        n = result.numbers
        return [
            ["回答数", n.n, None],
            ["平均", n.mean, None],
            ["中央値", n.median, None],
            ["最小", n.minimum, None],
            ["最大", n.maximum, None],
        ]
    if result.question.kind == QuestionKind.TEXT:
        return [["自由記述の回答数", len(result.texts) if result.texts else result.answered, None]]
    return [[option.label, option.count, option.share] for option in result.options]


def _write_results(sheet, data: SurveyResults) -> None:
    for result in data.questions:
        append_row(sheet, [f"問{result.question.order} {result.question.text}", "", ""])
        append_row(sheet, ["項目", "人数", "割合（%）"])
        start = sheet.max_row
        for row in _figure_rows(result):
            append_row(sheet, row)
        style_table(sheet, start, sheet.max_row, 3)
        append_row(sheet, [])


def results_xlsx(actor: User, survey: Survey) -> bytes:
    """集計 (every question), 職種別 (each profession of at least MIN_GROUP responses) and, for the
    managers, 回答一覧: one row per response under a number, the name only where the respondent agreed."""
    data = results(actor, survey)
    workbook, sheet = new_workbook("集計")
    append_row(sheet, [survey.title, f"回答 {data.responses}人 / 依頼 {data.recipients}人"])
    append_row(sheet, [])
    _write_results(sheet, data)
    by_profession = workbook.create_sheet("職種別")
    for code, label, n in data.by_profession:
        append_row(by_profession, [f"{label}（{n if n is not None else f'{MIN_GROUP}人未満のため省略'}）"])
        if n is not None:
            _write_results(by_profession, _compute(survey, code, False) if code else data)
    if permissions.can_read_survey_answers(actor, survey):
        _answer_sheet(workbook.create_sheet("回答一覧"), survey)
        record_access(
            actor,
            action="export",
            subject_type="meetings_survey",
            subject_id=survey.pk,
            object_type="survey_answers",
        )
    return workbook_bytes(workbook)


def _answer_cell(question: Question, answer: SurveyAnswer | None) -> object:
    if answer is None:
        return None
    if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
        return "、".join(question.choices[i] for i in answer.choices)
    if question.kind == QuestionKind.TEXT:
        return answer.text
    return answer.number


def _answer_sheet(sheet, survey: Survey) -> None:
    questions = list(survey.questions.all())
    append_row(sheet, ["回答者", "職種"] + [f"問{q.order}" for q in questions])
    responses = (
        survey.responses.select_related("respondent")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )
    for number, response in enumerate(responses, start=1):
        answers = {a.question_id: a for a in response.answers.all()}
        who = response.respondent.full_name if response.show_name else f"回答者{number}"
        append_row(
            sheet,
            [who, PROFESSIONS.get(response.profession, "")]
            + [_answer_cell(q, answers.get(q.pk)) for q in questions],
        )
