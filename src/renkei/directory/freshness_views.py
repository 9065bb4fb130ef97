"""Pages of directory freshness: the facility's update link, and for staff the dashboard, the review
queue, contacts and history. Rules live in :mod:`renkei.directory.freshness`."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.client_address import client_address
from renkei.directory import freshness
from renkei.directory.forms import ContactForm, FreshnessPolicyForm, LinkFacilityForm, RejectForm
from renkei.directory.models import ChangeRequest, Facility, FacilityContact, UpdateLink

# --- the facility's own page, reached through its update link ---------------------------------------


def _link_or_error(request: HttpRequest, token: str):
    try:
        freshness.check_address_rate(client_address(request))
        link = freshness.resolve_link(token)
        freshness.count_use(link)
        return link, None
    except freshness.RateLimited as exc:
        return None, render(request, "directory/link_error.html", {"message": str(exc)}, status=429)
    except freshness.LinkError as exc:
        return None, render(request, "directory/link_error.html", {"message": str(exc)}, status=403)


@never_cache
@require_http_methods(["GET", "POST"])
def update_by_link(request: HttpRequest, token: str) -> HttpResponse:
    link, error = _link_or_error(request, token)
    if error is not None:
        return error
    facility = Facility.objects.select_related("municipality").get(pk=link.facility_id)
    form = LinkFacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        result = freshness.apply_link_edit(link, form.cleaned_data)
        return render(
            request,
            "directory/link_done.html",
            {"facility": result.facility, "change_request": result.change_request, "token": token},
        )
    pending = facility.change_requests.filter(status=ChangeRequest.Status.PENDING).exists()
    return render(
        request,
        "directory/link_edit.html",
        {
            "form": form,
            "facility": Facility.objects.get(pk=link.facility_id),
            "token": token,
            "pending": pending,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@require_POST
def confirm_by_link(request: HttpRequest, token: str) -> HttpResponse:
    link, error = _link_or_error(request, token)
    if error is not None:
        return error
    facility = freshness.confirm_unchanged(link)
    return render(
        request, "directory/link_done.html", {"facility": facility, "confirmed": True, "token": token}
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_own(request: HttpRequest, pk: int) -> HttpResponse:
    """The facility's own staff, logged in: the same page as the update link."""
    facility = Facility.objects.select_related("municipality").filter(pk=pk).first()
    if facility is None:
        raise Http404
    if not permissions.can_update_own_facility(request.user, facility):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("action") == "confirm":
        facility = freshness.confirm_unchanged_by_account(facility, request.user)
        return render(request, "directory/link_done.html", {"facility": facility, "confirmed": True})
    form = LinkFacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        result = freshness.apply_account_edit(facility, request.user, form.cleaned_data)
        return render(
            request,
            "directory/link_done.html",
            {"facility": result.facility, "change_request": result.change_request},
        )
    pending = facility.change_requests.filter(status=ChangeRequest.Status.PENDING).exists()
    return render(
        request,
        "directory/link_edit.html",
        {"form": form, "facility": Facility.objects.get(pk=pk), "pending": pending},
        status=400 if form.errors else 200,
    )


