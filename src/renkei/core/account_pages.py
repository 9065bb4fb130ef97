"""The account page, password change and reset, and logout.

Password reset and its confirmation are for people who are not logged in; the account page shows and
changes personal data (the person's e-mail address, where reset mail goes) and so needs the second
factor (see :mod:`renkei.core.account_urls`). Password change needs only the password.
"""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from renkei.core import accounts, permissions
from renkei.core.account_forms import EmailForm
from renkei.core.client_address import client_address
from renkei.core.http import AuthenticatedHttpRequest
from renkei.core.services import RuleError


@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_edit_own_account(user):
        raise PermissionDenied
    form = EmailForm(request.POST or None, initial={"email": user.email})
    if request.method == "POST" and form.is_valid():
        try:
            accounts.set_own_email(user, form.cleaned_data["email"])
        except RuleError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(
                request,
                "メールアドレスを保存しました。" if user.email else "メールアドレスを削除しました。",
            )
            return redirect("accounts:account")
    return render(
        request,
        "accounts/account.html",
        {"form": form, "can_have_patients": permissions.can_have_patients(user)},
        status=400 if form.errors else 200,
    )


class LogoutView(auth_views.LogoutView):
    """GET shows a confirmation with the logout button (logging out stays a POST); after it, a notice."""

    http_method_names = ["get", "post", "options"]
    template_name = "registration/logout_confirm.html"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "ログアウトしました。")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail; the done page never says whether the address is registered."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not accounts.claim_password_reset(form.cleaned_data["email"], client_address(self.request)):
            return HttpResponseRedirect(self.get_success_url())
        # Links in mail follow SITE_URL, never the Host header of the request that asked.
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Proving the mailbox is as good as the password: a lockout of this account ends here.
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@method_decorator(never_cache, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
