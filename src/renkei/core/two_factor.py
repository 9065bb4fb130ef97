"""TOTP second factor (django-otp): who has passed it, the guard for personal-data pages and API
calls, and the rules for setting up, verifying and resetting a person's authenticator.

Public interface used by the other apps::

    is_verified(request) -> bool
    @otp_required                       # pages holding personal or health data
    require_verified_for_api(request)   # first line of a Ninja handler for personal data

A person sets up one TOTP authenticator (``TOTPDevice``) and receives ten single-use backup codes
(one ``StaticDevice``). Wrong codes are throttled by django-otp itself: after ``n`` consecutive
failures the device refuses every code for ``2**(n-1)`` seconds (up to an hour).
"""

from __future__ import annotations

import re
import unicodedata
from base64 import b32encode
from dataclasses import dataclass
from functools import wraps
from math import ceil
from urllib.parse import urlencode, urlsplit

import segno
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import URLPattern, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Router
from ninja.errors import AuthenticationError

from renkei.core.http import AuthenticatedHttpRequest
from renkei.core.models import User
from renkei.core.tokens import revoke_all_tokens

BACKUP_CODE_COUNT = 10
DEVICE_NAME = "Renkei"

OTP_REQUIRED_MESSAGE = "この操作には2段階認証が必要です。ブラウザでログインして確認コードを入力してから、もう一度お試しください。"


class OTPRequired(PermissionDenied):
    """A logged-in session that has not passed the second factor. The API answers 403 ``otp_required``."""

    code = "otp_required"
    message = OTP_REQUIRED_MESSAGE


class CodeError(Exception):
    """A wrong, malformed or throttled code; the message is for the person, in Japanese."""


# --- guards -------------------------------------------------------------------------------------


def is_verified(request: HttpRequest) -> bool:
    """The session user passed TOTP (or a backup code) in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def has_confirmed_device(user: User) -> bool:
    """The person has finished setting up an authenticator app."""
    return bool(user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The ``next`` parameter when it is a local URL of this site, else ``default`` (the staff home)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def setup_url(next_url: str) -> str:
    return _with_next("accounts:two_factor_setup", next_url)


def verify_url(next_url: str) -> str:
    return _with_next("accounts:two_factor_verify", next_url)


def otp_required(view):
    """For pages holding personal or health data.

    Anonymous → the login page; logged in without an authenticator → the set-up page; with one but
    not verified in this session → the code page; each comes back to this page afterwards. Responses
    are marked ``Cache-Control: no-store``.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return _leave(request, redirect_to_login(_page_path(request)))
        if not is_verified(request):
            here = _page_path(request)
            return _leave(
                request, redirect(verify_url(here) if has_confirmed_device(user) else setup_url(here))
            )
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


def _page_path(request: HttpRequest) -> str:
    # An htmx request comes from a page; come back to that page, not to the fragment's URL.
    if request.headers.get("HX-Request") == "true":
        current = request.headers.get("HX-Current-URL", "")
        if current and url_has_allowed_host_and_scheme(
            current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(current)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _leave(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    # htmx would follow a redirect and swap the login page into a fragment; send the whole page there.
    if request.headers.get("HX-Request") == "true":
        redirected = HttpResponse(status=204)
        redirected["HX-Redirect"] = response["Location"]
        return redirected
    return response


def require_verified_for_api(request: HttpRequest) -> None:
    """First line of an API handler that returns personal data.

    Personal API tokens pass: issuing one needs a verified session. A session that has not passed
    the second factor gets 403 ``{"error": {"code": "otp_required", …}}``.
    """
    if getattr(request, "auth_via_token", False):
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise AuthenticationError
    if not is_verified(request):
        raise OTPRequired


def second_factor_urls(patterns: list[URLPattern]) -> list[URLPattern]:
    """Declare once per urlconf that its pages need the second factor: every view of ``patterns``
    is wrapped in :func:`otp_required`. Pages of the same app that need only a password are listed
    beside, not inside, this call."""
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):
            raise TypeError("second_factor_urls takes path() patterns, not include()")
        pattern.callback = otp_required(pattern.callback)
    return patterns


def second_factor_router(router: Router) -> Router:
    """Declare once per API router that every operation needs a verified session or a personal token
    (:func:`require_verified_for_api` runs before each handler)."""

    def verified(operation):
        @wraps(operation)
        def wrapper(request: HttpRequest, *args, **kwargs):
            require_verified_for_api(request)
            return operation(request, *args, **kwargs)

        return wrapper

    router.add_decorator(verified)
    return router


# --- codes --------------------------------------------------------------------------------------

_TOTP_CODE = re.compile(r"[0-9]{6}")
_BACKUP_CODE = re.compile(r"[a-z2-7]{8}")


def _normalize_code(text: str) -> str:
    # Japanese keyboards often type full-width digits; people copy codes with spaces or hyphens.
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text or "")).lower()