# --- staff -------------------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> None:
    if not permissions.can_view_freshness_dashboard(request.user):
        raise PermissionDenied


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _staff(request)
    data = freshness.dashboard(request.user)
    return render(
        request,
        "directory/freshness_dashboard.html",
        {"data": data, "can_edit_policy": permissions.can_edit_freshness_policy(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    region = permissions.home_region(request.user)
    if region is None or not permissions.can_edit_freshness_policy(request.user, region):
        raise PermissionDenied
    current = freshness.policy_for(region)
    initial = {
        "fresh_days": current.fresh_days,
        "reminder_offsets": ", ".join(map(str, current.offsets)),
        "acceptance_fresh_days": current.acceptance_fresh_days,
        "acceptance_reminder_offsets": ", ".join(map(str, current.acceptance_offsets)),
    }
    form = FreshnessPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        freshness.save_policy(region, request.user, form.cleaned_data)
        messages.success(request, "情報更新の設定を保存しました。")
        return redirect("directory_staff:freshness")
    return render(
        request,
        "directory/freshness_policy.html",
        {"form": form, "region": region},
        status=400 if form.errors else 200,
    )


@login_required
def overdue_export(request: HttpRequest) -> HttpResponse:
    _staff(request)
    workbook = freshness.overdue_workbook(request.user)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="overdue-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _managed_facility(request: HttpRequest, pk: int) -> Facility:
    facility = Facility.objects.select_related("municipality").filter(pk=pk).first()
    if facility is None:
        raise Http404
    if not permissions.can_send_facility_update_link(request.user, facility):
        raise PermissionDenied
    return facility


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _managed_facility(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        contact, created = FacilityContact.objects.get_or_create(facility=facility, email=email)
        if not created and (not contact.is_active or contact.bounced_at):
            freshness.reactivate_contact(contact)
        messages.success(request, "連絡先メールを登録しました。")
        return redirect("directory_staff:contacts", pk=facility.pk)
    return render(
        request,
        "directory/contacts.html",
        {
            "facility": facility,
            "form": form,
            "contacts": facility.contacts.order_by("email"),
            "links": freshness.active_links(facility),
            "facility_accounts": freshness.facility_accounts(facility),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def contact_action(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    facility = _managed_facility(request, pk)
    contact = get_object_or_404(FacilityContact, pk=contact_pk, facility=facility)
    action = request.POST.get("action")
    if action == "send":
        try:
            freshness.send_link_now(facility, contact, request.user)
        except freshness.MailNotSent as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{contact.email} に更新用リンクを送りました。")
    elif action == "bounced":
        freshness.mark_bounced(contact)
        messages.success(request, f"{contact.email} を不達として記録し、送付済みのリンクを無効にしました。")
    elif action == "remove":
        freshness.remove_contact(contact)
        messages.success(request, f"{contact.email} を送付先から外し、送付済みのリンクを無効にしました。")
    else:
        messages.error(request, "操作を選んでください。")
    if request.POST.get("next") == "dashboard":
        return redirect("directory_staff:freshness")
    return redirect("directory_staff:contacts", pk=facility.pk)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """「リンクを無効にする」: one link of the facility stops working at once."""
    facility = _managed_facility(request, pk)
    link = get_object_or_404(UpdateLink, pk=link_pk, facility=facility)
    freshness.revoke_link(link)
    messages.success(
        request,
        f"{link.email} に送ったリンク（{timezone.localtime(link.issued_at):%Y年%m月%d日} 発行）を無効にしました。",
    )
    return redirect("directory_staff:contacts", pk=facility.pk)


@login_required
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    """One click from the dashboard: a fresh link to every working contact of the facility."""
    facility = _managed_facility(request, pk)
    sent, failed = [], []
    for contact in facility.contacts.filter(is_active=True, bounced_at=None).order_by("email"):
        try:
            sent.append(freshness.send_link_now(facility, contact, request.user).email)
        except freshness.MailNotSent as exc:
            failed.append(str(exc))
    if sent:
        messages.success(request, f"「{facility.name}」に更新用リンクを送りました（{len(sent)} 件）。")
    for message in failed:
        messages.error(request, message)
    if not sent and not failed:
        messages.error(
            request, f"「{facility.name}」には送れる連絡先メールがありません。先に登録してください。"
        )
    return redirect("directory_staff:freshness")


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return render(
        request, "directory/review_queue.html", {"changes": freshness.pending_changes(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(ChangeRequest.objects.select_related("facility__municipality"), pk=pk)
    if not permissions.can_review_facility_change(request.user, change):
        raise PermissionDenied
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                edited = {
                    name: request.POST[f"edit_{name}"].strip()
                    for name in change.proposed
                    if f"edit_{name}" in request.POST and name not in ("status", "category")
                }
                freshness.approve_change(change, request.user, edited=edited)
                messages.success(request, "変更を承認し、公開しました。")
                return redirect("directory_staff:reviews")
            if action == "reject" and reject_form.is_valid():
                if freshness.reject_change(change, request.user, reject_form.cleaned_data["reason"]):
                    messages.success(request, "変更を却下し、理由を申請元にメールで伝えました。")
                else:
                    messages.warning(
                        request,
                        "変更の却下を記録しましたが、理由のメールを申請元に送れませんでした。"
                        "電話などで申請元に理由を伝えてください。",
                    )
                return redirect("directory_staff:reviews")
        except freshness.ReviewError as exc:
            error = str(exc)
    return render(
        request,
        "directory/review_detail.html",
        {"change": change, "rows": freshness.diff_rows(change), "reject_form": reject_form, "error": error},
        status=400 if (error or reject_form.errors) else 200,
    )


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    facility = Facility.objects.select_related("municipality").filter(pk=pk).first()
    if facility is None:
        raise Http404
    if not permissions.can_view_facility_history(request.user, facility):
        raise PermissionDenied
    return render(
        request,
        "directory/history.html",
        {"facility": facility, "versions": freshness.history_versions(facility)},
    )


@login_required
@require_POST
def restore(request: HttpRequest, pk: int, history_id: int) -> HttpResponse:
    facility = Facility.objects.select_related("municipality").filter(pk=pk).first()
    if facility is None:
        raise Http404
    if not permissions.can_restore_facility_version(request.user, facility):
        raise PermissionDenied
    try:
        freshness.restore_version(facility, history_id, request.user)
    except freshness.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "選んだ版を復元しました（復元も新しい版として記録しました）。")
    return redirect("directory_staff:history", pk=facility.pk)
