"""Pages of care-team sharing. Thin: each asks one service (which checks, refuses and logs) and
shows its result. The second factor is declared once, in :mod:`renkei.sharing.urls`."""

from __future__ import annotations

from collections.abc import Callable

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.forms import show_rule_errors
from renkei.core.http import AuthenticatedHttpRequest, personal_data_page
from renkei.core.models import User
from renkei.core.pdf import pdf_response
from renkei.sharing import files, forms, sections, services
from renkei.sharing.models import CareTeamMembership, Patient, Post, PostCategory
from renkei.sharing.services.timeline import MAX_PAGE

HOME_PAGE_SIZE = 50
DUPLICATE_WARNING = (
    "同じふりがな・生年月日の利用者が圏域内ですでに登録されています。同じ方であれば新しく登録せず、"
    "その利用者を登録した組織にケアチームへの招待を依頼してください。別の方であれば確認欄にチェックを入れて登録してください。"
)

View = Callable[..., HttpResponseBase]


def _page_number(request: AuthenticatedHttpRequest) -> int:
    try:
        return min(max(1, int(request.GET.get("page", "1"))), MAX_PAGE)
    except ValueError:
        return 1


@personal_data_page
def home(request: AuthenticatedHttpRequest) -> HttpResponseBase:
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


@personal_data_page
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    user = request.user
    if not permissions.can_register_patient(user):
        raise PermissionDenied
    searching = _searching_physician(request)
    form = forms.RegisterPatientForm(
        None if searching else request.POST or None,
        region=permissions.home_region(user),
        initial=request.POST.dict()
        if searching
        else {
            "team_role": services.default_team_role(user),
            "municipality": user.organization.municipality_id if user.organization else None,
        },
    )
    duplicates = False
    refused = 400
    if request.method == "POST" and not searching and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm_not_duplicate")
        team_role = data.pop("team_role")
        try:
            patient = services.register_patient(
                user, data, team_role=team_role, confirmed_not_duplicate=confirmed
            )
        except services.SharingError as exc:
            duplicates = exc.code == "possible_duplicate"
            if duplicates:
                form.add_error(None, DUPLICATE_WARNING)
            else:
                show_rule_errors(form, exc)
            refused = exc.status or 400
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
        status=(400 if refused == 409 else refused) if form.errors else 200,
    )


def _searching_physician(request: AuthenticatedHttpRequest) -> bool:
    """「検索」 under かかりつけ医 (the page without its script): the form comes back as it was typed,
    with the matches to choose from, and nothing is saved."""
    return request.method == "POST" and "find_physician" in request.POST


def physician_search(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The かかりつけ医 matches for the patient form's script (search as you type)."""
    if not permissions.can_have_patients(request.user):
        raise PermissionDenied
    matches = services.search_physicians(
        permissions.home_region(request.user), request.GET.get("q", "")[:100]
    )
    return JsonResponse({"results": [match.as_json() for match in matches]})


def _ended_by_withdrawal(request: AuthenticatedHttpRequest, pk: int) -> CareTeamMembership | None:
    """The former member's last membership, when it ended because the consent was withdrawn: they are
    told why they no longer see the record (nothing more than the record's number)."""
    last = (
        CareTeamMembership.objects.filter(patient_id=pk, user=request.user)
        .order_by("-joined_at", "-pk")
        .first()
    )
    if (
        last is None
        or last.left_at is None
        or last.end_reason != CareTeamMembership.EndReason.CONSENT_WITHDRAWN
    ):
        return None
    return last


@personal_data_page
def patient_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        patient, access = services.patient_for(request.user, pk)
    except PermissionDenied:
        ended = _ended_by_withdrawal(request, pk)
        if ended is None:
            raise
        return render(request, "sharing/access_ended.html", {"patient_id": pk, "ended": ended}, status=403)
    page = services.patient_page(request.user, patient, access, _page_number(request))
    return render(
        request,
        "sharing/patient.html",
        {
            "patient": patient,
            "page": page,
            "consent": access.consented,
            "emergency": access.emergency_view,
            "emergency_notices": services.emergency_notices(patient)[:20] if page.number == 1 else [],
            "can_post": access.can_post,
            "can_manage": access.can_manage,
            "post_form": forms.PostForm(),
            "categories": PostCategory.choices,
            "top_sections": sections.sections_for(request.user, patient, access, sections.TOP),
            "sections": sections.sections_for(request.user, patient, access),
        },
    )


@personal_data_page
@require_http_methods(["GET", "POST"])
def edit_patient(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    patient, _ = services.patient_for(request.user, pk, "can_edit_patient")
    searching = _searching_physician(request)
    form = forms.PatientForm(
        None if searching else request.POST or None,
        initial=request.POST.dict() if searching else None,
        instance=patient,
        region=patient.organization.municipality.region,
    )
    if request.method == "POST" and not searching and form.is_valid():
        try:
            services.update_patient(request.user, patient, form.cleaned_data)
        except services.SharingError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "利用者の基本情報を更新しました。")
            return redirect("sharing:patient", pk=patient.pk)
    if request.method == "GET":
        services.open_patient_form(request.user, patient)
    return render(
        request, "sharing/edit.html", {"form": form, "patient": patient}, status=400 if form.errors else 200
    )


@personal_data_page
@require_http_methods(["GET", "POST"])
def consent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    patient, _ = services.patient_for(request.user, pk, "can_record_consent")
    form = forms.ConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        scan = data.pop("scan_file")
        try:
            services.record_consent(request.user, patient, data, scan=scan)
        except files.UploadRejected as exc:
            form.add_error("scan_file", str(exc))
        except services.SharingError as exc:
            if exc.code != "consent_exists":
                show_rule_errors(form, exc)
            else:  # another consent is in force (the page shows it)
                messages.error(request, str(exc))
                return redirect("sharing:consent", pk=patient.pk)
        else:
            messages.success(
                request, "同意を記録しました。ケアチームの全員が記録を見られるようになりました。"
            )
            return redirect("sharing:patient", pk=patient.pk)
    history = services.consent_history(request.user, patient)
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


@personal_data_page
@require_POST
def withdraw_consent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    patient, _ = services.patient_for(request.user, pk, "can_record_consent")
    form = forms.WithdrawConsentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("sharing:consent", pk=patient.pk)
    try:
        ended = services.withdraw_consent(request.user, patient, form.cleaned_data["note"])
    except services.SharingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"同意の撤回を記録しました。登録組織以外の{ended}人のケアチーム参加を終了しました。"
        )
    return redirect("sharing:consent", pk=patient.pk)


