"""Pages of care-team sharing. Thin: permissions from core.permissions, rules from services."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, User
from renkei.core.two_factor import otp_required
from renkei.sharing import files, forms, pdf, services
from renkei.sharing.models import Attachment, CareTeamMembership, Consent, Patient, PostCategory

HOME_PAGE_SIZE = 50


def sharing_view(view):
    """Logged in with the second factor, never cached: every page of this app shows or changes
    personal data."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        return response

    return otp_required(never_cache(wrapped))


def _patient_and_access(request: HttpRequest, pk: int, need: str = "can_view"):
    """The patient and what the user may do with it; PermissionDenied (logged) unless ``need``."""
    patient = get_object_or_404(Patient.objects.select_related("organization__municipality"), pk=pk)
    access = permissions.patient_access(request.user, patient)
    if not getattr(access, need):
        services.log(request, patient, AccessLog.Action.DENIED)
        raise PermissionDenied
    return patient, access


def _patient_for(request: HttpRequest, pk: int, need: str = "can_view") -> Patient:
    return _patient_and_access(request, pk, need)[0]


def _private_file(path, content_type: str, filename: str) -> FileResponse:
    response = FileResponse(
        open(path, "rb"), content_type=content_type, as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@sharing_view
def home(request: HttpRequest) -> HttpResponse:
    if not permissions.can_have_patients(request.user):
        raise PermissionDenied
    entries = Paginator(services.home_list(request.user), HOME_PAGE_SIZE).get_page(_page_number(request))
    return render(
        request,
        "sharing/home.html",
        {
            "entries": entries,
            "emergencies": services.emergency_accesses(request.user),
            "can_register": permissions.can_register_patient(request.user),
        },
    )


@sharing_view
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if not permissions.can_register_patient(request.user):
        raise PermissionDenied
    region = permissions.home_region(request.user)
    form = forms.RegisterPatientForm(
        request.POST or None,
        region=region,
        initial={
            "team_role": services.default_team_role(request.user),
            "municipality": request.user.organization.municipality_id,
        },
    )
    duplicates = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm_not_duplicate")
        team_role = data.pop("team_role")
        duplicates = services.is_possible_duplicate(
            request, request.user, data["full_name_kana"], data["birth_date"]
        )
        if duplicates and not confirmed:
            form.add_error(
                None,
                "同じふりがな・生年月日の利用者が圏域内ですでに登録されています。同じ方であれば新しく登録せず、"
                "その利用者を登録した組織にケアチームへの招待を依頼してください。別の方であれば確認欄にチェックを入れて登録してください。",
            )
        else:
            try:
                patient = services.register_patient(request, request.user, data, team_role=team_role)
            except ValidationError as exc:
                for field_name, errors in exc.message_dict.items():
                    form.add_error(field_name if field_name in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    "利用者を登録しました。ほかの組織と共有する前に、本人・家族の同意を記録してください。",
                )
                return redirect("sharing:patient", pk=patient.pk)
    if not duplicates:
        # The confirmation box is offered only next to a duplicate warning.
        del form.fields["confirm_not_duplicate"]
    return render(
        request,
        "sharing/register.html",
        {"form": form, "duplicates": duplicates},
        status=400 if form.errors else 200,
    )


@sharing_view
def patient_page(request: HttpRequest, pk: int) -> HttpResponse:
    patient, access = _patient_and_access(request, pk)
    page = services.timeline(patient, _page_number(request))
    services.log(request, patient, AccessLog.Action.VIEW, access=access)
    if access.member:
        services.mark_read(request.user, page.unread_by(request.user))
    return render(
        request,
        "sharing/patient.html",
        {
            "patient": patient,
            "page": page,
            "consent": access.consented,
            "emergency": access.emergency_view,
            "can_post": access.can_post,
            "can_manage": access.can_manage,
            "post_form": forms.PostForm(),
            "categories": PostCategory.choices,
        },
    )


@sharing_view
@require_http_methods(["GET", "POST"])
def edit_patient(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _patient_for(request, pk, "can_edit_patient")
    form = forms.PatientForm(
        request.POST or None, instance=patient, region=patient.organization.municipality.region
    )
    if request.method == "POST" and form.is_valid():
        services.update_patient(request, request.user, patient, form.cleaned_data)
        messages.success(request, "利用者の基本情報を更新しました。")
        return redirect("sharing:patient", pk=patient.pk)
    if request.method == "GET":
        services.log(request, patient, AccessLog.Action.VIEW, "patient_form", patient.pk)
    return render(
        request, "sharing/edit.html", {"form": form, "patient": patient}, status=400 if form.errors else 200
    )


@sharing_view
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _patient_for(request, pk, "can_record_consent")
    form = forms.ConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        scan = data.pop("scan_file")
        try:
            services.record_consent(request, request.user, patient, data, scan=scan)
        except files.UploadRejected as exc:
            form.add_error("scan_file", str(exc))
        except services.SharingError as exc:  # another consent is in force (the page shows it)
            messages.error(request, str(exc))
            return redirect("sharing:consent", pk=patient.pk)
        else:
            messages.success(
                request, "同意を記録しました。ケアチームの全員が記録を見られるようになりました。"
            )
            return redirect("sharing:patient", pk=patient.pk)
    history = patient.consents.select_related("recorded_by", "withdrawn_by")
    services.log(request, patient, AccessLog.Action.VIEW, "consent_history", patient.pk)
    return render(
        request,
        "sharing/consent.html",
        {
            "form": form,
            "patient": patient,
            "history": history,
            "active": services.active_consent(patient),
            "withdraw_form": forms.WithdrawConsentForm(),
        },
        status=400 if form.errors else 200,
    )


@sharing_view
@require_POST
def withdraw_consent(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _patient_for(request, pk, "can_record_consent")
    form = forms.WithdrawConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤回の経緯を入力してください。")
        return redirect("sharing:consent", pk=patient.pk)
    try:
        ended = services.withdraw_consent(request, request.user, patient, form.cleaned_data["note"])
    except services.SharingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"同意の撤回を記録しました。登録組織以外の{ended}人のケアチーム参加を終了しました。"
        )
    return redirect("sharing:consent", pk=patient.pk)


@sharing_view
def consent_scan(request: HttpRequest, pk: int, consent_id: int) -> HttpResponse:
    patient, access = _patient_and_access(request, pk)
    record = get_object_or_404(Consent, pk=consent_id, patient=patient)
    if not record.scan:
        raise Http404
    services.log(request, patient, AccessLog.Action.DOWNLOAD, "consent_scan", record.pk, access=access)
    extension = files.EXTENSIONS[record.scan_content_type]
    return _private_file(
        files.path_of(record.scan), record.scan_content_type, f"consent-{record.pk}.{extension}"
    )


@sharing_view
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, pk: int) -> HttpResponse:
    patient, access = _patient_and_access(request, pk)
    can_manage = access.can_manage
    # Searches are posted, not put in the address: names of people never appear in URLs.
    searching = request.method == "POST" and "user_id" not in request.POST
    search = forms.InviteSearchForm(request.POST if searching else None)
    found: list[User] = []
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    if searching and search.is_valid():
        found = services.search_invitees(request.user, patient, search.cleaned_data["q"])
    if request.method == "POST" and not searching:
        invite = forms.InviteForm(request.POST)
        if invite.is_valid():
            invitee = User.objects.filter(pk=invite.cleaned_data["user_id"]).first()
            try:
                if invitee is None:
                    raise services.SharingError("招待する方が見つかりません。")
                services.invite(request, request.user, patient, invitee, invite.cleaned_data["team_role"])
            except services.SharingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"{invitee.get_full_name()}さんをケアチームに招待しました。")
        return redirect("sharing:team", pk=patient.pk)
    services.log(request, patient, AccessLog.Action.VIEW, "care_team", patient.pk, access=access)
    former = (
        CareTeamMembership.objects.filter(patient=patient)
        .exclude(left_at=None)
        .select_related("user", "user__organization")
        .order_by("-left_at")
    )
    return render(
        request,
        "sharing/team.html",
        {
            "patient": patient,
            "members": services.current_members(patient),
            "former": former,
            "can_manage": can_manage,
            "search": search,
            "found": found,
            "invite_form": forms.InviteForm(
                initial={"team_role": ""},
            ),
            "is_member": access.member,
            "has_consent": access.consented,
        },
    )


