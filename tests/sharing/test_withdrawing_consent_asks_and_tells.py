"""Withdrawing consent asks for confirmation; a member whose access ended by the withdrawal is told why."""

from __future__ import annotations

from renkei.sharing import services
from renkei.sharing.models import Consent
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent


def test_withdrawal_without_the_confirmation_is_not_recorded(client, cm, patient):
    give_consent(patient, cm)
    verified_login(client, cm)
    page = client.get(f"/patients/{patient.pk}/consent/").content.decode()
    assert 'name="confirm"' in page

    response = client.post(
        f"/patients/{patient.pk}/consent/withdraw/", {"note": "長男より電話で撤回の申し出"}, follow=True
    )

    assert "撤回してよいか確認し、確認の欄にチェックを入れてください。" in response.content.decode()
    assert Consent.objects.get(patient=patient).withdrawn_at is None


def test_a_member_cut_off_by_the_withdrawal_is_told_why(client, cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    services.withdraw_consent(cm, patient, "本人の希望")
    verified_login(client, carol)

    response = client.get(f"/patients/{patient.pk}/")

    page = response.content.decode()
    assert response.status_code == 403
    assert "同意が撤回されたため" in page and f"利用者 #{patient.pk}" in page
    assert patient.full_name not in page


def test_a_stranger_is_told_nothing(client, carol, patient):
    verified_login(client, carol)
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 403
    assert "同意が撤回されたため" not in response.content.decode()
