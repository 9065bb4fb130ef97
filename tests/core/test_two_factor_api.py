from __future__ import annotations

from renkei.core.tokens import issue_token
from tests.core.totp import confirmed_totp_device, totp_code

URL = "/api/v1/me/tokens"


def test_an_unverified_session_gets_403_otp_required(client, carol):
    confirmed_totp_device(carol)
    client.force_login(carol)
    response = client.get(URL)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "otp_required"
    assert "2段階認証" in error["message"]


def test_a_session_without_any_authenticator_gets_403_otp_required(client, bob):
    client.force_login(bob)
    response = client.get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "otp_required"


def test_a_verified_session_gets_its_tokens(client, carol):
    device = confirmed_totp_device(carol)
    issue_token(carol, "集計スクリプト")
    client.force_login(carol)
    client.post("/accounts/2fa/verify/", {"code": totp_code(device)})
    response = client.get(URL)
    assert response.status_code == 200
    assert [token["name"] for token in response.json()] == ["集計スクリプト"]


def test_a_personal_token_passes_without_a_session(client, carol):
    token, text = issue_token(carol, "集計スクリプト")
    response = client.get(URL, headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 200
    body = response.json()
    assert [(item["name"], item["prefix"], item["revoked"]) for item in body] == [
        ("集計スクリプト", token.prefix, False)
    ]
    assert text not in response.content.decode()


def test_no_session_and_no_token_gets_401(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
