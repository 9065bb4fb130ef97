from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from tests.core.totp import confirmed_totp_device, verified_login


def test_system_administrator_cannot_read_a_persons_totp_secret_or_backup_codes(client, carol, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    device = confirmed_totp_device(carol)
    backup = StaticDevice.objects.create(user=carol, name="Renkei", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcdefgh")
    verified_login(client, alice)

    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    page = client.get(f"/admin/otp_static/staticdevice/{backup.pk}/change/")
    assert page.status_code == 200
    assert "abcdefgh" not in page.content.decode()


def test_admin_site_needs_the_second_factor_too(client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    response = client.get("/admin/")
    assert response.status_code == 302
    followed = client.get(response["Location"])
    assert followed.status_code == 302
    assert followed["Location"].startswith("/accounts/2fa/setup/")
    verified_login(client, alice)
    assert client.get("/admin/").status_code == 200


def test_anonymous_visitor_of_the_admin_gets_the_product_login(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
