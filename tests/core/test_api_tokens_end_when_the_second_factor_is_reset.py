"""Resetting someone's second factor (a lost or stolen phone) also ends their personal API
tokens: a token made on the old phone's session must not outlive it."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client

from renkei.core.models import ApiToken
from renkei.core.tokens import issue_token
from tests.core.totp import confirmed_totp_device, totp_code, verified_login

PATIENTS = "/api/v1/patients/"


def test_nurse_who_resets_her_authenticator_loses_her_api_tokens(client, carol):
    device = confirmed_totp_device(carol)
    _, token = issue_token(carol, "訪問記録アプリ")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    machine = Client()  # the app that uses the token, apart from her browser
    assert machine.get(PATIENTS, **headers).status_code == 200
    verified_login(client, carol)

    response = client.post("/accounts/2fa/reset/", {"code": totp_code(device)})
    assert response["Location"] == "/accounts/2fa/setup/"

    assert machine.get(PATIENTS, **headers).status_code == 401
    assert ApiToken.objects.filter(user=carol, revoked_at=None).count() == 0


def test_operator_reset_of_a_lost_phone_ends_the_persons_api_tokens(client, carol, bob):
    confirmed_totp_device(carol)
    _, first = issue_token(carol, "訪問記録アプリ")
    _, second = issue_token(carol, "集計スクリプト")
    issue_token(bob, "五戸町")

    call_command("two_factor", "reset", "carol")

    for token in (first, second):
        assert client.get(PATIENTS, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert ApiToken.objects.filter(user=carol, revoked_at=None).count() == 0
    assert ApiToken.objects.filter(user=bob, revoked_at=None).count() == 1
