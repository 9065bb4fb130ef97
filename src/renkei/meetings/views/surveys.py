"""Pages of the questionnaires to organisations: build, open, answer, results, Excel, copy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.forms import show_rule_errors
from renkei.core.http import AuthenticatedHttpRequest
from renkei.core.services import RuleError
from renkei.meetings.models import Question, Survey
from renkei.meetings.services import survey_results, surveys
from renkei.meetings.services.survey_mail import send_survey_mails
from renkei.meetings.survey_forms import (
    AnswerForm,
    ProfessionFilterForm,
    QuestionForm,
    SurveyForm,
    initial_answers,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _survey(request: AuthenticatedHttpRequest, pk: int) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("municipality", "copied_from"), pk=pk)
    user = request.user
    if not (
        permissions.can_view_survey_results(user, survey) or permissions.is_survey_recipient(user, survey)
    ):
        raise Http404
    return survey


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Survey:
    survey = _survey(request, pk)
    if not permissions.can_manage_survey(request.user, survey):
        raise PermissionDenied
    return survey


@login_required
@require_GET
def survey_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_meetings(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    managed = list(surveys.managed_surveys(request.user))
    others = [s for s in surveys.visible_results(request.user) if s not in managed]
    context = {
        "to_answer": surveys.surveys_to_answer(request.user, today),
        "managed": managed,
        "others": others,
        "can_plan": permissions.can_plan_events(request.user),
    }
    return render(request, "meetings/surveys.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_plan_events(request.user):
        raise PermissionDenied
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = surveys.create_survey(
                request.user,
                form.municipality(),
                title=data["title"],
                description=data["description"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                target_kinds=data["target_kinds"],
                target_professions=data["target_professions"],
            )
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "アンケートを作成しました。質問を追加してください。")
            return redirect("meetings:survey", survey.pk)
    status = 400 if form.errors else 200
    return render(request, "meetings/survey_form.html", {"form": form}, status=status)


def _detail(request: AuthenticatedHttpRequest, survey: Survey, form: QuestionForm, status: int = 200):
    context = {
        "survey": survey,
        "questions": list(survey.questions.all()),
        "form": form,
        "manages": permissions.can_manage_survey(request.user, survey),
        "can_answer": surveys.can_answer(request.user, survey, timezone.localdate()),
        "can_view_results": permissions.can_view_survey_results(request.user, survey),
        "recipients": survey.recipients.count(),
        "responses": survey.responses.count(),
    }
    return render(request, "meetings/survey.html", context, status=status)


@login_required
@require_GET
def survey_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _survey(request, pk), QuestionForm())


@login_required
@require_POST
def question_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            surveys.add_question(request.user, survey, **form.values())
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "質問を追加しました。")
            return redirect("meetings:survey", survey.pk)
    return _detail(request, survey, form, status=400)


@login_required
@require_POST
def question_remove(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    try:
        surveys.remove_question(request.user, question)
    except RuleError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:survey", survey.pk)


@login_required
@require_POST
def survey_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    try:
        asked = surveys.open_survey(request.user, survey)
    except RuleError as exc:
        messages.error(request, exc.message)
        return redirect("meetings:survey", survey.pk)
    run = send_survey_mails(survey_id=survey.pk)
    note = "" if not run.failed else "（送れなかったメールは次回の定期送信で送ります）"
    messages.success(request, f"回答の受付を始め、{asked}人に依頼しました。{note}")
    return redirect("meetings:survey", survey.pk)


@login_required
@require_POST
def survey_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    try:
        surveys.close_survey(request.user, survey)
    except RuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "回答の受付を締め切りました。")
    return redirect("meetings:survey", survey.pk)


@login_required
@require_POST
def survey_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    copy = surveys.copy_survey(request.user, _managed(request, pk))
    messages.success(request, "翌年度のアンケートとして複製しました。日付と質問を確かめてください。")
    return redirect("meetings:survey", copy.pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    today = timezone.localdate()
    if not surveys.can_answer(request.user, survey, today):
        raise PermissionDenied
    questions = list(survey.questions.all())
    earlier = surveys.own_response(request.user, survey)
    form = AnswerForm(request.POST or None, questions=questions, initial=initial_answers(questions, earlier))
    if request.method == "POST" and form.is_valid():
        try:
            surveys.answer(
                request.user, survey, form.values(), show_name=form.cleaned_data["show_name"], today=today
            )
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(
                request, "回答しました。締切までは回答を直せます。ご協力ありがとうございました。"
            )
            return redirect("meetings:survey", survey.pk)
    context = {"survey": survey, "form": form, "earlier": earlier}
    return render(request, "meetings/survey_answer.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def survey_results_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = ProfessionFilterForm(request.GET or None)
    profession = form.cleaned_data["profession"] if form.is_valid() else ""
    data = survey_results.results(request.user, survey, profession)
    context = {"survey": survey, "data": data, "form": form, "min_group": survey_results.MIN_GROUP}
    return render(request, "meetings/survey_results.html", context)


@login_required
@require_GET
def survey_results_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    response = HttpResponse(survey_results.results_xlsx(request.user, survey), content_type=XLSX)
    filename = f"アンケート結果_{survey.fiscal_year}年度_{survey.pk}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
