"""The 認知症ケアパス: staff edit their municipality's (login), residents read it once published."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.forms import show_rule_errors
from renkei.core.http import AuthenticatedHttpRequest
from renkei.core.models import Municipality
from renkei.core.pdf import pdf_response
from renkei.core.services import RuleError
from renkei.outreach.care_path_forms import CellForm, SettingsForm
from renkei.outreach.models import CarePathHelp, CarePathStage, DementiaCarePath
from renkei.outreach.services import care_path, portal


def _grid_url(municipality: Municipality, **extra: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"municipality": municipality.code, **extra}.items())
    return f"{reverse('outreach_staff:care_path')}?{query}"


def _editable(request: AuthenticatedHttpRequest, code: str) -> tuple[Municipality, DementiaCarePath]:
    municipality = portal.municipality(code)  # 404 outside the region
    return municipality, care_path.care_path_for_editing(request.user, municipality)  # 403 for others


@login_required
@require_GET
def staff_grid(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipalities = list(permissions.dementia_care_path_municipalities(request.user).order_by("code"))
    if not municipalities:
        raise PermissionDenied
    wanted = request.GET.get("municipality")
    chosen = next((m for m in municipalities if m.code == wanted), municipalities[0])
    path = care_path.care_path_for_editing(request.user, chosen)
    return render(
        request,
        "outreach/staff_care_path.html",
        {
            "municipality": chosen, "municipalities": municipalities, "care_path": path,
            "grid": care_path.grid(path, for_residents=False), "settings_form": SettingsForm(instance=path),
            "saved": "saved" in request.GET,
        },
    )  # fmt: skip


@login_required
@require_POST
def staff_settings(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    municipality, path = _editable(request, code)
    form = SettingsForm(request.POST, instance=DementiaCarePath.objects.get(pk=path.pk))
    if form.is_valid():
        try:
            care_path.save_settings(
                request.user, path, title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
            )  # fmt: skip
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            return redirect(_grid_url(municipality, saved="1"))
    return render(
        request,
        "outreach/staff_care_path.html",
        {
            "municipality": municipality, "municipalities": [municipality], "care_path": path,
            "grid": care_path.grid(path, for_residents=False), "settings_form": form,
        },
        status=400,
    )  # fmt: skip


@login_required
@require_POST
def staff_publish(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    municipality, path = _editable(request, code)
    care_path.set_published(request.user, path, request.POST.get("published") == "1")
    return redirect(_grid_url(municipality, saved="1"))


@login_required
@require_GET
def staff_pdf(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    municipality, _path = _editable(request, code)
    return pdf_response(
        care_path.care_path_pdf(municipality.code), f"dementia-care-path-{municipality.code}.pdf"
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_cell(request: AuthenticatedHttpRequest, code: str, stage: str, kind: str) -> HttpResponse:
    care_path.check_cell_address(stage, kind)
    municipality, path = _editable(request, code)
    cell = care_path.cell_of(path, stage, kind)
    stored_ids = [entry.facility_id for entry in cell.entries.all()] if cell else []
    form = CellForm(request.POST or None, initial={"text": cell.text if cell else ""}, stored_ids=stored_ids)
    searching = request.method == "POST" and request.POST.get("action") == "search"
    status = 200
    if request.method == "POST" and form.is_valid() and not searching:
        try:
            care_path.save_cell(
                request.user, path, stage, kind, text=form.cleaned_data["text"],
                facility_ids=form.cleaned_data["facility_ids"],
            )  # fmt: skip
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            return redirect(_grid_url(municipality, saved="1") + f"#cell-{stage}-{kind}")
    if form.errors:
        status = 400
    chosen = form.chosen_ids()
    region_ids = care_path.region_municipality_ids()
    entries = [
        (facility, care_path.entry_refusal(facility, region_ids))
        for facility in care_path.facilities_by_id(chosen)
    ]
    results = (
        care_path.search_candidates(
            municipality, form.cleaned_data["q"], whole_region=form.cleaned_data["whole_region"]
        )
        if form.is_bound and form.is_valid() and form.cleaned_data["q"]
        else []
    )
    return render(
        request,
        "outreach/staff_care_path_cell.html",
        {
            "form": form, "municipality": municipality, "care_path": path, "stage": stage, "kind": kind,
            "stage_label": CarePathStage(stage).label, "kind_label": CarePathHelp(kind).label,
            "entries": entries, "results": results, "chosen": set(chosen), "searched": searching,
            "unsaved": request.method == "POST",
            "max_entries": care_path.MAX_ENTRIES_PER_CELL,
        },
        status=status,
    )  # fmt: skip


# --- residents ---


@require_GET
def public_care_path(request: HttpRequest, code: str) -> HttpResponse:
    municipality = portal.municipality(code)
    path = care_path.public_care_path(municipality)
    return render(
        request,
        "outreach/portal_care_path.html",
        {
            "municipality": municipality,
            "care_path": path,
            "grid": care_path.grid(path, for_residents=True),
            "large": request.GET.get("size") == "large",
        },
    )
