from __future__ import annotations

from django.test import override_settings

from renkei.core.models import AccessLog
from tests.core.totp import verified_login
from tests.sharing.conftest import give_consent


@override_settings(RENKEI_TRUSTED_PROXY_COUNT=1)
def test_the_access_log_keeps_the_nurses_address_not_the_proxys(client, cm, patient):
    give_consent(patient, cm)
    verified_login(client, cm)
    client.get(f"/patients/{patient.pk}/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    row = AccessLog.objects.filter(user=cm, action="view", object_type="patient").latest("at")
    assert row.ip_address == "198.51.100.7"
