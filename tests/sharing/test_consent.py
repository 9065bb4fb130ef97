from __future__ import annotations

from renkei.core import permissions
from renkei.core.models import AccessLog
from renkei.sharing.models import CareTeamMembership
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, break_glass, give_consent, write_post


def test_before_consent_only_the_registering_organisations_members_see_the_patient(
    client, cm, cm_colleague, carol, patient
):
    add_member(patient, cm, cm_colleague, "care_manager")
    add_member(patient, cm, carol)
    assert permissions.can_view_patient(cm_colleague, patient)
    assert not permissions.can_view_patient(carol, patient)
    verified_login(client, carol)
    assert client.get(f"/patients/{patient.pk}/").status_code == 403
    home = client.get("/patients/").content.decode()
    assert "同意の記録前か、同意の範囲にあなたの役割が含まれていないため表示できません。" in home
    assert "架空 花子" not in home
    give_consent(patient, cm)
    assert client.get(f"/patients/{patient.pk}/").status_code == 200


def test_care_manager_records_consent_through_the_page(client, cm, carol, patient):
    add_member(patient, cm, carol)
    verified_login(client, cm)
    response = client.post(
        f"/patients/{patient.pk}/consent/",
        {
            "given_by": "架空 花子",
            "relationship": "本人",
            "given_on": "2026-11-01",
            "method": "oral",
            "scope": "ケアチームの全職種",
        },
    )
    assert response.status_code == 302
    assert patient.consents.get().method == "oral"
    assert permissions.can_view_patient(carol, patient)


def test_withdrawing_consent_ends_every_other_organisations_access_at_once_and_is_logged(
    client, cm, cm_colleague, carol, er_doctor, patient
):

    give_consent(patient, cm)
    add_member(patient, cm, carol)
    add_member(patient, cm, cm_colleague, "care_manager")
    break_glass(er_doctor, patient)
    write_post(patient, cm, "連絡")
    verified_login(client, cm)
    response = client.post(
        f"/patients/{patient.pk}/consent/withdraw/", {"note": "長男より電話で撤回の申し出", "confirm": "on"}
    )
    assert response.status_code == 302
    assert not permissions.can_view_patient(carol, patient)
    assert not permissions.can_view_patient(er_doctor, patient)
    assert permissions.can_view_patient(cm_colleague, patient)
    ended = CareTeamMembership.objects.get(patient=patient, user=carol)
    assert ended.end_reason == "consent_withdrawn"
    assert AccessLog.objects.filter(
        user=cm, action=AccessLog.Action.UPDATE, object_type="consent_withdrawal", subject_id=str(patient.pk)
    ).exists()
    verified_login(client, carol)
    assert client.get(f"/patients/{patient.pk}/").status_code == 403


def test_consent_limited_to_some_roles_shows_the_record_only_to_those_roles(
    client, cm, carol, bob, patient, django_capture_on_commit_callbacks
):
    from django.core import mail

    carol.email, bob.email = "carol@example.invalid", "bob@example.invalid"
    carol.save()
    bob.save()
    add_member(patient, cm, carol, "visiting_nurse")
    add_member(patient, cm, bob, "municipality")
    verified_login(client, cm)
    response = client.post(
        f"/patients/{patient.pk}/consent/",
        {
            "given_by": "架空 花子",
            "relationship": "本人",
            "given_on": "2026-11-01",
            "method": "written",
            "scope_roles": ["visiting_nurse", "primary_physician"],
            "scope": "役場には伝えないでほしい",
        },
    )
    assert response.status_code == 302
    assert patient.consents.get().scope_roles == ["visiting_nurse", "primary_physician"]
    assert permissions.can_view_patient(carol, patient)
    assert not permissions.can_view_patient(bob, patient)
    with django_capture_on_commit_callbacks(execute=True):
        write_post(patient, cm, "連絡")
    assert [message.to for message in mail.outbox] == [["carol@example.invalid"]]
    verified_login(client, bob)
    assert client.get(f"/patients/{patient.pk}/").status_code == 403
    assert "架空 花子" not in client.get("/patients/").content.decode()
