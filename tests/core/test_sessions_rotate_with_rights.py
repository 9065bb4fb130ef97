"""A session key never outlives a change of what the session may do: it is replaced when the second
factor is passed, and a session ends when the person's role or organisation changes."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore

from renkei.core.models import Organization, User
from tests.core.totp import confirmed_totp_device, totp_code, verified_login


def test_passing_the_second_factor_gives_the_session_a_new_key(client, carol):
    device = confirmed_totp_device(carol)
    client.force_login(carol)
    before = client.session.session_key

    response = client.post("/accounts/2fa/verify/", {"code": totp_code(device)})

    assert response.status_code == 302
    after = client.session.session_key
    assert after != before
    assert not SessionStore().exists(before)  # the old key opens nothing, verified or not
    assert client.get("/patients/").status_code == 200


def test_a_new_organisation_ends_the_session(client, carol, gonohe):
    verified_login(client, carol)
    assert client.get("/patients/").status_code == 200

    carol.organization = Organization.objects.create(
        name="五戸町の訪問看護", kind=Organization.Kind.VISITING_NURSE_STATION, municipality=gonohe
    )
    carol.save()

    response = client.get("/patients/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_new_role_ends_the_session(client, carol):
    verified_login(client, carol)
    User.objects.filter(pk=carol.pk).update(role=User.Role.MUNICIPALITY_STAFF)

    response = client.get("/patients/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_unchanged_account_keeps_its_session(client, carol):
    verified_login(client, carol)
    carol.full_name = "八戸 キャロル（旧姓）"
    carol.save()
    assert client.get("/patients/").status_code == 200
