"""``/readyz`` says 503 (the API's one error body) while the node cannot serve, ``/healthz`` still 200."""

from __future__ import annotations

import json

from tests.operations.server import Server, free_port, production_env


def _server(tmp_path, **extra: str) -> Server:
    # DEBUG on: these servers have no collected static files, which production start-up would refuse.
    env = production_env(tmp_path / "var", DEBUG="true", **extra)
    return Server(env, tmp_path / "server.log").start("--workers", "1", "--threads", "1")


def test_readyz_names_pending_migrations(tmp_path):
    server = _server(tmp_path)
    try:
        assert server.get("/healthz").status == 200
        answer = server.get("/readyz")
    finally:
        server.stop()
    assert answer.status == 503
    body = json.loads(answer.body)
    assert body["error"]["code"] == "not_ready"
    assert body["error"]["message"] == "このサーバーはまだ要求を受け付けられません。"
    [detail] = body["error"]["details"]
    assert detail["field"] == "migrations"
    assert detail["message"].startswith("未適用のマイグレーションが")
    assert detail["message"].endswith("件あります（renkei migrate を実行してください）。")


def test_readyz_says_the_database_is_unreachable_and_healthz_does_not_care(tmp_path):
    closed = free_port()
    server = _server(tmp_path, DATABASE_URL=f"postgres://renkei@127.0.0.1:{closed}/renkei")
    try:
        health = server.get("/healthz")
        answer = server.get("/readyz")
    finally:
        server.stop()
    assert health.status == 200
    assert answer.status == 503
    assert json.loads(answer.body)["error"]["details"] == [
        {"field": "database", "message": "データベースに接続できません。"}
    ]
