"""The yearly summary page and its Excel file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from renkei.core.forms import FiscalYearForm
from renkei.core.http import AuthenticatedHttpRequest
from renkei.core.models import User
from renkei.meetings.models import EventKind
from renkei.meetings.services import summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def yearly(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FiscalYearForm(request.GET or None)
    figures, rows = summary.summary_for(request.user, form.year())
    total = summary.total_of(rows)
    professions = [
        (
            label,
            [
                (row.attendance_by_profession.get(code, 0), row.medical_attendance_by_profession.get(code, 0))
                for row in rows
            ],
            (
                total.attendance_by_profession.get(code, 0),
                total.medical_attendance_by_profession.get(code, 0),
            ),
        )
        for code, label in User.Profession.choices
    ]
    kinds = [
        (label, [row.events_by_kind.get(code, 0) for row in rows], total.events_by_kind.get(code, 0))
        for code, label in EventKind.choices
    ]
    return render(
        request,
        "meetings/summary.html",
        {
            "form": form,
            "figures": figures,
            "rows": rows,
            "total": total,
            "professions": professions,
            "kinds": kinds,
        },
    )


@login_required
@require_GET
def yearly_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FiscalYearForm(request.GET or None)
    figures, rows = summary.summary_for(request.user, form.year())
    response = HttpResponse(summary.summary_xlsx(figures, rows), content_type=XLSX)
    filename = f"会議研修の実績_{figures.label}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
