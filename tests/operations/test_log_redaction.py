"""What of a path a log may show (``renkei.operations.redaction`` and gunicorn's error lines)."""

from __future__ import annotations

import pytest

from renkei.operations.access_log import redact_uris
from renkei.operations.redaction import redact_path
from tests.operations.server import production_env, renkei


@pytest.mark.parametrize(
    ("path", "route", "shown"),
    [
        (
            "/facilities/update/Zq8Xv3nT0pLm/",
            "/facilities/update/<str:token>/",
            "/facilities/update/<str:token>/",
        ),
        ("/patients/4711/timeline/", None, "/patients/<?>/timeline/"),
        ("/accounts/password-reset/MTI/cbx9q1-0f5e/", None, "/accounts/password-reset/<?>/<?>/"),
        ("/static/renkei/renkei.f87938e1f75a.css", None, "/static/renkei/renkei.f87938e1f75a.css"),
        ("/static/../secret", None, "/static/<?>/secret"),
        ("/favicon.ico", None, "/favicon.ico"),
        ("/Yamada", None, "/<?>"),
        ("/", None, "/"),
    ],
)
def test_a_path_is_shown_by_its_route_or_its_harmless_segments(path, route, shown):
    assert redact_path(path, route) == shown


def test_request_lines_in_gunicorn_errors_lose_their_tokens_and_queries():
    assert (
        redact_uris("Invalid HTTP request line: 'GET /facilities/update/Zq8Xv3nT0pLm/?q=山田 HTTP/1.1'")
        == "Invalid HTTP request line: 'GET /facilities/update/<?>/ HTTP/1.1'"
    )
    assert (
        redact_uris("Error handling request GET http://host/x?token=abc")
        == "Error handling request GET <uri>"
    )


def test_serve_refuses_to_start_in_production_without_collected_static_files(tmp_path):
    result = renkei("serve", "--bind", "127.0.0.1:18999", env=production_env(tmp_path), timeout=120)
    assert result.returncode == 1
    assert (
        "静的ファイルが収集されていません。先に renkei collectstatic --noinput を実行してください。"
        in result.stderr
    )
