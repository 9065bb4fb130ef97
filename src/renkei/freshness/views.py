"""Pages of freshness: the facility's update link (and the same page for its own staff after login),
and for staff the dashboard, the review queue, contacts and history. Rules live in
:mod:`renkei.freshness.services`."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
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
from renkei.core.http import AuthenticatedHttpRequest
from renkei.directory.accounts import facility_accounts
from renkei.directory.models import Facility
from renkei.freshness.forms import ContactForm, FreshnessPolicyForm, LinkFacilityForm, RejectForm
from renkei.freshness.models import ChangeRequest, FacilityContact, UpdateLink
from renkei.freshness.services import contacts as contact_services
from renkei.freshness.services import dashboard as dashboard_services
from renkei.freshness.services import history as history_services
from renkei.freshness.services import links, reminders, review, updates
from renkei.freshness.services import policy as policy_services
from renkei.freshness.services.errors import LinkError, MailNotSent, ReviewError

# --- the facility's own page, reached through its update link ---------------------------------------


def _link_error(request: HttpRequest, exc: LinkError) -> HttpResponse:
    # 403, or 429 when rate-limited
    return render(request, "freshness/link_error.html", {"message": str(exc)}, status=exc.status)


def _session_link_or_error(request: HttpRequest):
    try:
        return links.open_session(request.COOKIES.get(links.SESSION_COOKIE)), None
    except LinkError as exc:
        return None, _link_error(request, exc)


@never_cache
@require_http_methods(["GET", "POST"])
def open_update_link(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed address: a usable token becomes the short-lived cookie, and the page continues at
    an address without the token (a form posted to an older page's token address is not applied:
    it opens the page again)."""
    try:
        link = links.open_link(token, address=client_address(request))
    except LinkError as exc:
        return _link_error(request, exc)
    response = redirect("freshness:link_page")
    response.status_code = 303
    response.set_cookie(
        links.SESSION_COOKIE,
        links.session_value(link),
        max_age=links.SESSION_SECONDS,
        path="/facilities/update/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def update_by_link(request: HttpRequest) -> HttpResponse:
    link, error = _session_link_or_error(request)
    if error is not None:
        return error
    facility = Facility.objects.select_related("municipality").get(pk=link.facility_id)
    form = LinkFacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        result = updates.apply_link_edit(link, form.cleaned_data)
        return render(
            request,
            "freshness/link_done.html",
            {"facility": result.facility, "change_request": result.change_request, "by_link": True},
        )
    pending = facility.change_requests.filter(status=ChangeRequest.Status.PENDING).exists()
    return render(
        request,
        "freshness/link_edit.html",
        {
            "form": form,
            "facility": Facility.objects.get(pk=link.facility_id),
            "by_link": True,
            "pending": pending,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@require_POST
def confirm_by_link(request: HttpRequest) -> HttpResponse:
    link, error = _session_link_or_error(request)
    if error is not None:
        return error
    facility = updates.confirm_unchanged(link)
    return render(
        request, "freshness/link_done.html", {"facility": facility, "confirmed": True, "by_link": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_own(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The facility's own staff, logged in: the same page as the update link."""
    facility = Facility.objects.select_related("municipality").filter(pk=pk).first()
    if facility is None:
        raise Http404
    if not permissions.can_update_own_facility(request.user, facility):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("action") == "confirm":
        facility = updates.confirm_unchanged_by_account(facility, request.user)
        return render(request, "freshness/link_done.html", {"facility": facility, "confirmed": True})
    form = LinkFacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        result = updates.apply_account_edit(facility, request.user, form.cleaned_data)
        return render(
            request,
            "freshness/link_done.html",
            {"facility": result.facility, "change_request": result.change_request},
        )
    pending = facility.change_requests.filter(status=ChangeRequest.Status.PENDING).exists()
    return render(
        request,
        "freshness/link_edit.html",
        {"form": form, "facility": Facility.objects.get(pk=pk), "pending": pending},
        status=400 if form.errors else 200,
    )


# --- staff -------------------------------------------------------------------------------------------


def _staff(request: AuthenticatedHttpRequest) -> None:
    if not permissions.can_view_freshness_dashboard(request.user):
        raise PermissionDenied


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    data = dashboard_services.dashboard(request.user)
    return render(
        request,
        "freshness/dashboard.html",
        {"data": data, "can_edit_policy": permissions.can_edit_freshness_policy(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = permissions.home_region(request.user)
    if region is None or not permissions.can_edit_freshness_policy(request.user, region):
        raise PermissionDenied
    current = policy_services.policy_for(region)
    initial = {
        "fresh_days": current.fresh_days,
        "reminder_offsets": ", ".join(map(str, current.offsets)),
        "acceptance_fresh_days": current.acceptance_fresh_days,
        "acceptance_reminder_offsets": ", ".join(map(str, current.acceptance_offsets)),
    }
    form = FreshnessPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        policy_services.save_policy(region, request.user, form.cleaned_data)
        messages.success(request, "情報更新の設定を保存しました。")
        return redirect("freshness_staff:dashboard")
    return render(
        request,
        "freshness/policy.html",
        {"form": form, "region": region},
        status=400 if form.errors else 200,
    )


@login_required
def overdue_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    workbook = dashboard_services.overdue_workbook(request.user)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="overdue-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _managed_facility(request: AuthenticatedHttpRequest, pk: int) -> Facility:
    facility = Facility.objects.select_related("municipality").filter(pk=pk).first()
    if facility is None:
        raise Http404
    if not permissions.can_send_facility_update_link(request.user, facility):
        raise PermissionDenied
    return facility


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    facility = _managed_facility(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact_services.add_contact(facility, request.user, form.cleaned_data["email"])
        messages.success(request, "連絡先メールを登録しました。")
        return redirect("freshness_staff:contacts", pk=facility.pk)
    return render(
        request,
        "freshness/contacts.html",
        {
            "facility": facility,
            "form": form,
            "contacts": facility.contacts.order_by("email"),
            "links": links.active_links(facility),
            "facility_accounts": facility_accounts(facility),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def contact_action(request: AuthenticatedHttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    facility = _managed_facility(request, pk)
    contact = get_object_or_404(FacilityContact, pk=contact_pk, facility=facility)
    action = request.POST.get("action")
    if action == "send":
        try:
            reminders.send_link_now(facility, contact, request.user)
        except MailNotSent as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{contact.email} に更新用リンクを送りました。")
    elif action == "bounced":
        contact_services.mark_bounced(contact)
        messages.success(request, f"{contact.email} を不達として記録し、送付済みのリンクを無効にしました。")
    elif action == "remove":
        contact_services.remove_contact(contact)
        messages.success(request, f"{contact.email} を送付先から外し、送付済みのリンクを無効にしました。")
    else:
        messages.error(request, "操作を選んでください。")
    if request.POST.get("next") == "dashboard":
        return redirect("freshness_staff:dashboard")
    return redirect("freshness_staff:contacts", pk=facility.pk)


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """「リンクを無効にする」: one link of the facility stops working at once."""
    facility = _managed_facility(request, pk)
    link = get_object_or_404(UpdateLink, pk=link_pk, facility=facility)
    links.revoke_link(link)
    messages.success(
        request,
        f"{link.email} に送ったリンク（{timezone.localtime(link.issued_at):%Y年%m月%d日} 発行）を無効にしました。",
    )
    return redirect("freshness_staff:contacts", pk=facility.pk)


@login_required
@require_POST
def resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One click from the dashboard: a fresh link to every working contact of the facility."""
    facility = _managed_facility(request, pk)
    sent, failed = [], []
    for contact in facility.contacts.filter(is_active=True, bounced_at=None).order_by("email"):
        try:
            sent.append(reminders.send_link_now(facility, contact, request.user).email)
        except MailNotSent as exc:
            failed.append(str(exc))
    if sent:
        messages.success(request, f"「{facility.name}」に更新用リンクを送りました（{len(sent)} 件）。")
    for message in failed:
        messages.error(request, message)
    if not sent and not failed:
        messages.error(
            request, f"「{facility.name}」には送れる連絡先メールがありません。先に登録してください。"
        )
    return redirect("freshness_staff:dashboard")


@login_required
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    return render(request, "freshness/review_queue.html", {"changes": review.pending_changes(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(
        ChangeRequest.objects.select_related("facility__municipality", "submitted_by__organization"), pk=pk
    )
    if not permissions.can_review_facility_change(request.user, change):
        raise PermissionDenied
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    error, field_errors = "", {}
    if request.method == "POST":
        if change.status != ChangeRequest.Status.PENDING:
            return _already_processed(request)
        try:
            done = _review_action(request, change, reject_form)
        except ReviewError as exc:
            change.refresh_from_db()
            if change.status != ChangeRequest.Status.PENDING:  # a double submit, the first one won
                return _already_processed(request)
            error = str(exc)
            field_errors = {e["field"]: e["message"] for e in exc.errors if e.get("field")}
        else:
            if done:
                return redirect("freshness_staff:reviews")
    rows = review.diff_rows(change)
    for row in rows:
        row["error"] = field_errors.get(row["field"], "")
    if request.method == "POST" and request.POST.get("action") == "approve":
        for row in rows:  # what the reviewer typed stays in the correction form
            row["edit"] = request.POST.get(f"edit_{row['field']}", row["edit"])
    return render(
        request,
        "freshness/review_detail.html",
        {"change": change, "rows": rows, "reject_form": reject_form, "error": error},
        status=400 if (error or reject_form.errors) else 200,
    )


def _already_processed(request: AuthenticatedHttpRequest) -> HttpResponse:
    messages.info(request, "この申請はすでに処理されています。")
    return redirect("freshness_staff:reviews")


def _review_action(request: AuthenticatedHttpRequest, change: ChangeRequest, reject_form: RejectForm) -> bool:
    """Approve (as corrected) or reject; True when done."""
    action = request.POST.get("action")
    if action == "approve":
        editable = [*change.proposed, *(["name_kana"] if "name" in change.proposed else [])]
        edited = {
            name: request.POST[f"edit_{name}"].strip()
            for name in editable
            if f"edit_{name}" in request.POST and name not in ("status", "category")
        }
        review.approve_change(change, request.user, edited=edited)
        messages.success(request, "変更を承認し、公開しました。")
        return True
    if action == "reject" and reject_form.is_valid():
        if review.reject_change(change, request.user, reject_form.cleaned_data["reason"]):
            messages.success(request, "変更を却下し、理由を申請元にメールで伝えました。")
        else:
            messages.warning(
                request,
                "変更の却下を記録しましたが、理由のメールを申請元に送れませんでした。"
                "電話などで申請元に理由を伝えてください。",
            )
        return True
    return False


@login_required
def history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    facility = Facility.objects.select_related("municipality").filter(pk=pk).first()
    if facility is None:
        raise Http404
    if not permissions.can_view_facility_history(request.user, facility):
        raise PermissionDenied
    return render(
        request,
        "freshness/history.html",
        {"facility": facility, "versions": history_services.history_versions(facility)},
    )


@login_required
@require_POST
def restore(request: AuthenticatedHttpRequest, pk: int, history_id: int) -> HttpResponse:
    facility = Facility.objects.select_related("municipality").filter(pk=pk).first()
    if facility is None:
        raise Http404
    if not permissions.can_restore_facility_version(request.user, facility):
        raise PermissionDenied
    try:
        history_services.restore_version(facility, history_id, request.user)
    except ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "選んだ版を復元しました（復元も新しい版として記録しました）。")
    return redirect("freshness_staff:history", pk=facility.pk)
