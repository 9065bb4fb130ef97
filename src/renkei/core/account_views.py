"""Account pages: login with the second factor, TOTP set-up and verification, backup codes,
and personal API tokens. The rules live in :mod:`renkei.core.two_factor` and :mod:`renkei.core.tokens`."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from renkei.core import permissions, tokens, two_factor
from renkei.core.account_forms import ApiTokenForm, CodeForm, SetupCodeForm
from renkei.core.http import AuthenticatedHttpRequest


class LoginView(auth_views.LoginView):
    """Django's login; a person with an authenticator goes on to the code page before ``next``."""

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if user.is_authenticated and two_factor.has_confirmed_device(user):
            return two_factor.verify_url(url)
        return url


def _require_own_account(request: AuthenticatedHttpRequest) -> None:
    if not permissions.can_manage_own_two_factor(request.user):
        raise PermissionDenied


def _overview_context(request: AuthenticatedHttpRequest, reset_form: CodeForm | None = None) -> dict:
    user = request.user
    return {
        "has_device": two_factor.has_confirmed_device(user),
        "verified": two_factor.is_verified(request),
        "backup_codes_left": two_factor.backup_codes_left(user),
        "reset_form": reset_form or CodeForm(),
    }


@never_cache
@login_required
def two_factor_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_own_account(request)
    return render(request, "accounts/two_factor.html", _overview_context(request))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_own_account(request)
    next_url = two_factor.safe_next(request)
    if two_factor.has_confirmed_device(request.user):
        messages.info(request, "2段階認証はすでに設定されています。")
        return redirect("accounts:two_factor")
    enrolment = two_factor.pending_enrolment(request.user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_enrolment(request, enrolment.device, form.cleaned_data["code"])
        except two_factor.CodeError as exc:
            form.add_error("code", str(exc))
        else:
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "next": next_url, "just_set_up": True},
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "enrolment": enrolment, "next": next_url},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_own_account(request)
    next_url = two_factor.safe_next(request)
    if not two_factor.has_confirmed_device(request.user):
        return redirect(two_factor.setup_url(next_url))
    if two_factor.is_verified(request):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.verify_session(request, form.cleaned_data["code"])
        except two_factor.CodeError as exc:
            form.add_error("code", str(exc))
        else:
            return redirect(next_url)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_POST
def backup_codes_regenerate(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_own_account(request)
    if not two_factor.has_confirmed_device(request.user):
        return redirect("accounts:two_factor")
    if not two_factor.is_verified(request):
        # Only someone who passed the second factor may mint codes that bypass it.
        return redirect(two_factor.verify_url(reverse("accounts:two_factor")))
    codes = two_factor.regenerate_backup_codes(request.user)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": None, "just_set_up": False})


@never_cache
@login_required
@require_POST
def two_factor_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_own_account(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            two_factor.reset_devices(request, form.cleaned_data["code"])
        except two_factor.CodeError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(
                request,
                "認証アプリの登録を解除しました（APIトークンも無効にしました）。新しい認証アプリを設定してください。",
            )
            return redirect("accounts:two_factor_setup")
    return render(request, "accounts/two_factor.html", _overview_context(request, form), status=400)


# --- personal API tokens ---


def _token_page(
    request: AuthenticatedHttpRequest, form: ApiTokenForm, new_token: str | None = None, status: int = 200
):
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": request.user.api_tokens.order_by("-created_at"),
            "now": timezone.now(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_manage_own_api_tokens(request.user):
        raise PermissionDenied
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _token_page(request, form, status=400)
        _, text = tokens.issue_token(
            request.user,
            form.cleaned_data["name"],
            timezone.now() + timedelta(days=form.cleaned_data["days"]),
        )
        return _token_page(request, ApiTokenForm(), new_token=text)
    return _token_page(request, form)


@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    if not permissions.can_manage_own_api_tokens(request.user):
        raise PermissionDenied
    token = tokens.revoke_token(request.user, token_id)
    if token is None:
        raise Http404
    messages.success(request, f"トークン「{token.name}」を失効させました。")
    return redirect("accounts:api_tokens")
