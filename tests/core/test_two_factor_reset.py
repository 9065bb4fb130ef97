from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.core.totp import confirmed_totp_device, totp_code

RESET = "/accounts/2fa/reset/"


def test_nurse_with_a_new_phone_resets_after_entering_a_code_and_must_set_up_again(client, carol):
    device = confirmed_totp_device(carol)
    backup = StaticDevice.objects.create(user=carol, name="Renkei", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcdefgh")
    client.force_login(carol)
    client.post("/accounts/2fa/verify/", {"code": totp_code(device)})
    assert client.get("/accounts/api-tokens/").status_code == 200

    response = client.post(RESET, {"code": totp_code(device)})
    assert response["Location"] == "/accounts/2fa/setup/"
    assert TOTPDevice.objects.filter(user=carol).count() == 0
    assert StaticDevice.objects.filter(user=carol).count() == 0
    # The session no longer counts as verified.
    assert client.get("/accounts/api-tokens/")["Location"].startswith("/accounts/2fa/setup/")


def test_a_wrong_code_resets_nothing(client, carol):
    device = confirmed_totp_device(carol)
    client.force_login(carol)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(RESET, {"code": wrong})
    assert response.status_code == 400
    assert "確認コードが正しくありません" in response.content.decode()
    assert TOTPDevice.objects.filter(user=carol, confirmed=True).count() == 1


def test_a_backup_code_also_allows_the_reset(client, carol):
    confirmed_totp_device(carol)
    backup = StaticDevice.objects.create(user=carol, name="Renkei", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcdefgh")
    client.force_login(carol)
    assert client.post(RESET, {"code": "abcdefgh"})["Location"] == "/accounts/2fa/setup/"
    assert TOTPDevice.objects.filter(user=carol).count() == 0
