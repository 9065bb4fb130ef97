from __future__ import annotations

import re

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from tests.core.totp import confirmed_totp_device, totp_code

VERIFY = "/accounts/2fa/verify/"


def _give_backup_codes(user, codes):
    device = StaticDevice.objects.create(user=user, name="Renkei", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)


def test_a_backup_code_lets_the_nurse_in_once_only(client, carol):
    confirmed_totp_device(carol)
    _give_backup_codes(carol, ["abcdefgh", "ijklmnop"])
    client.force_login(carol)
    # Written down in capitals with a hyphen, as people copy codes.
    response = client.post(VERIFY, {"code": "ABCD-EFGH"})
    assert response["Location"] == "/staff/"
    assert client.get("/accounts/api-tokens/").status_code == 200
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["ijklmnop"]
    client.logout()

    client.force_login(carol)
    response = client.post(VERIFY, {"code": "abcdefgh"})
    assert response.status_code == 400
    assert "すでに使用済み" in response.content.decode()
    assert client.get("/accounts/api-tokens/").status_code == 302


def test_a_verified_nurse_regenerates_backup_codes_and_the_old_ones_stop_working(client, carol):
    device = confirmed_totp_device(carol)
    _give_backup_codes(carol, ["abcdefgh"])
    client.force_login(carol)
    client.post(VERIFY, {"code": totp_code(device)})

    response = client.post("/accounts/2fa/backup-codes/")
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    assert "abcdefgh" not in StaticToken.objects.values_list("token", flat=True)
    assert StaticToken.objects.filter(device__user=carol).count() == 10
    assert '<span data-testid="backup-codes-left">10</span>' in client.get("/accounts/2fa/").content.decode()


def test_an_unverified_session_cannot_regenerate_backup_codes(client, carol):
    confirmed_totp_device(carol)
    _give_backup_codes(carol, ["abcdefgh"])
    client.force_login(carol)
    response = client.post("/accounts/2fa/backup-codes/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["abcdefgh"]
