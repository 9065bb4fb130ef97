"""A personal API token stops working when its owner's password is changed: someone who learnt
the old password (and made a token with it) loses API access along with the login."""

from __future__ import annotations

from django.test import Client

from renkei.core.models import ApiToken
from renkei.core.tokens import issue_token
from tests.core.totp import verified_login

PATIENTS = "/api/v1/patients/"


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, 'テスト')[1]}"}


def test_nurse_token_stops_working_when_an_administrator_sets_her_a_new_password(client, carol, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    carol_token = _bearer(carol)
    alice_token = _bearer(alice)
    machine = Client()  # the script that uses the tokens, apart from alice's browser
    assert machine.get(PATIENTS, **carol_token).status_code == 200
    verified_login(client, alice)

    response = client.post(
        f"/admin/core/user/{carol.pk}/password/",
        {"password1": "a-new-long-passphrase-7", "password2": "a-new-long-passphrase-7"},
    )
    assert response.status_code == 302

    assert machine.get(PATIENTS, **carol_token).status_code == 401
    assert ApiToken.objects.get(user=carol).revoked_at is not None
    # Only carol's tokens end.
    assert ApiToken.objects.get(user=alice).revoked_at is None
    assert machine.get("/api/v1/me/tokens", **alice_token).status_code == 200


def test_token_stops_working_when_the_password_is_set_from_the_command_line(client, carol):
    headers = _bearer(carol)
    # What ``renkei changepassword`` and every password form do.
    carol.set_password("a-new-long-passphrase-7")
    carol.save()

    assert client.get(PATIENTS, **headers).status_code == 401


def test_logging_in_or_saving_the_profile_keeps_the_token(client, carol):
    headers = _bearer(carol)
    Client().force_login(carol)  # a login stores last_login on the user
    carol.refresh_from_db()
    assert carol.last_login is not None
    carol.full_name = "八戸 キャロル（訪問看護）"
    carol.save()

    assert client.get(PATIENTS, **headers).status_code == 200