def _throttle_message(device: Device) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    seconds = 1
    if data and data.get("locked_until"):
        seconds = max(1, ceil((data["locked_until"] - timezone.now()).total_seconds()))
    return (
        f"確認コードの誤りが続いたため、あと{seconds}秒は入力を受け付けません。"
        "時間をおいてから、最新のコードを入力してください。"
    )


def _verify_on(model: type[Device], pk: int, code: str) -> tuple[Device | None, str | None]:
    """Check ``code`` against one device, row-locked so two requests cannot both use one code.

    Returns (device, None) on success, (None, reason) otherwise. The failure count django-otp keeps
    is committed, so no exception may leave this block before it is written.
    """
    with transaction.atomic():
        device = model.objects.select_for_update().get(pk=pk)
        refusal = _throttle_message(device)
        if refusal:
            return None, refusal
        if device.verify_token(code):
            return device, None
    return None, None


def check_code(user: User, text: str) -> Device:
    """The confirmed device that accepts ``text`` — a 6-digit TOTP code or an unused backup code.

    Raises :class:`CodeError` with a Japanese reason for a malformed, wrong or throttled code.
    """
    code = _normalize_code(text)
    if _TOTP_CODE.fullmatch(code):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CodeError("認証アプリが設定されていません。")
        accepted, refusal = _verify_on(TOTPDevice, device.pk, code)
        if accepted:
            return accepted
        raise CodeError(
            refusal or "確認コードが正しくありません。認証アプリに表示されている最新の6桁を入力してください。"
        )
    if _BACKUP_CODE.fullmatch(code):
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            accepted, refusal = _verify_on(StaticDevice, device.pk, code)
            if accepted:
                return accepted
            if refusal:
                raise CodeError(refusal)
        raise CodeError("バックアップコードが正しくないか、すでに使用済みです。")
    raise CodeError(
        "確認コードは、認証アプリに表示される6桁の数字か、英数字8文字のバックアップコードを入力してください。"
    )


def verify_session(request: AuthenticatedHttpRequest, text: str) -> Device:
    """Mark this session as having passed the second factor, or raise :class:`CodeError`."""
    device = check_code(request.user, text)
    _pass_second_factor(request, device)
    return device


def _pass_second_factor(request: HttpRequest, device: Device) -> None:
    """A new session key as the session gains the second factor: a key seen before (a shared
    computer, a fixed session) never carries the verified state."""
    request.session.cycle_key()
    otp_login(request, device)


# --- setting up ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """What the set-up page shows: the otpauth:// URI as a QR code and its secret for typing."""

    device: TOTPDevice
    uri: str
    secret: str

    @property
    def secret_groups(self) -> str:
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))

    @property
    def qr_svg(self) -> SafeString:
        return qr_svg(self.uri, "認証アプリで読み取るQRコード")


def qr_svg(data: str, label: str) -> SafeString:
    """``data`` as an inline SVG QR code, drawn on the server (no external service, no script)."""
    svg = segno.make(data, error="m").svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code__image")
    # segno writes plain path data from the encoded matrix; only our label needs escaping.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S308


def pending_enrolment(user: User) -> Enrolment:
    """The authenticator being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return Enrolment(device=device, uri=device.config_url, secret=secret)


def confirm_enrolment(request: HttpRequest, device: TOTPDevice, text: str) -> list[str]:
    """Confirm the new authenticator with its first code; returns the fresh backup codes.

    The session counts as verified afterwards. Raises :class:`CodeError` for a wrong code.
    """
    code = _normalize_code(text)
    if not _TOTP_CODE.fullmatch(code):
        raise CodeError("認証アプリに表示される6桁の数字を入力してください。")
    accepted, refusal = _verify_on(TOTPDevice, device.pk, code)
    if accepted is None:
        raise CodeError(
            refusal
            or "確認コードが正しくありません。QRコードを読み取ったアプリに表示されている6桁を入力してください。"
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=accepted.user).exclude(pk=accepted.pk).delete()
        accepted.confirmed = True
        accepted.save(update_fields=["confirmed"])
        codes = regenerate_backup_codes(accepted.user)
    _pass_second_factor(request, accepted)
    return codes


def regenerate_backup_codes(user: User) -> list[str]:
    """Ten new single-use backup codes; every earlier one stops working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes: list[str] = []
        while len(codes) < BACKUP_CODE_COUNT:
            token = StaticToken.random_token()
            if token not in codes:
                codes.append(token)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in codes)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset_devices(request: AuthenticatedHttpRequest, text: str) -> None:
    """After a valid code, remove the person's authenticator and backup codes so they can set up anew."""
    user = request.user
    check_code(user, text)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        revoke_all_tokens(user)  # tokens were issued under the old second factor
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    user.otp_device = None  # type: ignore[attr-defined]  # django-otp's attribute on the request's user


def reset_devices_by_operator(user: User) -> int:
    """For an operator, when a person lost both phone and backup codes; returns devices removed."""
    with transaction.atomic():
        devices = (
            TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()
        )
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        revoke_all_tokens(user)  # the lost phone may be in someone else's hands, with a token
    return devices
