"""Django's error handlers (400, 403, 404, 500): a Japanese page for people, and under ``/api/``
the API's one error body (``core.api_errors``), so a program that calls an unknown endpoint or meets a
failure outside Django Ninja's own handlers still reads JSON."""

from __future__ import annotations

import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from renkei.core.api_errors import (
    BAD_REQUEST,
    DATABASE_UNAVAILABLE,
    NOT_FOUND,
    PERMISSION_DENIED,
    SERVER_ERROR,
    error_json,
)
from renkei.core.request_limits import UploadTooBig

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _too_much(exception: Exception | None) -> str:
    """Why a request was too large, in Japanese ("" for any other bad request)."""
    if isinstance(exception, UploadTooBig):
        return str(exception)
    if isinstance(exception, RequestDataTooBig):
        return "送信されたデータが大きすぎます。"
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return "送信された項目やファイルの数が多すぎます。"
    return ""


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = _too_much(exception)
    if _is_api(request):
        code, message = BAD_REQUEST
        return error_json(400, code, reason or message)
    return render(request, "errors/400.html", {"reason": reason}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return error_json(403, *PERMISSION_DENIED)
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return error_json(404, *NOT_FOUND)
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this handler inside its ``except`` block, so the failure is at hand.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    if _is_api(request):
        return error_json(500, *SERVER_ERROR)
    # No context processors: the failure may be in the database they read.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


# How long a client should wait before asking again while the database is away (a restart, a failover).
RETRY_AFTER_SECONDS = 30


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database cannot be reached: a failure of the moment, not of the request, and the
    next request tries the database afresh (``CONN_HEALTH_CHECKS``), so Renkei recovers by itself."""
    if _is_api(request):
        response = error_json(503, *DATABASE_UNAVAILABLE)
    else:
        response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
