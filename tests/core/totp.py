"""Helpers for tests that need a person with a TOTP authenticator.

device = confirmed_totp_device(carol)
client.post("/accounts/2fa/verify/", {"code": totp_code(device)})
"""

from __future__ import annotations

import time

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.core.models import User


def confirmed_totp_device(user: User) -> TOTPDevice:
    """A set-up authenticator for ``user`` (no backup codes)."""
    return TOTPDevice.objects.create(user=user, name="Renkei", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now.

    A code is accepted once only, so when this device already accepted the current one (a second
    login within the same 30 seconds), this gives the next step's code, which the device accepts
    too (one step of tolerance) — as a phone whose clock runs a few seconds ahead would.
    """
    device.refresh_from_db()
    now_t = (int(time.time()) - device.t0) // device.step + device.drift
    drift = device.drift + max(0, device.last_t + 1 - now_t)
    code = totp(device.bin_key, device.step, device.t0, device.digits, drift)
    return f"{code:0{device.digits}d}"


def verified_login(client, user: User) -> TOTPDevice:
    """Log ``user`` in on the Django test ``client`` and pass the code page, as a person would.

    Reuses the person's authenticator when they have one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or confirmed_totp_device(user)
    client.force_login(user)
    response = client.post("/accounts/2fa/verify/", {"code": totp_code(device)})
    assert response.status_code == 302, "the code page refused the code"
    return device
