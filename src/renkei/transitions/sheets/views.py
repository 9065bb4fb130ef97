"""Pages of the sheets: the staff's list and editor of their region's or municipality's sheets, and
filling and printing one on a patient's timeline. Thin: each asks one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.forms import show_rule_errors
from renkei.core.http import AuthenticatedHttpRequest, personal_data_page
from renkei.core.models import User
from renkei.core.pdf import pdf_response
from renkei.core.services import RuleError
from renkei.sharing.models import Patient
from renkei.transitions.models import SheetStatus, SheetVersion
from renkei.transitions.services import sheets as services
from renkei.transitions.sheets import forms, schema


def patient_section(user: User, patient: Patient, access: Any) -> dict[str, Any] | None:
    """The patient page's list of sheets the care team may fill (only for who writes there)."""
    if not access.can_post:
        return None
    return {"patient": patient, "versions": services.offered_versions(patient)}


@login_required
@require_http_methods(["GET", "POST"])
def sheet_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if not permissions.can_manage_sheets(request.user):
        raise PermissionDenied
    owners = permissions.sheet_owners(request.user)
    form = forms.DefinitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and owners:
        try:
            definition = services.create_definition(request.user, owners[0], form.cleaned_data["name"])
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "シートを作りました。項目を入力して公開してください。")
            return redirect("transitions:sheet_definition", pk=definition.pk)
    return render(
        request,
        "transitions/sheets/list.html",
        {"definitions": services.definitions_for(request.user), "form": form, "owners": owners},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def definition_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    definition = services.definition_for(request.user, pk)
    versions = list(definition.versions.order_by("-number"))
    draft = next((version for version in versions if version.status == SheetStatus.DRAFT), None)
    formset = None
    errors: list[str] = []
    if draft is not None:
        formset = forms.FieldFormSet(
            request.POST or None, initial=forms.formset_initial(draft.fields), prefix="fields"
        )
        if request.method == "POST" and formset.is_valid():
            try:
                services.save_draft(request.user, draft.pk, forms.fields_from(formset))
            except RuleError as exc:
                errors = [error["message"] for error in exc.errors]
            else:
                messages.success(request, f"第{draft.number}版の下書きを保存しました。")
                return redirect("transitions:sheet_definition", pk=definition.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "transitions/sheets/definition.html",
        {
            "definition": definition,
            "versions": versions,
            "draft": draft,
            "formset": formset,
            "errors": errors,
            "kinds": schema.KIND_LABELS,
        },
        status=400
        if errors or (formset is not None and formset.is_bound and not formset.is_valid())
        else 200,
    )


@login_required
@require_POST
def publish_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    version = get_object_or_404(SheetVersion, pk=pk)
    try:
        services.publish(request.user, version.pk)
    except RuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"第{version.number}版を公開しました。前の版は記入済みのシートの表示に残ります。"
        )
    return redirect("transitions:sheet_definition", pk=version.definition_id)


@login_required
@require_POST
def new_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    version = services.new_version(request.user, pk)
    messages.success(request, f"第{version.number}版の下書きを作りました。")
    return redirect("transitions:sheet_definition", pk=pk)


@login_required
def version_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """A version's fields as they were (an old version stays readable)."""
    version = get_object_or_404(SheetVersion.objects.select_related("definition"), pk=pk)
    services.definition_for(request.user, version.definition_id)
    return render(
        request, "transitions/sheets/version.html", {"version": version, "kinds": schema.KIND_LABELS}
    )


@personal_data_page
@require_http_methods(["GET", "POST"])
def fill(request: AuthenticatedHttpRequest, patient_pk: int, version_pk: int) -> HttpResponseBase:
    try:
        patient, version = services.version_to_fill(request.user, patient_pk, version_pk)
    except RuleError as exc:
        messages.error(request, exc.message)
        return redirect("sharing:patient", pk=patient_pk)
    form = forms.AnswerForm(request.POST or None, fields=version.fields)
    if request.method == "POST" and form.is_valid():
        try:
            services.fill_sheet(
                request.user, patient.pk, version.pk, form.answers(), urgent=form.cleaned_data["urgent"]
            )
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, f"{version.definition.name}をタイムラインに投稿しました。")
            return redirect("sharing:patient", pk=patient.pk)
    return render(
        request,
        "transitions/sheets/fill.html",
        {"form": form, "patient": patient, "version": version},
        status=400 if form.errors else 200,
    )


@personal_data_page
@require_http_methods(["GET", "POST"])
def collaboration_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The address of the retired fixed form (``/patients/<pk>/sheets/new/``, kept for bookmarks):
    who may write on the timeline goes on to the region's current 多職種連携シート. A redirect that
    is not permanent, as the version it names changes when the region publishes another."""
    patient, version = services.collaboration_version(request.user, pk)
    if version is None:
        messages.error(
            request,
            "この利用者の圏域には公開中の多職種連携シートがありません。"
            "圏域の管理者に様式の公開を依頼するか、下の「連携シート」から公開中のシートを選んでください。",
        )
        return redirect("sharing:patient", pk=patient.pk)
    return redirect("transitions:sheet_fill", patient_pk=patient.pk, version_pk=version.pk)


@personal_data_page
def filled_pdf(request: AuthenticatedHttpRequest, patient_pk: int, post_id: int) -> HttpResponseBase:
    filled, content = services.print_filled_sheet(request.user, patient_pk, post_id)
    return pdf_response(content, f"sheet-{filled.post_id}.pdf")
