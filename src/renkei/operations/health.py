"""``/healthz`` and ``/readyz``, answered before any other middleware.

``/healthz`` says the process is alive and touches nothing else (no database, no session), so a load
balancer can tell a hung worker from a slow database. ``/readyz`` says whether this node may take
traffic: the database answers and every migration the code knows is applied. Both are answered ahead of
the host check and the HTTPS redirect: load balancers probe by address over plain HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse

from renkei.core.api_errors import error_json
from renkei.operations.redaction import ROUTE_KEY

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"

# Once every migration is applied it stays applied for the life of the process (new migrations come
# with new code, i.e. new workers), so the migration graph is read from disk only until then.
_migrations_applied = False


def pending_migrations(alias: str = "default") -> list[str]:
    """The migrations the code has that the database lacks, as ``app.name``."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def readiness() -> list[dict[str, str]]:
    """What keeps this node from serving, as the API's error details ([] when ready)."""
    global _migrations_applied
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        connections["default"].close()
        return [{"field": "database", "message": "データベースに接続できません。"}]
    if not _migrations_applied:
        pending = pending_migrations()
        if pending:
            return [
                {
                    "field": "migrations",
                    "message": f"未適用のマイグレーションが{len(pending)}件あります（renkei migrate を実行してください）。",
                }
            ]
        _migrations_applied = True
    return []


def _ok() -> HttpResponse:
    response = HttpResponse(json.dumps({"status": "ok"}), content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class ServingMiddleware:
    """Answers the health checks first, and leaves the matched route in the WSGI environ for the
    access log (:mod:`renkei.operations.redaction`), which then never needs the concrete path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            return _ok()
        if request.path_info == READY_PATH:
            problems = readiness()
            if not problems:
                return _ok()
            response = error_json(503, "not_ready", "このサーバーはまだ要求を受け付けられません。", problems)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if match is not None and match.route:
            request.META[ROUTE_KEY] = "/" + match.route
        return None
