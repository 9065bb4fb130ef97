"""Pages of the survey; every rule is asked of the services and core.permissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from renkei.core import permissions
from renkei.core.forms import show_rule_errors
from renkei.core.services import RuleError
from renkei.reports import indicators as indicator_registry
from renkei.reports.forms import EntryForm, OpenRoundForm, ReviewForm
from renkei.reports.items import COLUMNS, SHORT_NAMES, Item, Scene
from renkei.reports.models import ActivityEntry, ReportRound
from renkei.reports.services import compare, entries, export
from renkei.reports.services.indicators import indicators_for
from renkei.reports.services.rules import ReportError


@login_required
@require_http_methods(["GET", "POST"])
def round_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_use_reports(request.user):
        raise PermissionDenied
    region = permissions.home_region(request.user)
    may_open = permissions.can_manage_report_rounds(request.user, region)
    form = OpenRoundForm(request.POST or None)
    if request.method == "POST":
        if not may_open or region is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                report_round = entries.open_round(request.user, region, form.cleaned_data["as_of"])
            except ReportError as exc:
                show_rule_errors(form, exc)
            else:
                messages.success(request, f"{report_round.as_of_label}の調査を開始しました。")
                return redirect("reports:round", pk=report_round.pk)
    rounds = permissions.report_rounds_for(request.user).select_related("region")
    status = 400 if form.is_bound and form.errors else 200
    context = {"rounds": rounds, "form": form if may_open else None, "region": region}
    return render(request, "reports/list.html", context, status=status)


def _round_or_404(request: HttpRequest, pk: int) -> ReportRound:
    report_round = get_object_or_404(ReportRound.objects.select_related("region"), pk=pk)
    if not permissions.can_view_report_round(request.user, report_round):
        raise Http404
    return report_round


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report_round = _round_or_404(request, pk)
    item = request.GET.get("item", Item.A)
    if item not in Item.values:
        item = Item.A
    rows = [
        {
            "entry": entry,
            "may_edit": permissions.can_edit_activity_entry(request.user, entry),
            "may_review": permissions.can_review_activity_entry(request.user, entry),
        }
        for entry in report_round.entries.filter(item=item).select_related("municipality", "round__region")
    ]
    context = {
        **_figures(request, report_round),
        "report_round": report_round,
        "item": Item(item),
        "items": [(code, SHORT_NAMES[code], label) for code, label in Item.choices],
        "rows": rows,
        "figures": report_round.figures.select_related("municipality"),
    }
    return render(request, "reports/round.html", context)


@login_required
@require_GET
def round_compare(request: HttpRequest, pk: int) -> HttpResponse:
    report_round = _round_or_404(request, pk)
    item = request.GET.get("item", Item.A)
    if item not in Item.values:
        item = Item.A
    earlier = compare.previous_round(report_round)
    context = {
        "report_round": report_round,
        "earlier": earlier,
        "item": Item(item),
        "items": [(code, SHORT_NAMES[code], label) for code, label in Item.choices],
        "rows": compare.compare(report_round, Item(item), earlier),
    }
    return render(request, "reports/compare.html", context)


def _figures(request: HttpRequest, report_round: ReportRound) -> dict:
    """The figures of the survey's day: as reported (an imported survey), else from the data."""
    try:
        found = indicators_for(request.user, report_round.region, as_of=report_round.as_of)
    except RuleError as exc:
        return {"figures_error": exc.message}
    names = indicator_registry.labels()
    rows = [(name, [values.get(key) for key in names]) for name, values in found.municipalities.items()]
    return {"indicators": found, "indicator_labels": list(names.values()), "indicator_rows": rows}


@login_required
@require_GET
def round_export(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    report_round = _round_or_404(request, pk)
    if extension == "xlsx":
        content = export.export_workbook(request.user, report_round)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif extension == "pdf":
        content = export.export_pdf(request.user, report_round)
        content_type = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    filename = export.filename(report_round, extension)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _entry_post(request: HttpRequest, entry: ActivityEntry, form: EntryForm, review: ReviewForm):
    action = request.POST.get("action", "")
    try:
        if action in ("save", "submit"):
            if not form.is_valid():
                return None
            data = entries.EntryInput(**{**form.cleaned_data, "scenes": tuple(form.cleaned_data["scenes"])})
            entry = entries.save_entry(request.user, entry, data)
            if action == "submit":
                entries.submit_entry(request.user, entry)
            messages.success(request, "提出しました。" if action == "submit" else "保存しました。")
        elif action in ("confirm", "return"):
            if not review.is_valid():
                return None
            entries.review_entry(
                request.user, entry, accept=action == "confirm", comment=review.cleaned_data["comment"]
            )
            messages.success(request, "確認済みにしました。" if action == "confirm" else "差し戻しました。")
        else:
            raise PermissionDenied
    except ReportError as exc:
        show_rule_errors(review if action in ("confirm", "return") else form, exc)
        return None
    return redirect("reports:entry", pk=entry.pk)


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(ActivityEntry.objects.select_related("round__region", "municipality"), pk=pk)
    if not permissions.can_view_report_round(request.user, entry.round):
        raise Http404
    may_edit = permissions.can_edit_activity_entry(request.user, entry)
    initial = {
        name: getattr(entry, name) for name in ("activities", "issues", "requests", "unclassified", "stage")
    }
    initial["scenes"] = entry.scenes
    form = EntryForm(request.POST if request.method == "POST" else None, initial=initial)
    review = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = _entry_post(request, entry, form, review)
        if done is not None:
            return done
    scene_labels = dict(Scene.choices)
    context = {
        "entry": entry,
        "columns": [(label, getattr(entry, name)) for name, label in COLUMNS],
        "scene_labels": [scene_labels[scene] for scene in entry.scenes if scene in scene_labels],
        "form": form if may_edit else None,
        "may_submit": permissions.can_submit_activity_entry(request.user, entry),
        "review": review if permissions.can_review_activity_entry(request.user, entry) else None,
        "history": entry.history.select_related("history_user").order_by("-history_date", "-history_id")[:50],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/entry.html", context, status=status)
