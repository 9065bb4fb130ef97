"""Pages of the evaluation after a training: the attendee's questionnaire and the results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from renkei.core import permissions
from renkei.core.forms import FiscalYearForm
from renkei.core.http import AuthenticatedHttpRequest
from renkei.core.services import RuleError
from renkei.meetings.forms import EvaluationForm
from renkei.meetings.services import evaluation
from renkei.meetings.views.events import _event_or_404


@login_required
@require_http_methods(["GET", "POST"])
def evaluate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    if not permissions.can_evaluate(request.user, event):
        raise PermissionDenied
    if evaluation.has_answered(request.user, event):
        messages.info(request, "このアンケートには回答済みです。ご協力ありがとうございました。")
        return redirect("meetings:detail", event.pk)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation.answer(request.user, event, form.scores(), form.cleaned_data["comment"])
        except RuleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "アンケートに回答しました。ご協力ありがとうございました。")
            return redirect("meetings:detail", event.pk)
    return render(
        request, "meetings/evaluate.html", {"event": event, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    summary = evaluation.event_summary(request.user, event)
    organiser = permissions.can_read_evaluation_answers(request.user, event)
    return render(
        request,
        "meetings/results.html",
        {
            "event": event,
            "summary": summary,
            "comments": evaluation.comments(request.user, event) if organiser else None,
        },
    )


@login_required
@require_GET
def year_results(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_plan_events(request.user):
        raise PermissionDenied
    form = FiscalYearForm(request.GET or None)
    year = form.year()
    return render(
        request,
        "meetings/year_results.html",
        {"form": form, "year": year, "summary": evaluation.fiscal_year_summary(request.user, year)},
    )
