"""Pages of 消防・警察への提供: the owner's consent page, the municipality's agencies and grants, and
the agency's search and read-only kit. Thin: the services check, refuse and log. All are behind the
second factor (:mod:`renkei.continuity.urls`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from renkei.continuity import emergency_forms as forms
from renkei.continuity.services import emergency_services as services
from renkei.core import permissions
from renkei.core.forms import show_rule_errors
from renkei.core.http import AuthenticatedHttpRequest, personal_data_page
from renkei.core.services import RuleError
from renkei.sharing.services import patient_for

# --- the owner's page: consent and the agencies' reads ----------------------------------------


@personal_data_page
@require_http_methods(["GET", "POST"])
def patient_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    patient, access = patient_for(user, pk)
    can_record = permissions.can_record_emergency_services_consent(access)
    consent = services.consent_in_force(patient)
    form = forms.ServicesConsentForm(request.POST or None) if can_record and consent is None else None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                services.withdraw_emergency_services_consent(user, patient)
                messages.success(
                    request, "消防・警察への提供の同意の撤回を記録しました。提供は直ちに止まります。"
                )
                return redirect("continuity:emergency_services", pk=patient.pk)
            if form is None:
                raise PermissionDenied
            if form.is_valid():
                services.record_emergency_services_consent(user, patient, form.cleaned_data)
                messages.success(request, "消防・警察への提供の同意を記録しました。")
                return redirect("continuity:emergency_services", pk=patient.pk)
        except RuleError as exc:
            if form is None:
                messages.error(request, exc.message)
                return redirect("continuity:emergency_services", pk=patient.pk)
            show_rule_errors(form, exc)
    reads = (
        list(services.agency_reads_of_patient(user, patient)[:200])
        if permissions.can_view_agency_reads(access)
        else None
    )
    return render(
        request,
        "continuity/emergency_services.html",
        {
            "patient": patient,
            "consent": consent,
            "history": services.consent_history(patient),
            "form": form,
            "can_record": can_record,
            "reads": reads,
        },
        status=400 if form is not None and form.errors else 200,
    )


# --- the municipality: agencies, named accounts, grants, reads ---------------------------------


def _manage_forms(request: AuthenticatedHttpRequest) -> tuple[forms.AgencyAccountForm, forms.GrantForm]:
    user = request.user
    agencies = permissions.agencies_for(user).order_by("municipality__code", "kana", "pk")
    kind = request.POST.get("form") if request.method == "POST" else None
    account = forms.AgencyAccountForm(
        request.POST if kind == "account" else None, agencies=agencies, prefix="account"
    )
    grant = forms.GrantForm(
        request.POST if kind == "grant" else None,
        agencies=agencies,
        municipalities=permissions.managed_municipalities(user),
        prefix="grant",
    )
    return account, grant


def _save(request: AuthenticatedHttpRequest, account_form, grant_form) -> bool:
    user = request.user
    form = account_form if account_form.is_bound else grant_form
    if not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    try:
        if form is account_form:
            made = services.create_agency_account(user, data.pop("agency"), data)
            messages.success(
                request,
                f"{made.full_name}さんのアカウント（{made.username}）を作りました。本人がパスワードを設定します。",
            )
        else:
            services.grant_agency_access(
                user, data["municipality"], data["agency"], data["starts_at"], data["ends_at"]
            )
            messages.success(request, "提供を許可しました。")
    except RuleError as exc:
        show_rule_errors(form, exc)
        return False
    return True


@personal_data_page
@require_http_methods(["GET", "POST"])
def agencies(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    user = request.user
    if not permissions.can_manage_agencies(user):
        raise PermissionDenied
    account_form, grant_form = _manage_forms(request)
    if request.method == "POST" and _save(request, account_form, grant_form):
        return redirect("continuity:agencies")
    agency_list = [
        (agency, services.agency_accounts(agency))
        for agency in permissions.agencies_for(user).order_by("municipality__code", "kana", "pk")
    ]
    reads = [
        (municipality, list(services.agency_reads_of_municipality(user, municipality)[:200]))
        for municipality in permissions.managed_municipalities(user)
    ]
    return render(
        request,
        "continuity/agencies.html",
        {
            "agencies": agency_list,
            "grants": services.grants_of(user),
            "reads": reads,
            "account_form": account_form,
            "grant_form": grant_form,
            "now": timezone.now(),
        },
        status=400 if account_form.errors or grant_form.errors else 200,
    )


@personal_data_page
@require_POST
def grant_end(request: AuthenticatedHttpRequest, grant_id: int) -> HttpResponseBase:
    services.end_grant(request.user, grant_id)
    messages.success(request, "提供を終了しました。")
    return redirect("continuity:agencies")


@personal_data_page
@require_POST
def account_deactivate(request: AuthenticatedHttpRequest, account_id: int) -> HttpResponseBase:
    account = services.deactivate_agency_account(request.user, account_id)
    messages.success(request, f"{account.full_name}さんのアカウントを無効にしました。")
    return redirect("continuity:agencies")


# --- the agency's view ------------------------------------------------------------------------


@personal_data_page
def agency_search(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    user = request.user
    if not permissions.is_emergency_services(user):
        raise PermissionDenied
    form = forms.ResidentSearchForm(request.GET or None)
    found = services.search_residents(user, form.cleaned_data["q"]) if form.is_valid() else None
    return render(request, "continuity/agency_search.html", {"form": form, "found": found})


@personal_data_page
def agency_kit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    if not permissions.is_emergency_services(request.user):
        raise PermissionDenied
    patient, values = services.agency_kit(request.user, pk)
    return render(request, "continuity/agency_kit.html", {"patient": patient, "values": values})
