from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from tests.core.totp import confirmed_totp_device, totp_code

VERIFY = "/accounts/2fa/verify/"


def _wrong(device) -> str:
    return f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"


def test_after_wrong_codes_even_the_right_code_waits_and_the_wait_doubles(client, carol):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        device = confirmed_totp_device(carol)
        client.force_login(carol)
        for _ in range(3):
            response = client.post(VERIFY, {"code": _wrong(device)})
            assert response.status_code == 400
            clock.shift(timedelta(seconds=5))
        # Three failures: a wait of 4 seconds after the last one.
        response = client.post(VERIFY, {"code": _wrong(device)})
        assert "確認コードが正しくありません" in response.content.decode()
        # Four failures: 8 seconds now; the right code is refused for that long.
        clock.shift(timedelta(seconds=3))
        response = client.post(VERIFY, {"code": totp_code(device)})
        assert response.status_code == 400
        assert "あと5秒は入力を受け付けません" in response.content.decode()
        assert client.get("/accounts/api-tokens/").status_code == 302

        clock.shift(timedelta(seconds=5))
        response = client.post(VERIFY, {"code": totp_code(device)})
        assert response["Location"] == "/staff/"
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_wrong_backup_codes_are_throttled_too(client, carol):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    with time_machine.travel(timezone.now(), tick=False):
        confirmed_totp_device(carol)
        backup = StaticDevice.objects.create(user=carol, name="Renkei", confirmed=True)
        StaticToken.objects.create(device=backup, token="abcdefgh")
        client.force_login(carol)
        client.post(VERIFY, {"code": "zzzzzzzz"})
        response = client.post(VERIFY, {"code": "abcdefgh"})
        assert "あと1秒は入力を受け付けません" in response.content.decode()
        assert StaticToken.objects.filter(token="abcdefgh").exists()
