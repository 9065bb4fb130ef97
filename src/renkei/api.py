"""The JSON API under /api/v1/, one Django Ninja instance; each app adds its own router.

Errors are always JSON of one shape::

    {"error": {"code": "validation_error", "message": "…（日本語）", "details": [...]}}
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from renkei.core.two_factor import OTPRequired

api = NinjaAPI(
    title="Renkei API",
    version="1",
    description="在宅医療・介護連携推進事業のための圏域共通API（施設・資源、相談、ケアチーム）。",
    urls_namespace="api",
    docs_url="/docs",
)


def error_response(request, status: int, code: str, message: str, details: list | None = None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details or []}}, status=status
    )


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    details = [
        {"location": ".".join(str(part) for part in error.get("loc", [])), "message": error.get("msg", "")}
        for error in exc.errors
    ]
    return error_response(request, 400, "validation_error", "入力内容に誤りがあります。", details)


@api.exception_handler(AuthenticationError)
def _authentication_error(request, exc):
    return error_response(request, 401, "not_authenticated", "ログインまたはAPIトークンが必要です。")


@api.exception_handler(OTPRequired)
def _otp_required(request, exc: OTPRequired):
    return error_response(request, 403, OTPRequired.code, OTPRequired.message)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return error_response(request, 403, "permission_denied", "この操作は許可されていません。")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "not_found", "見つかりません。")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, "error", str(exc))


def register_routers() -> None:
    """Each app's ``api`` module exposes ``PREFIX`` and ``router`` (or ``ROUTERS``, a list of
    (prefix, router)); they are mounted here, with the app's ``EXCEPTION_HANDLERS`` if any."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("renkei.") and find_spec(f"{config.name}.api"):
            module = import_module(f"{config.name}.api")
            for prefix, router in getattr(
                module, "ROUTERS", [(getattr(module, "PREFIX", ""), module.router)]
            ):
                api.add_router(prefix, router)
            for exception, handler in getattr(module, "EXCEPTION_HANDLERS", {}).items():
                api.add_exception_handler(exception, handler)
