"""Pages of 入退院 coordination. Thin: each asks one service (which checks, refuses and logs) and
shows its result. The second factor is declared once, in :mod:`renkei.transitions.urls`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.forms import show_rule_errors
from renkei.core.http import AuthenticatedHttpRequest, personal_data_page
from renkei.core.models import Region, User
from renkei.core.pdf import pdf_response
from renkei.core.services import RuleError
from renkei.sharing.models import Patient
from renkei.sharing.services import patient_for
from renkei.transitions import deadlines, forms, services
from renkei.transitions.fhir_import import MAX_BYTES, FhirRefused
from renkei.transitions.models import DocumentKind, DocumentLink
from renkei.transitions.services import links as link_services

View = Callable[..., HttpResponseBase]


def patient_section(user: User, patient: Patient, access: Any) -> dict[str, Any] | None:
    """The patient page's 入退院 section (the page already checked and logged the read)."""
    episodes = services.patient_episodes(patient)
    today = timezone.localdate()
    return {
        "patient": patient,
        "episodes": [(episode, services.due_items(episode, today)) for episode in episodes],
        "can_add": access.can_post,
        "documents": list(patient.transition_documents.filter(episode=None).order_by("-created_at")[:20]),
    }


@personal_data_page
@require_http_methods(["GET", "POST"])
def new_episode(request: AuthenticatedHttpRequest, patient_pk: int) -> HttpResponseBase:
    patient = (
        patient_for(request.user, patient_pk, "can_post")[0]
        if request.method == "POST"  # the service called below logs what is written
        else services.patient_for_form(request.user, patient_pk)
    )
    form = forms.EpisodeForm(
        request.POST or None, patient=patient, initial={"admitted_at": timezone.localtime()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.create_episode(request.user, patient.pk, form.cleaned_data)
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "入院を記録しました。期限を確認してください。")
            return redirect("transitions:episode", pk=episode.pk)
    return render(
        request,
        "transitions/episode_form.html",
        {"form": form, "patient": patient, "episode": None},
        status=400 if form.errors else 200,
    )


@personal_data_page
@require_http_methods(["GET", "POST"])
def edit_episode(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    if request.method == "POST":
        episode, _ = services.episode_for(request.user, pk, "can_edit")
    else:
        episode, _ = services.read_episode(request.user, pk, "can_edit")
    fixed = [
        name
        for name in permissions.NAMING_FIELDS
        if not permissions.can_change_episode_field(request.user, episode, name)
    ]
    form = forms.EpisodeForm(request.POST or None, instance=episode, patient=episode.patient, fixed=fixed)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_episode(request.user, pk, form.cleaned_data)
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "入院の記録を更新しました。")
            return redirect("transitions:episode", pk=pk)
    return render(
        request,
        "transitions/episode_form.html",
        {"form": form, "patient": episode.patient, "episode": episode},
        status=400 if form.errors else 200,
    )


@personal_data_page
@require_http_methods(["GET"])
def episode_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    episode, access = services.read_episode(request.user, pk)
    return render(
        request,
        "transitions/episode.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "access": access,
            "items": services.due_items(episode),
            "documents": services.episode_documents(request.user, episode),
            "can_write_admission": permissions.can_write_document(request.user, episode, "admission_info"),
            "progress_form": forms.ProgressForm(initial={"at": timezone.localtime()}),
        },
    )


@personal_data_page
@require_POST
def record_progress(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponseBase:
    form = forms.ProgressForm(request.POST)
    at = form.cleaned_data["at"] if form.is_valid() else None
    if not form.is_valid():
        services.episode_for(request.user, pk, "can_edit")
        messages.error(request, "日時を正しく入力してください。")
        return redirect("transitions:episode", pk=pk)
    try:
        services.record_progress(request.user, pk, kind, at)
    except RuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "記録しました。")
    return redirect("transitions:episode", pk=pk)


@personal_data_page
@require_http_methods(["GET"])
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if not permissions.can_have_patients(request.user):
        raise PermissionDenied
    board = services.overdue_page(
        request.user,
        by=request.GET.get("by", "care_manager"),
        group=request.GET.get("group"),
        page=request.GET.get("page", 1),
    )
    return render(request, "transitions/dashboard.html", {"board": board, "by": board.by})


@personal_data_page
@require_http_methods(["GET", "POST"])
def rule(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    region = get_object_or_404(Region, slug=slug)
    if not permissions.can_set_transition_rule(request.user, region):
        raise PermissionDenied
    current = deadlines.rule_for(region)
    form = forms.RuleForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(request.user, region, form.cleaned_data)
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "入退院調整ルールを保存しました。入院中の方の期限も計算し直しました。")
            return redirect("transitions:rule", slug=slug)
    return render(
        request, "transitions/rule.html", {"form": form, "region": region}, status=400 if form.errors else 200
    )


