"""Every error of the JSON API, whatever app answers it, has the one body of ``core.api_errors``:
``{"error": {"code", "message", "details": [{"field", "message"}…]}}`` with the message in Japanese."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser

from renkei.core.tokens import issue_token

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def assert_one_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    assert list(body) == ["error"]
    error = body["error"]
    assert sorted(error) == ["code", "details", "message"]
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*", error["code"]), error["code"]
    assert JAPANESE.search(error["message"]), error["message"]
    assert isinstance(error["details"], list)
    for detail in error["details"]:
        assert {"field", "message"} <= set(detail) <= {"field", "location", "message"}, detail
        assert JAPANESE.search(detail["message"]), detail
    return error


# (method, path, body) asked by an anonymous caller: each app's refusal of a missing login, of a
# wrong parameter and of an unknown object.
ANONYMOUS = [
    ("get", "/api/v1/facilities?page=abc", None, 400),
    ("get", "/api/v1/facilities?sort=random", None, 400),
    ("get", "/api/v1/facilities/abc", None, 400),
    ("get", "/api/v1/facilities/999999", None, 404),
    ("get", "/api/v1/facilities.geojson?bbox=1,2", None, 400),
    ("get", "/api/v1/me/tokens", None, 401),
    ("get", "/api/v1/patients/", None, 401),
    ("post", "/api/v1/patients/1/posts", {"body": "x"}, 401),
    ("get", "/api/v1/consultations/", None, 401),
    ("get", "/api/v1/consultations/statistics", None, 401),
    ("get", "/api/v1/no-such-endpoint", None, 404),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), ANONYMOUS)
def test_an_anonymous_callers_errors_have_one_shape(client, db, method, path, body, status):
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    assert_one_shape(getattr(client, method)(path, **kwargs), status)


# The same, asked with a visiting nurse's API token: the sharing and consultations apps' own refusals.
WITH_TOKEN = [
    ("get", "/api/v1/patients/999999", None, 404),
    ("get", "/api/v1/patients/999999/posts", None, 404),
    ("get", "/api/v1/patients/?page=abc", None, 400),
    ("post", "/api/v1/patients/", "{not json", 400),
    ("post", "/api/v1/patients/", {"family_name": ""}, 400),
    (
        "post",
        "/api/v1/patients/999999/emergency-access",
        {"full_name_kana": "かくう", "birth_date": "1938-04-02", "category": "other", "reason": "x" * 20},
        404,
    ),
    ("get", "/api/v1/consultations/", None, 403),
    ("get", "/api/v1/consultations/statistics", None, 403),
    ("post", "/api/v1/consultations/", {}, 400),
    ("get", "/api/v1/consultations/statistics?start=2026-13-01", None, 400),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), WITH_TOKEN)
def test_a_professionals_errors_have_one_shape(client, carol, method, path, body, status):
    _, token = issue_token(carol, "テスト")
    kwargs: dict = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is not None:
        kwargs |= {"content_type": "application/json", "data": body}
    assert_one_shape(getattr(client, method)(path, **kwargs), status)


def test_an_api_failure_outside_the_api_handlers_answers_the_same_body(rf, db):
    from renkei.core import error_views

    request = rf.get("/api/v1/facilities")
    assert_one_shape(error_views.server_error(request), 500)
    assert_one_shape(error_views.bad_request(request), 400)
    assert_one_shape(error_views.permission_denied(request), 403)
    # A page keeps its Japanese page.
    page_request = rf.get("/facilities/nothing")
    page_request.user = AnonymousUser()
    page = error_views.page_not_found(page_request)
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