@sharing_view
@require_POST
def remove_member(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    patient = _patient_for(request, pk, "can_manage")
    membership = get_object_or_404(CareTeamMembership, pk=membership_id, patient=patient, left_at=None)
    try:
        services.end_membership(request, request.user, membership, CareTeamMembership.EndReason.REMOVED)
    except services.SharingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{membership.user.get_full_name()}さんをケアチームから外しました。")
    return redirect("sharing:team", pk=patient.pk)


@sharing_view
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    membership = permissions.current_membership(request.user, patient)
    if membership is None:
        raise PermissionDenied
    try:
        services.end_membership(request, request.user, membership, CareTeamMembership.EndReason.LEFT)
    except services.SharingError as exc:
        messages.error(request, str(exc))
        return redirect("sharing:team", pk=patient.pk)
    messages.success(request, "ケアチームから脱退しました。")
    return redirect("sharing:home")


@sharing_view
@require_POST
def create_post(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _patient_for(request, pk, "can_post")
    form = forms.PostForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.create_post(
                request,
                request.user,
                patient,
                category=form.cleaned_data["category"],
                urgent=form.cleaned_data["urgent"],
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["files"],
            )
        except (files.UploadRejected, services.SharingError) as exc:
            form.add_error("files" if isinstance(exc, files.UploadRejected) else None, str(exc))
        else:
            messages.success(request, "投稿しました。")
            return redirect("sharing:patient", pk=patient.pk)
    return render(request, "sharing/post_error.html", {"patient": patient, "form": form}, status=400)


@sharing_view
@require_POST
def reply(request: HttpRequest, pk: int, post_id: int) -> HttpResponse:
    patient = _patient_for(request, pk, "can_post")
    parent = get_object_or_404(patient.posts, pk=post_id, parent=None)
    form = forms.ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.create_post(
                request,
                request.user,
                patient,
                category=parent.category,
                body=form.cleaned_data["body"],
                parent=parent,
                uploads=form.cleaned_data["files"],
            )
        except (files.UploadRejected, services.SharingError) as exc:
            form.add_error("files" if isinstance(exc, files.UploadRejected) else None, str(exc))
        else:
            messages.success(request, "返信しました。")
            return redirect("sharing:patient", pk=patient.pk)
    return render(request, "sharing/post_error.html", {"patient": patient, "form": form}, status=400)


@sharing_view
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    patient, access = _patient_and_access(request, pk)
    item = get_object_or_404(Attachment, pk=attachment_id, post__patient=patient)
    services.log(request, patient, AccessLog.Action.DOWNLOAD, "attachment", item.pk, access=access)
    return _private_file(files.path_of(item.stored_name), item.content_type, item.original_name)


@sharing_view
@require_http_methods(["GET", "POST"])
def new_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _patient_for(request, pk, "can_post")
    form = forms.CollaborationSheetForm(
        request.POST or None, initial={"contact_person": request.user.get_full_name()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        urgent = data.pop("urgent")
        try:
            services.create_post(
                request,
                request.user,
                patient,
                category=PostCategory.CONTACT,
                urgent=urgent,
                body="",
                sheet=data,
            )
        except (ValidationError, services.SharingError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "多職種連携シートをタイムラインに投稿しました。")
            return redirect("sharing:patient", pk=patient.pk)
    return render(
        request,
        "sharing/sheet_form.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


@sharing_view
def sheet_pdf(request: HttpRequest, pk: int, post_id: int) -> HttpResponse:
    patient, access = _patient_and_access(request, pk)
    post = get_object_or_404(patient.posts.select_related("sheet", "author__organization"), pk=post_id)
    if not hasattr(post, "sheet"):
        raise Http404
    content = pdf.collaboration_sheet_pdf(post)
    services.log(request, patient, AccessLog.Action.PRINT, "collaboration_sheet", post.pk, access=access)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="collaboration-sheet-{post.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@sharing_view
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    patient, access = _patient_and_access(request, pk, "can_view_access_log")
    services.log(request, patient, AccessLog.Action.VIEW, "access_log", patient.pk, access=access)
    paginator = Paginator(services.patient_access_log(patient), 50)
    page = paginator.get_page(_page_number(request))
    page.object_list = services.with_emergency_reasons(page.object_list)
    return render(request, "sharing/access_log.html", {"patient": patient, "page": page})


@sharing_view
@require_http_methods(["GET", "POST"])
def emergency(request: HttpRequest) -> HttpResponse:
    """Break the glass: find a record by exact kana and birth date, give a reason, read for 4 hours."""
    if not permissions.can_have_patients(request.user):
        raise PermissionDenied
    # Posted, never in the address: the search holds a name and a birth date.
    search = forms.EmergencySearchForm(request.POST if request.method == "POST" else None)
    found = []
    if search.is_bound and search.is_valid():
        found = services.find_for_emergency(
            request, request.user, search.cleaned_data["full_name_kana"], search.cleaned_data["birth_date"]
        )
    return render(
        request,
        "sharing/emergency.html",
        {
            "search": search,
            "found": found,
            "reason_form": forms.EmergencyAccessForm(),
            "hours": services.EMERGENCY_HOURS,
        },
    )


@sharing_view
@require_POST
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.select_related("organization__municipality"), pk=pk)
    if not permissions.can_break_glass(request.user, patient):
        services.log(request, patient, AccessLog.Action.DENIED)
        raise PermissionDenied
    form = forms.EmergencyAccessForm(request.POST)
    if not form.is_valid():
        messages.error(request, "緊急アクセスの理由を具体的に（10文字以上）書いてください。")
        return redirect("sharing:emergency")
    try:
        services.break_glass(request, request.user, patient, form.cleaned_data["reason"])
    except services.SharingError as exc:
        messages.error(request, str(exc))
        return redirect("sharing:emergency")
    messages.warning(
        request,
        f"緊急アクセスを開始しました（{services.EMERGENCY_HOURS}時間）。閲覧はすべて記録され、登録組織に通知されました。",
    )
    return redirect("sharing:patient", pk=patient.pk)


@sharing_view
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if not permissions.can_have_patients(request.user):
        raise PermissionDenied
    preference = services.preference(request.user)
    form = forms.NotificationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["mode"] == preference.Mode.DIGEST:
            form.instance.covered_until = timezone.now()
        form.save()
        messages.success(request, "通知の設定を保存しました。")
        return redirect("sharing:notifications")
    return render(request, "sharing/notifications.html", {"form": form})


@sharing_view
def audit(request: HttpRequest) -> HttpResponse:
    region = permissions.home_region(request.user)
    if region is None or not permissions.can_export_access_log(request.user, region):
        raise PermissionDenied
    form = forms.AccessLogExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = services.region_access_log(region, start, end)
        record_access(
            request, action=AccessLog.Action.EXPORT, subject_type="access_log", subject_id=region.pk
        )
        response = StreamingHttpResponse(services.export_rows(rows), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(request, "sharing/audit.html", {"form": form, "region": region})