@personal_data_page
@require_http_methods(["GET", "POST"])
def new_document(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponseBase:
    episode, initial = services.new_document(request.user, pk, kind)
    form = forms.DocumentForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.create_document(request.user, pk, kind, form.cleaned_data)
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "保存しました。")
            return redirect("transitions:document", pk=document.pk)
    return render(
        request,
        "transitions/document_form.html",
        {"form": form, "episode": episode, "kind_label": DocumentKind(kind).label},
        status=400 if form.errors else 200,
    )


@personal_data_page
@require_http_methods(["GET"])
def document_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    document = services.read_document(request.user, pk)
    episode = document.episode
    can_send = (
        document.kind == DocumentKind.ADMISSION_INFO
        and episode is not None
        and episode.liaison_user_id is not None
        and permissions.can_write_document(request.user, episode, document.kind)
    )
    return render(
        request,
        "transitions/document.html",
        {**services.page_context(document), **_links(request.user, document), "can_send": can_send},
    )


def _links(user: User, document: Any) -> dict[str, Any]:
    """The document's one-time links that ``user`` may revoke (sender and sender's organisation)."""
    links = permissions.revocable_links(user, document).select_related("created_by").order_by("-created_at")
    return {"links": list(links[:20]), "now": timezone.now()}


@personal_data_page
@require_POST
def send_document(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        services.send_document(request.user, pk)
    except RuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "地域連携室へ送りました。入院時情報提供を記録しました。")
    return redirect("transitions:document", pk=pk)


@personal_data_page
@require_http_methods(["GET"])
def document_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    document, content = services.document_pdf(request.user, pk)
    return pdf_response(content, f"{document.kind.replace('_', '-')}-{document.pk}.pdf")


@personal_data_page
@require_http_methods(["GET"])
def document_fhir(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        bundle = services.export_document(request.user, pk)
    except RuleError as exc:
        messages.error(request, exc.message)
        return redirect("transitions:document", pk=pk)
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False, indent=1), content_type="application/fhir+json"
    )
    response["Content-Disposition"] = f'attachment; filename="renkei-document-{pk}.fhir.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@personal_data_page
@require_http_methods(["GET", "POST"])
def import_fhir(request: AuthenticatedHttpRequest, patient_pk: int) -> HttpResponseBase:
    patient = (
        patient_for(request.user, patient_pk, "can_post")[0]
        if request.method == "POST"  # the service called below logs what is written
        else services.patient_for_form(request.user, patient_pk)
    )
    form = forms.FhirImportForm(request.POST or None, request.FILES or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        episode = form.cleaned_data["episode"]
        try:
            if upload.size > MAX_BYTES:  # bounded before reading
                raise FhirRefused(
                    "ファイルが大きすぎます（2MBまで）。", "file", code="fhir_too_large", status=413
                )
            raw = upload.read()
            document = services.import_document(
                request.user,
                raw,
                **({"episode_pk": episode.pk} if episode else {"patient_pk": patient.pk}),
            )
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "FHIR文書を取り込みました。")
            return redirect("transitions:document", pk=document.pk)
    return render(
        request,
        "transitions/import_fhir.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


@personal_data_page
@require_POST
def issue_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    link, url = services.issue_link(request.user, pk)
    document = services.read_document(request.user, pk)
    return render(
        request,
        "transitions/document.html",
        {
            **services.page_context(document),
            **_links(request.user, document),
            "issued_link": url,
            "link_expires_at": link.expires_at,
        },
    )


@personal_data_page
@require_POST
def revoke_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        link = link_services.revoke_link(request.user, pk)
    except RuleError as exc:
        messages.error(request, exc.message)
        document_pk = get_object_or_404(DocumentLink, pk=pk).document_id
    else:
        messages.success(request, "リンクを取り消しました。このリンクではもうダウンロードできません。")
        document_pk = link.document_id
    return redirect("transitions:document", pk=document_pk)


@personal_data_page
@require_http_methods(["GET"])
def download_link(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        document, bundle = link_services.download(token)
    except services.LinkRefused as exc:
        return render(request, "transitions/link_error.html", {"message": exc.message}, status=404)
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False, indent=1), content_type="application/fhir+json"
    )
    response["Content-Disposition"] = f'attachment; filename="renkei-document-{document.pk}.fhir.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
