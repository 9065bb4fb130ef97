from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tests.core.totp import confirmed_totp_device, totp_code

VERIFY = "/accounts/2fa/verify/"


def _next_of(location: str) -> str:
    parts = urlsplit(location)
    return parse_qs(parts.query)["next"][0]


def test_nurse_with_an_authenticator_is_asked_for_the_code_after_her_password(client, carol):
    device = confirmed_totp_device(carol)
    response = client.post(
        "/accounts/login/", {"username": "carol", "password": PASSWORD, "next": "/accounts/api-tokens/"}
    )
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == VERIFY
    assert _next_of(response["Location"]) == "/accounts/api-tokens/"

    page = client.get(response["Location"])
    assert "確認コードの入力" in page.content.decode()
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/accounts/api-tokens/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/api-tokens/"
    assert client.get("/accounts/api-tokens/").status_code == 200


def test_a_wrong_code_on_the_verify_page_keeps_the_session_unverified(client, carol):
    device = confirmed_totp_device(carol)
    client.force_login(carol)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert "確認コードが正しくありません" in response.content.decode()
    assert urlsplit(client.get("/accounts/api-tokens/")["Location"]).path == VERIFY


def test_person_without_an_authenticator_goes_straight_to_the_staff_page(client, bob):
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_the_verify_page_sends_someone_without_an_authenticator_to_set_up(client, bob):
    client.force_login(bob)
    response = client.get(VERIFY, {"next": "/accounts/api-tokens/"})
    assert urlsplit(response["Location"]).path == "/accounts/2fa/setup/"
    assert _next_of(response["Location"]) == "/accounts/api-tokens/"


def test_an_unsafe_next_is_ignored_after_the_code(client, carol):
    device = confirmed_totp_device(carol)
    client.force_login(carol)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_an_unsafe_next_is_ignored_on_the_setup_page(client, carol):
    client.force_login(carol)
    html = client.get("/accounts/2fa/setup/", {"next": "https://evil.example/"}).content.decode()
    assert "evil.example" not in html
    assert TOTPDevice.objects.filter(user=carol).count() == 1


def test_an_unsafe_next_is_not_passed_on_by_the_login_page(client, carol):
    confirmed_totp_device(carol)
    response = client.post(
        "/accounts/login/", {"username": "carol", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert _next_of(response["Location"]) == "/staff/"


def test_a_second_login_within_the_same_half_minute_still_verifies(client, carol):
    device = confirmed_totp_device(carol)
    for _ in range(2):
        client.force_login(carol)
        assert client.post(VERIFY, {"code": totp_code(device)})["Location"] == "/staff/"
        client.logout()
