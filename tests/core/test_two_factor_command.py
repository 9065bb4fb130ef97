from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.core.totp import confirmed_totp_device


def _run(*args) -> str:
    out = StringIO()
    call_command("two_factor", *args, stdout=out)
    return out.getvalue().strip()


def test_operator_resets_a_nurse_who_lost_her_phone_and_backup_codes(carol):
    confirmed_totp_device(carol)
    backup = StaticDevice.objects.create(user=carol, name="Renkei", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcdefgh")
    StaticToken.objects.create(device=backup, token="ijklmnop")
    assert _run("status", "carol") == "設定済み（未使用のバックアップコード 2個）"

    assert "解除しました" in _run("reset", "carol")
    assert TOTPDevice.objects.filter(user=carol).count() == 0
    assert StaticToken.objects.count() == 0
    assert _run("status", "carol") == "未設定"


def test_resetting_someone_without_a_second_factor_or_unknown_is_an_error(carol):
    with pytest.raises(CommandError, match="設定されていません"):
        _run("reset", "carol")
    with pytest.raises(CommandError, match="登録されていません"):
        _run("reset", "nobody")
