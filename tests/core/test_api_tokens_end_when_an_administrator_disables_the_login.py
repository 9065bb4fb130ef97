"""What an operator does in the Django admin ends a person's API tokens as the reset command does:
making the password unusable, or deleting the person's authenticator or backup codes."""

from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.core.models import ApiToken
from renkei.core.tokens import issue_token
from renkei.core.two_factor import regenerate_backup_codes
from tests.core.totp import confirmed_totp_device

PATIENTS = "/api/v1/patients/"


def _works(client, token: str) -> bool:
    return client.get(PATIENTS, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_an_unusable_password_ends_the_tokens(client, carol):
    confirmed_totp_device(carol)
    _, token = issue_token(carol, "訪問記録アプリ")
    assert _works(client, token)
    carol.set_unusable_password()
    carol.save()
    assert not _works(client, token)


def test_deleting_the_authenticator_in_the_admin_ends_the_tokens(client, carol):
    device = confirmed_totp_device(carol)
    _, token = issue_token(carol, "訪問記録アプリ")
    device.delete()
    assert not _works(client, token)


def test_deleting_the_backup_codes_in_the_admin_ends_the_tokens(client, carol):
    confirmed_totp_device(carol)
    regenerate_backup_codes(carol)
    _, token = issue_token(carol, "訪問記録アプリ")
    StaticDevice.objects.get(user=carol).delete()
    assert ApiToken.objects.filter(user=carol, revoked_at=None).count() == 0
    assert not _works(client, token)


def test_an_abandoned_set_up_or_new_backup_codes_keep_the_tokens(client, carol):
    confirmed_totp_device(carol)
    _, token = issue_token(carol, "訪問記録アプリ")
    TOTPDevice.objects.create(user=carol, name="やり直し", confirmed=False).delete()
    regenerate_backup_codes(carol)
    regenerate_backup_codes(carol)
    assert _works(client, token)
