"""The one shape of every error the JSON API answers, whatever app raised it::

    {"error": {"code": "validation_error", "message": "…（日本語）", "details": [{"field": …, "message": …}]}}

``code`` is stable for programs, ``message`` is Japanese for people, each detail names the ``field``
at fault (query/path parameters, body fields) in Japanese.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The error object every API response of Renkei carries on failure."""
    return {"error": {"code": code, "message": message, "details": list(details or [])}}


def error_json(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> HttpResponse:
    """An error response outside Django Ninja's handlers (middleware, decorators), same body."""
    return HttpResponse(
        json.dumps(error_body(code, message, details), ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


# The answers every app shares, as (code, message), for Ninja's handlers and Django's error views.
BAD_REQUEST = ("bad_request", "リクエストを処理できません。")
PERMISSION_DENIED = ("permission_denied", "この操作は許可されていません。")
NOT_FOUND = ("not_found", "見つかりません。")
SERVER_ERROR = ("server_error", "サーバーで問題が起きました。時間をおいてもう一度お試しください。")
DATABASE_UNAVAILABLE = (
    "database_unavailable",
    "データベースに接続できないため、一時的に利用できません。しばらくしてからもう一度お試しください。",
)
