"""The lecturer roster page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from renkei.core import permissions
from renkei.core.http import AuthenticatedHttpRequest
from renkei.core.services import RuleError
from renkei.meetings.forms import LecturerForm, RosterSearchForm
from renkei.meetings.services import lecturers


@login_required
@require_http_methods(["GET", "POST"])
def roster(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_plan_events(request.user):
        raise PermissionDenied
    search = RosterSearchForm(request.GET or None)
    topic = search.cleaned_data["topic"] if search.is_valid() else ""
    form = LecturerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lecturer = lecturers.add_lecturer(request.user, **form.cleaned_data)
        except RuleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"「{lecturer}」を講師名簿に追加しました。")
            return redirect("meetings:lecturers")
    return render(
        request,
        "meetings/lecturers.html",
        {"entries": lecturers.roster(request.user, topic), "search": search, "form": form},
        status=400 if form.errors else 200,
    )
