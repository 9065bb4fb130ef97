from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from tests.core.totp import confirmed_totp_device


def test_system_administrator_cannot_read_a_persons_totp_secret_or_backup_codes(client, carol, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    device = confirmed_totp_device(carol)
    backup = StaticDevice.objects.create(user=carol, name="Renkei", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcdefgh")
    client.force_login(alice)

    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    page = client.get(f"/admin/otp_static/staticdevice/{backup.pk}/change/")
    assert page.status_code == 200
    assert "abcdefgh" not in page.content.decode()
