from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

SETUP = "/accounts/2fa/setup/"


def _code_for_secret(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def carol_client(client, carol):
    client.force_login(carol)
    return client


def test_nurse_sees_a_qr_code_and_the_secret_to_type(carol_client, carol):
    response = carol_client.get(SETUP)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert '<svg role="img" aria-label="認証アプリで読み取るQRコード"' in html
    device = TOTPDevice.objects.get(user=carol)
    assert device.confirmed is False
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html).group(1)
    from base64 import b32decode

    assert b32decode(secret.replace(" ", "")) == device.bin_key
    # A second visit shows the same secret: the phone scanned the first one.
    carol_client.get(SETUP)
    assert TOTPDevice.objects.filter(user=carol).count() == 1


def test_nurse_confirms_with_the_code_from_her_app_and_gets_ten_backup_codes(carol_client, carol):
    carol_client.get(SETUP)
    device = TOTPDevice.objects.get(user=carol)
    response = carol_client.post(SETUP, {"code": _code_for_secret(device), "next": "/accounts/api-tokens/"})
    assert response.status_code == 200
    html = response.content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", html)
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=carol).values_list("token", flat=True)
    )
    assert 'href="/accounts/api-tokens/"' in html
    device.refresh_from_db()
    assert device.confirmed is True
    # The session counts as verified at once.
    assert carol_client.get("/accounts/api-tokens/").status_code == 200


def test_full_width_digits_from_a_japanese_keyboard_are_accepted(carol_client, carol):
    carol_client.get(SETUP)
    device = TOTPDevice.objects.get(user=carol)
    wide = _code_for_secret(device).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    carol_client.post(SETUP, {"code": wide})
    device.refresh_from_db()
    assert device.confirmed is True


def test_a_wrong_code_is_refused_with_a_japanese_message(carol_client, carol):
    carol_client.get(SETUP)
    device = TOTPDevice.objects.get(user=carol)
    wrong = f"{(int(_code_for_secret(device)) + 1) % 1_000_000:06d}"
    response = carol_client.post(SETUP, {"code": wrong})
    assert response.status_code == 400
    assert "確認コードが正しくありません" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert StaticToken.objects.filter(device__user=carol).count() == 0


def test_letters_instead_of_six_digits_are_explained(carol_client):
    response = carol_client.post(SETUP, {"code": "abc"})
    assert response.status_code == 400
    assert "6桁の数字を入力してください" in response.content.decode()


def test_someone_already_set_up_is_sent_to_the_overview(carol_client, carol):
    TOTPDevice.objects.create(user=carol, name="Renkei", confirmed=True)
    response = carol_client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"


def test_region_admin_municipality_staff_and_nurse_may_each_set_up_the_second_factor(
    client, alice, bob, carol
):
    for person in (alice, bob, carol):
        client.force_login(person)
        assert client.get(SETUP).status_code == 200
        assert "未設定" in client.get("/accounts/2fa/").content.decode()
    assert TOTPDevice.objects.filter(user__in=[alice, bob, carol], confirmed=False).count() == 3
