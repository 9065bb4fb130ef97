"""DELETE /api/v1/patients/{id}/team/{m}: whether someone may change the team is decided on the
patient before any membership is looked up, so a stranger cannot tell real membership ids from
made-up ones."""

from __future__ import annotations

from renkei.core.models import AccessLog
from renkei.core.tokens import issue_token
from renkei.sharing.models import CareTeamMembership
from tests.sharing.conftest import add_member, give_consent


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, 'テスト')[1]}"}


def test_stranger_gets_the_same_refusal_for_a_real_and_a_made_up_membership(
    client, cm, carol, er_doctor, patient
):
    give_consent(patient, cm)
    real = add_member(patient, cm, carol)
    headers = _bearer(er_doctor)

    for membership_id in (real.pk, 999999):
        response = client.delete(f"/api/v1/patients/{patient.pk}/team/{membership_id}", **headers)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"

    assert CareTeamMembership.objects.get(pk=real.pk).left_at is None
    denied = AccessLog.objects.filter(user=er_doctor, action=AccessLog.Action.DENIED)
    assert denied.count() == 2


def test_member_who_is_not_the_owner_may_end_only_their_own_membership(client, cm, carol, patient):
    give_consent(patient, cm)
    own = add_member(patient, cm, carol)
    owner_membership = CareTeamMembership.objects.get(patient=patient, user=cm)
    headers = _bearer(carol)

    for membership_id in (owner_membership.pk, 999999):
        response = client.delete(f"/api/v1/patients/{patient.pk}/team/{membership_id}", **headers)
        assert response.status_code == 403
    assert client.delete(f"/api/v1/patients/{patient.pk}/team/{own.pk}", **headers).status_code == 204

    own.refresh_from_db()
    assert own.end_reason == CareTeamMembership.EndReason.LEFT
    assert CareTeamMembership.objects.get(pk=owner_membership.pk).left_at is None


def test_owner_removing_a_membership_that_does_not_exist_gets_not_found(client, cm, patient):
    response = client.delete(f"/api/v1/patients/{patient.pk}/team/999999", **_bearer(cm))
    assert response.status_code == 404