@personal_data_page
def consent_scan(request: AuthenticatedHttpRequest, pk: int, consent_id: int) -> HttpResponseBase:
    patient, access = services.patient_for(request.user, pk)
    record = services.open_consent_scan(request.user, patient, consent_id, access=access)
    extension = files.EXTENSIONS[record.scan_content_type]
    return files.download(record.scan, record.scan_content_type, f"consent-{record.pk}.{extension}")


def _invite(request: AuthenticatedHttpRequest, patient: Patient) -> None:
    invite = forms.InviteForm(request.POST)
    if not invite.is_valid():
        return
    invitee = User.objects.filter(pk=invite.cleaned_data["user_id"]).first()
    try:
        if invitee is None:
            raise services.SharingError("招待する方が見つかりません。")
        services.invite(request.user, patient, invitee, invite.cleaned_data["team_role"])
    except services.SharingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{invitee.get_full_name()}さんをケアチームに招待しました。")


@personal_data_page
@require_http_methods(["GET", "POST"])
def team(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    patient, access = services.patient_for(request.user, pk)
    # Searches are posted, not put in the address: names of people never appear in URLs.
    searching = request.method == "POST" and "user_id" not in request.POST
    search = forms.InviteSearchForm(request.POST if searching else None)
    found: list[tuple[User, str]] = []
    if request.method == "POST" and not access.can_manage:
        raise PermissionDenied
    if searching and search.is_valid():
        # Each found person's role is pre-set from their profession (still changeable).
        found = [
            (person, services.default_team_role(person))
            for person in services.search_invitees(request.user, patient, search.cleaned_data["q"])
        ]
    if request.method == "POST" and not searching:
        _invite(request, patient)
        return redirect("sharing:team", pk=patient.pk)
    members, former = services.care_team(request.user, patient, access=access)
    return render(
        request,
        "sharing/team.html",
        {
            "patient": patient,
            "members": members,
            "former": former,
            "can_manage": access.can_manage,
            "search": search,
            "found": found,
            "invite_form": forms.InviteForm(initial={"team_role": ""}),
            "is_member": access.member,
            "has_consent": access.consented,
        },
    )


@personal_data_page
@require_POST
def remove_member(request: AuthenticatedHttpRequest, pk: int, membership_id: int) -> HttpResponseBase:
    try:
        membership = services.remove_member(request.user, pk, membership_id)
    except services.SharingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{membership.user.get_full_name()}さんをケアチームから外しました。")
    return redirect("sharing:team", pk=pk)


@personal_data_page
@require_POST
def leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    patient = get_object_or_404(Patient, pk=pk)
    try:
        services.leave_team(request.user, patient)
    except services.SharingError as exc:
        messages.error(request, str(exc))
        return redirect("sharing:team", pk=patient.pk)
    messages.success(request, "ケアチームから脱退しました。")
    return redirect("sharing:home")


def _post_error(
    request: AuthenticatedHttpRequest, patient: Patient, form: django_forms.Form, parent: Post | None = None
) -> HttpResponse:
    """The refused post or reply again, its text kept and what was refused (a file by name) on top."""
    return render(
        request, "sharing/post_error.html", {"patient": patient, "form": form, "parent": parent}, status=400
    )


@personal_data_page
@require_POST
def create_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    patient, _ = services.patient_for(request.user, pk, "can_post")
    form = forms.PostForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.create_post(
                request.user,
                patient,
                category=form.cleaned_data["category"],
                urgent=form.cleaned_data["urgent"],
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["files"],
            )
        except files.UploadRejected as exc:
            form.add_error("files", str(exc))
        except services.SharingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "投稿しました。")
            return redirect("sharing:patient", pk=patient.pk)
    return _post_error(request, patient, form)


