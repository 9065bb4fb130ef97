from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"page": "abc"}, "page", "ページは1〜100000の整数で指定してください。"),
        ({"radius_km": "abc"}, "radius_km", "半径は0より大きく100km以下で指定してください。"),
        (
            {"verified": "maybe"},
            "verified",
            "確認済みの情報のみ（verified）は true または false で指定してください。",
        ),
    ],
)
def test_a_parameter_of_the_wrong_type_is_explained_in_japanese(client, db, params, field, message):
    # The directory search reads its parameters with the search page's own parser (directory.services
    # .parse_query), so the API explains a wrong type in the page's words, with the field at fault.
    response = client.get("/api/v1/facilities", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("invalid_parameter", "検索条件に誤りがあります。")
    assert error["details"] == [{"field": field, "message": message}]
    # Readable as it travels (UTF-8, not \\u escapes), as the content type says.
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert message.encode() in response.content


def test_a_path_parameter_of_the_wrong_type_is_explained_in_japanese(client, db):
    error = client.get("/api/v1/facilities/abc").json()["error"]
    assert error["details"][0]["message"] == "整数で指定してください。"


def test_a_body_that_is_not_json_is_explained_in_japanese(client, db, carol):
    from renkei.core.tokens import issue_token

    _, token = issue_token(carol, "テスト")
    response = client.post(
        "/api/v1/patients/",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_body"
    assert error["message"].startswith("リクエストの本文を読み取れません。")


def test_a_session_post_without_csrf_token_is_explained_in_japanese(client, db, carol):
    from tests.core.totp import verified_login

    verified_login(client, carol)
    client.handler.enforce_csrf_checks = True  # as a browser's session is checked
    response = client.post("/api/v1/patients/", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
