"""The JSON API under /api/v1/, one Django Ninja instance; each app adds its own router.

Errors are always JSON of one shape::

    {"error": {"code": "validation_error", "message": "…（日本語）", "details": [...]}}

``invalid_parameter`` when only query or path parameters are wrong; each detail names its
``field`` and says what is wrong in Japanese.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from renkei.core.api_errors import NOT_FOUND, PERMISSION_DENIED, error_body
from renkei.core.services import RuleError
from renkei.core.two_factor import OTPRequired


class _Utf8JSONRenderer(JSONRenderer):
    """JSON as UTF-8 text: Japanese messages stay readable in logs and terminals, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=_Utf8JSONRenderer(),
    title="Renkei API",
    version="1",
    description="在宅医療・介護連携推進事業のための圏域共通API（施設・資源、相談、ケアチーム）。",
    urls_namespace="api",
    docs_url="/docs",
)


def error_response(request, status: int, code: str, message: str, details: list | None = None):
    return api.create_response(request, error_body(code, message, details), status=status)


# Pydantic's error types, said in Japanese (``ctx`` fills the braces); anything else: _FALLBACK.
_MESSAGES = {
    "missing": "必須です。",
    "int_parsing": "整数で指定してください。",
    "int_type": "整数で指定してください。",
    "int_from_float": "整数で指定してください。",
    "float_parsing": "数値で指定してください。",
    "float_type": "数値で指定してください。",
    "finite_number": "有限の数値で指定してください。",
    "bool_parsing": "true または false で指定してください。",
    "bool_type": "true または false で指定してください。",
    "string_type": "文字列で指定してください。",
    "string_too_long": "{max_length}文字以内で指定してください。",
    "string_too_short": "{min_length}文字以上で指定してください。",
    "too_long": "{max_length}件以内で指定してください。",
    "greater_than": "{gt}より大きい値で指定してください。",
    "greater_than_equal": "{ge}以上で指定してください。",
    "less_than": "{lt}より小さい値で指定してください。",
    "less_than_equal": "{le}以下で指定してください。",
    "literal_error": "指定できる値は {expected} です。",
    "enum": "指定できる値は {expected} です。",
    "date_parsing": "日付（YYYY-MM-DD）で指定してください。",
    "date_from_datetime_parsing": "日付（YYYY-MM-DD）で指定してください。",
    "date_type": "日付（YYYY-MM-DD）で指定してください。",
    "datetime_parsing": "日時（ISO 8601）で指定してください。",
    "datetime_from_date_parsing": "日時（ISO 8601）で指定してください。",
    "datetime_type": "日時（ISO 8601）で指定してください。",
    "json_invalid": "JSON の形式が正しくありません。",
    "model_attributes_type": "JSON のオブジェクトで指定してください。",
    "dict_type": "JSON のオブジェクトで指定してください。",
    "list_type": "配列で指定してください。",
    "string_pattern_mismatch": "形式が正しくありません。",
    "value_error": "値が正しくありません。",
}
_FALLBACK = "値が正しくありません。"


def _japanese(error: dict) -> str:
    template = _MESSAGES.get(error.get("type", ""), _FALLBACK)
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return _FALLBACK


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    details = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", [])]
        # "query.page" → field "page"; "body.payload.birth_date" → "birth_date".
        field = next((part for part in reversed(location) if not part.isdigit()), "")
        details.append({"field": field, "location": ".".join(location), "message": _japanese(error)})
    if details and all(d["location"].split(".", 1)[0] in {"query", "path"} for d in details):
        return error_response(request, 400, "invalid_parameter", "パラメータに誤りがあります。", details)
    return error_response(request, 400, "validation_error", "入力内容に誤りがあります。", details)


@api.exception_handler(AuthenticationError)
def _authentication_error(request, exc):
    return error_response(request, 401, "not_authenticated", "ログインまたはAPIトークンが必要です。")


@api.exception_handler(OTPRequired)
def _otp_required(request, exc: OTPRequired):
    return error_response(request, 403, OTPRequired.code, OTPRequired.message)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return error_response(request, 403, *PERMISSION_DENIED)


@api.exception_handler(RuleError)
def _rule_error(request, exc: RuleError):
    return error_response(request, exc.status, exc.code, exc.message, exc.errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, *NOT_FOUND)


# What Django Ninja itself raises, in English, said in Japanese with a code of its own.
_LIBRARY_ERRORS = {
    "Cannot parse request body": (
        "invalid_body",
        "リクエストの本文を読み取れません。JSON の形式（または multipart の形式）を確認してください。",
    ),
    "CSRF check Failed": (
        "csrf_failed",
        "CSRF トークンがありません。ログインしたブラウザから送るときは X-CSRFToken ヘッダーを付けてください。",
    ),
}


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    message = str(exc)
    for english, (code, japanese) in _LIBRARY_ERRORS.items():
        # Under DEBUG the library appends the parser's own words: never shown.
        if message.startswith(english):
            return error_response(request, exc.status_code, code, japanese)
    return error_response(request, exc.status_code, "error", message)


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