@personal_data_page
@require_POST
def reply(request: AuthenticatedHttpRequest, pk: int, post_id: int) -> HttpResponseBase:
    patient, _ = services.patient_for(request.user, pk, "can_post")
    parent = get_object_or_404(patient.posts, pk=post_id, parent=None)
    form = forms.ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.create_post(
                request.user,
                patient,
                category=parent.category,
                body=form.cleaned_data["body"],
                parent=parent,
                uploads=form.cleaned_data["files"],
            )
        except files.UploadRejected as exc:
            form.add_error("files", str(exc))
        except services.SharingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "返信しました。")
            return redirect("sharing:patient", pk=patient.pk)
    return _post_error(request, patient, form, parent)


@personal_data_page
def attachment(request: AuthenticatedHttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    patient, access = services.patient_for(request.user, pk)
    # An image opens in the browser (sandboxed); anything else, or 「ダウンロード」, downloads.
    inline = request.GET.get("download") != "1"
    item = services.open_attachment(request.user, patient, attachment_id, access=access, inline=inline)
    if inline and files.is_image(item.content_type):
        return files.show_inline(item.stored_name, item.content_type, item.original_name)
    return files.download(item.stored_name, item.content_type, item.original_name)


@personal_data_page
def attachment_thumbnail(request: AuthenticatedHttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    patient, access = services.patient_for(request.user, pk)
    item = services.open_attachment_thumbnail(request.user, patient, attachment_id, access=access)
    try:
        return files.thumbnail(item.stored_name, item.content_type)
    except files.NotAnImage:
        raise Http404 from None


@personal_data_page
def sheet_pdf(request: AuthenticatedHttpRequest, pk: int, post_id: int) -> HttpResponseBase:
    patient, access = services.patient_for(request.user, pk)
    post, content = services.print_sheet(request.user, patient, post_id, access=access)
    return pdf_response(content, f"collaboration-sheet-{post.pk}.pdf")


@personal_data_page
def access_log(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    patient, access = services.patient_for(request.user, pk, "can_view_access_log")
    paginator = Paginator(services.read_access_log(request.user, patient, access=access), 50)
    page = paginator.get_page(_page_number(request))
    page.object_list = services.with_emergency_reasons(page.object_list)
    return render(request, "sharing/access_log.html", {"patient": patient, "page": page})


@personal_data_page
@require_http_methods(["GET", "POST"])
def emergency(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Break the glass: find a record by exact kana and birth date, give a reason, read for 4 hours."""
    if not permissions.can_have_patients(request.user):
        raise PermissionDenied
    # Posted, never in the address: the search holds a name and a birth date.
    search = forms.EmergencySearchForm(request.POST if request.method == "POST" else None)
    found: list[Patient] = []
    reason_form = None
    if search.is_bound and search.is_valid():
        found = services.find_for_emergency(
            request.user, search.cleaned_data["full_name_kana"], search.cleaned_data["birth_date"]
        )
        reason_form = forms.EmergencyAccessForm(
            initial={key: search.cleaned_data[key] for key in ("full_name_kana", "birth_date")}
        )
    return render(
        request,
        "sharing/emergency.html",
        {
            "search": search,
            "found": found,
            "reason_form": reason_form,
            "hours": services.EMERGENCY_HOURS,
            "limit": services.emergency_limit(permissions.home_region(request.user)),
        },
    )


@personal_data_page
@require_POST
def break_glass(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Open the record the search found (its ふりがな and 生年月日 come back with the form)."""
    form = forms.EmergencyAccessForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied  # no lookup, no access: the form always carries it
    data = form.cleaned_data
    lookup = services.EmergencyLookup(data["full_name_kana"], data["birth_date"], pk)
    try:
        services.break_glass(request.user, lookup, data["category"], data["reason"])
    except services.SharingError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from None
        messages.error(request, str(exc))
        return redirect("sharing:emergency")
    messages.warning(
        request,
        f"緊急アクセスを開始しました（{services.EMERGENCY_HOURS}時間）。閲覧はすべて記録され、登録組織に通知されました。",
    )
    return redirect("sharing:patient", pk=pk)


@personal_data_page
@require_http_methods(["GET", "POST"])
def notifications(request: AuthenticatedHttpRequest) -> HttpResponseBase:
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


@personal_data_page
def audit(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    region = permissions.home_region(request.user)
    if region is None or not permissions.can_export_access_log(request.user, region):
        raise PermissionDenied
    form = forms.AccessLogExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        rows = services.export_access_log(
            request.user, region, form.cleaned_data["start"], form.cleaned_data["end"]
        )
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
    emergencies = services.emergency_review(request.user, region)[:100]
    return render(request, "sharing/audit.html", {"form": form, "region": region, "emergencies": emergencies})
