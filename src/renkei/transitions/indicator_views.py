"""The staff's 入退院 figures for a 年度: the indicators (by month, by hospital) and the usage per
organisation, each as a page and an Excel file. Counts only — no patient on them — so they ask for
the password, not the second factor (as the other yearly summaries)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from renkei.core import permissions
from renkei.core.forms import FiscalYearForm
from renkei.core.http import AuthenticatedHttpRequest
from renkei.transitions.services import indicators, usage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


def _year(request: AuthenticatedHttpRequest) -> tuple[FiscalYearForm, int]:
    if not permissions.can_view_transition_indicators(request.user):
        raise PermissionDenied
    form = FiscalYearForm(request.GET or None)
    return form, form.year()


@login_required
@require_GET
def indicator_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, year = _year(request)
    figures = indicators.indicators_for(request.user, year)
    return render(request, "transitions/indicators.html", {"form": form, "figures": figures})


@login_required
@require_GET
def indicator_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    _form, year = _year(request)
    figures = indicators.indicators_for(request.user, year)
    return _xlsx(indicators.indicators_xlsx(figures), f"入退院の指標_{figures.scope}_{figures.label}.xlsx")


@login_required
@require_GET
def usage_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, year = _year(request)
    figures = usage.usage_for(request.user, year)
    return render(request, "transitions/usage.html", {"form": form, "figures": figures})


@login_required
@require_GET
def usage_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    _form, year = _year(request)
    figures = usage.usage_for(request.user, year)
    return _xlsx(usage.usage_xlsx(figures), f"組織別の活用状況_{figures.scope}_{figures.label}.xlsx")
