"""Pages of nights, holidays and emergencies. Thin: each asks the services (which check, refuse and
log) and shows the result. The second factor is declared once, in :mod:`renkei.continuity.urls`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from renkei.continuity import forms, services
from renkei.continuity.models import BloodType, KitProfile, LivingArea
from renkei.continuity.services import cover_areas
from renkei.continuity.services.duty import at
from renkei.core import permissions
from renkei.core.forms import show_rule_errors
from renkei.core.http import AuthenticatedHttpRequest, personal_data_page
from renkei.core.models import Organization
from renkei.core.pdf import pdf_response
from renkei.core.services import RuleError
from renkei.sharing.services import patient_for

View = Callable[..., HttpResponseBase]
STEP_CHANGES = [("up", "上へ"), ("down", "下へ"), ("remove", "削除")]


# --- rotas ----------------------------------------------------------------------------------


@personal_data_page
@require_http_methods(["GET", "POST"])
def rotas(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    user = request.user
    if not permissions.can_have_patients(user) or user.organization is None:
        raise PermissionDenied
    organization = user.organization
    can_edit = permissions.can_edit_rota(user, organization)
    form = forms.RotaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rota = services.create_rota(user, organization, form.cleaned_data)
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            return redirect("continuity:rota", pk=rota.pk)
    now = timezone.now()
    return render(
        request,
        "continuity/rotas.html",
        {
            "organization": organization,
            "rotas": services.organization_rotas(user, organization),
            "duty": services.duty_now(user, organization, now),
            "now": now,
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if form.errors else 200,
    )


def _start_day(request: AuthenticatedHttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return timezone.localdate()


@personal_data_page
@require_http_methods(["GET", "POST"])
def rota(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    rota = services.rota_for(user, pk)
    organization = rota.organization
    slot_form = forms.SlotForm(organization=organization, prefix="slot")
    exception_form = forms.ExceptionForm(organization=organization, prefix="exception")
    if request.method == "POST":
        rota = services.rota_for(user, pk, edit=True)
        kind = request.POST.get("form")
        bound = (
            forms.SlotForm(request.POST, organization=organization, prefix="slot")
            if kind == "slot"
            else forms.ExceptionForm(request.POST, organization=organization, prefix="exception")
        )
        if bound.is_valid():
            try:
                add = services.add_slot if kind == "slot" else services.add_exception
                add(user, rota, bound.cleaned_data)
            except RuleError as exc:
                show_rule_errors(bound, exc)
            else:
                messages.success(request, "当番表を更新しました。")
                return redirect("continuity:rota", pk=rota.pk)
        slot_form, exception_form = (
            (bound, exception_form) if kind == "slot" else (slot_form, bound)  # type: ignore[assignment]
        )
    first = _start_day(request)
    return render(
        request,
        "continuity/rota.html",
        {
            "rota": rota,
            "slots": rota.slots.select_related("user").order_by("day", "starts"),
            "exceptions": rota.exceptions.select_related("user").order_by("starts_at"),
            "coverage": services.week_coverage(user, organization, at(first, 0)),
            "first": first,
            "slot_form": slot_form,
            "exception_form": exception_form,
            "can_edit": permissions.can_edit_rota(user, organization),
        },
        status=400 if slot_form.errors or exception_form.errors else 200,
    )


@personal_data_page
@require_POST
def rota_remove(request: AuthenticatedHttpRequest, pk: int, what: str, item_id: int) -> HttpResponseBase:
    if what not in ("slot", "exception"):
        raise Http404
    rota = services.rota_for(request.user, pk, edit=True)
    (services.remove_slot if what == "slot" else services.remove_exception)(request.user, rota, item_id)
    messages.success(request, "当番表を更新しました。")
    return redirect("continuity:rota", pk=rota.pk)


@personal_data_page
def organization_duty(request: AuthenticatedHttpRequest, organization_id: int) -> HttpResponseBase:
    organization = get_object_or_404(Organization, pk=organization_id)
    first = _start_day(request)
    return render(
        request,
        "continuity/organization_duty.html",
        {
            "organization": organization,
            "coverage": services.week_coverage(request.user, organization, at(first, 0)),
            "first": first,
        },
    )


# --- a patient's contact path and ACP --------------------------------------------------------


@personal_data_page
@require_http_methods(["GET", "POST"])
def contact_path(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    patient, access = patient_for(user, pk)
    can_edit = permissions.can_edit_contact_path(access)
    form = None
    if can_edit:
        form = forms.StepForm(request.POST or None, **services.step_choices(user, patient))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_step(user, patient, form.cleaned_data)
            except RuleError as exc:
                show_rule_errors(form, exc)
            else:
                messages.success(request, "連絡経路に段階を追加しました。")
                return redirect("continuity:path", pk=patient.pk)
    path = services.resolve_path(user, patient, _moment(request), access=access)
    return render(
        request,
        "continuity/path.html",
        {
            "patient": patient,
            "path": path,
            "form": form,
            "can_edit": can_edit,
            "step_changes_list": STEP_CHANGES,
            "can_print_kit": permissions.can_print_kit(access),
            "reprint": services.reprint_notice(patient),
            "blood_types": BloodType.choices,
            "blood_type": getattr(KitProfile.objects.filter(patient=patient).first(), "blood_type", ""),
            "acp_overdue": path.latest_acp is not None and services.is_overdue(path.latest_acp),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _moment(request: AuthenticatedHttpRequest) -> datetime:
    """The moment the path is resolved for: now, or the ``at`` a user asks about (「今夜22時は？」)."""
    raw = request.GET.get("at", "")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return timezone.now()
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@personal_data_page
@require_POST
def step_change(request: AuthenticatedHttpRequest, pk: int, step_id: int, change: str) -> HttpResponseBase:
    if change not in ("up", "down", "remove"):
        raise Http404
    patient, _access = patient_for(request.user, pk)
    if change == "remove":
        services.remove_step(request.user, patient, step_id)
    else:
        services.move_step(request.user, patient, step_id, -1 if change == "up" else 1)
    return redirect("continuity:path", pk=patient.pk)


@personal_data_page
def path_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    patient, access = patient_for(request.user, pk)
    path = services.resolve_path(request.user, patient, _moment(request), access=access)
    return render(request, "continuity/path_print.html", {"patient": patient, "path": path})


@personal_data_page
@require_http_methods(["GET", "POST"])
def acp(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    patient, access = patient_for(user, pk)
    can_record = permissions.can_record_acp(access)
    form = forms.AcpForm(request.POST or None) if can_record else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_acp(user, patient, form.cleaned_data)
            except RuleError as exc:
                show_rule_errors(form, exc)
            else:
                messages.success(request, "人生会議（ACP）の記録を保存しました。")
                return redirect("continuity:acp", pk=patient.pk)
    records = services.acp_history(user, patient, access)
    return render(
        request,
        "continuity/acp.html",
        {
            "patient": patient,
            "records": records,
            "overdue": bool(records) and services.is_overdue(records[0]),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@personal_data_page
def kit_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    patient, _access = patient_for(request.user, pk)
    content, printed = services.print_kit(request.user, patient)
    return pdf_response(content, f"emergency-kit-{patient.pk}-{printed.version_code}.pdf")


@personal_data_page
@require_POST
def blood_type(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    patient, _access = patient_for(request.user, pk)
    try:
        services.set_blood_type(request.user, patient, request.POST.get("blood_type", ""))
    except RuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "血液型を保存しました。")
    return redirect("continuity:path", pk=patient.pk)


# --- the region's 24-hour cover ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def cover(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    user = request.user
    region = permissions.home_region(user)
    if region is None or not permissions.can_view_cover_table(user):
        raise PermissionDenied
    form = forms.PopulationForm(request.POST or None, municipalities=permissions.managed_municipalities(user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        municipality = data.pop("municipality")
        try:
            services.record_population(user, municipality, data)
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "65歳以上人口を保存しました。")
            return redirect("continuity:cover")
    return render(
        request,
        "continuity/cover.html",
        {"region": region, "table": services.cover_table(user, region), "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def living_areas(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The 日常生活圏域 of the municipalities the user keeps, and a form to add one."""
    user = request.user
    municipalities = permissions.managed_municipalities(user)
    if not municipalities.exists():
        raise PermissionDenied
    form = forms.LivingAreaForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = cover_areas.save_living_area(user, data["municipality"], data["name"], data["towns"])
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, f"日常生活圏域「{area.name}」を登録しました。")
            return redirect("continuity:living_areas")
    return render(
        request,
        "continuity/living_areas.html",
        {"areas": cover_areas.living_areas(user), "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def living_area(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    try:
        area = cover_areas.living_area_for(user, pk)
    except LivingArea.DoesNotExist:
        raise Http404 from None
    initial = {"municipality": area.municipality, "name": area.name, "towns": "\n".join(area.towns)}
    form = forms.LivingAreaForm(
        request.POST or None, initial=initial, municipalities=permissions.managed_municipalities(user)
    )
    form.fields["municipality"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cover_areas.save_living_area(user, area.municipality, data["name"], data["towns"], area=area)
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, f"日常生活圏域「{area.name}」を保存しました。")
            return redirect("continuity:living_areas")
    return render(
        request,
        "continuity/living_area.html",
        {"area": area, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def living_area_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        area = cover_areas.living_area_for(request.user, pk)
    except LivingArea.DoesNotExist:
        raise Http404 from None
    cover_areas.delete_living_area(request.user, area)
    messages.success(request, f"日常生活圏域「{area.name}」を削除しました。町字は町字別に数えます。")
    return redirect("continuity:living_areas")


def cover_xlsx(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    region = permissions.home_region(request.user)
    if region is None:
        raise PermissionDenied
    content = services.cover_workbook(request.user, region)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="24h-cover.xlsx"'
    return response
