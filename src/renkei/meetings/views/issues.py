"""Pages of the 課題 → 対応策 board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.http import AuthenticatedHttpRequest
from renkei.core.models import Municipality
from renkei.core.services import RuleError
from renkei.meetings.forms import BoardFilterForm, CountermeasureForm, CountermeasureStatusForm, IssueForm
from renkei.meetings.models import Countermeasure, Issue
from renkei.meetings.services import issues

ALL, REGION = "", "region"


def _region_or_403(request: AuthenticatedHttpRequest):
    region = permissions.home_region(request.user)
    if region is None or not permissions.can_view_issues(request.user, region):
        raise PermissionDenied
    return region


@login_required
@require_GET
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _region_or_403(request)
    municipalities = Municipality.objects.filter(region=region).order_by("code")
    own = permissions.home_municipality(request.user)
    default = ALL if permissions.is_region_admin(request.user) or own is None else str(own.pk)
    scope = request.GET.get("m", default)
    municipality = None
    if scope not in (ALL, REGION):
        municipality = municipalities.filter(pk=scope).first() if scope.isdigit() else None
        if municipality is None:
            raise Http404
    form = BoardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"scene": "", "seed_item": ""}
    columns = issues.board(request.user, municipality, region_only=scope == REGION, **filters)
    return render(
        request,
        "meetings/board.html",
        {
            "region": region,
            "columns": columns,
            "municipalities": municipalities,
            "scope": scope,
            "municipality": municipality,
            "form": form,
            "can_plan": permissions.can_plan_events(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_plan_events(request.user):
        raise PermissionDenied
    form = IssueForm(
        request.POST or None,
        user=request.user,
        initial={"source_event": request.GET.get("event"), "source_survey": request.GET.get("survey")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issue = issues.raise_issue(
                request.user,
                form.municipality(),
                title=data["title"],
                scene=data["scene"],
                seed_item=data["seed_item"],
                evidence=data["evidence"],
                raised_on=data["raised_on"],
                source_event=data["source_event"],
                source_survey=data["source_survey"],
            )
        except RuleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "課題を登録しました。対応策を追加してください。")
            return redirect("meetings:issue", issue.pk)
    return render(request, "meetings/issue_form.html", {"form": form}, status=400 if form.errors else 200)


def _issue_or_404(request: AuthenticatedHttpRequest, pk: int) -> Issue:
    region = _region_or_403(request)
    return get_object_or_404(
        Issue.objects.select_related("municipality", "source_event", "source_survey"), pk=pk, region=region
    )


def _issue_page(
    request: AuthenticatedHttpRequest, issue: Issue, add_form=None, status: int = 200
) -> HttpResponse:
    manages = permissions.can_manage_issue(request.user, issue)
    measures = list(issue.countermeasures.select_related("owner"))
    return render(
        request,
        "meetings/issue.html",
        {
            "issue": issue,
            "stage": dict(issues.STAGES)[issues.stage_of(issue, measures)],
            "manages": manages,
            "measures": [
                (
                    measure,
                    CountermeasureStatusForm(instance=measure, prefix=f"m{measure.pk}") if manages else None,
                )
                for measure in measures
            ],
            "add_form": add_form or (CountermeasureForm(issue=issue) if manages else None),
        },
        status=status,
    )


@login_required
@require_GET
def issue_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _issue_page(request, _issue_or_404(request, pk))


@login_required
@require_POST
def countermeasure_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = _issue_or_404(request, pk)
    form = CountermeasureForm(request.POST, issue=issue)
    if form.is_valid():
        data = form.cleaned_data
        try:
            issues.add_countermeasure(
                request.user, issue, title=data["title"], owner=data["owner"], due_on=data["due_on"]
            )
        except RuleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "対応策を追加しました。")
            return redirect("meetings:issue", issue.pk)
    return _issue_page(request, issue, add_form=form, status=400)


@login_required
@require_POST
def countermeasure_update(request: AuthenticatedHttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    issue = _issue_or_404(request, pk)
    measure = get_object_or_404(Countermeasure, pk=measure_pk, issue=issue)
    form = CountermeasureStatusForm(request.POST, instance=measure, prefix=f"m{measure.pk}")
    if not form.is_valid():
        messages.error(request, "対応策の状況を確認してください。")
        return redirect("meetings:issue", issue.pk)
    data = form.cleaned_data
    try:
        issues.update_countermeasure(
            request.user,
            measure,
            status=data["status"],
            done_on=data["done_on"],
            evaluation=data["evaluation"],
        )
    except RuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "対応策の状況を更新しました。")
    return redirect("meetings:issue", issue.pk)


@login_required
@require_POST
def issue_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = _issue_or_404(request, pk)
    try:
        if request.POST.get("action") == "reopen":
            issues.reopen_issue(request.user, issue)
            messages.success(request, "課題を再開しました。")
        else:
            issues.close_issue(request.user, issue, timezone.localdate())
            messages.success(request, "課題を完了にしました。")
    except RuleError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:issue", issue.pk)
