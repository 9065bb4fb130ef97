from __future__ import annotations

from django.core import mail

from renkei.core import permissions
from renkei.sharing.models import CareTeamMembership
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent


def test_owner_finds_a_nurse_by_organisation_and_invites_her(client, cm, carol, alice, patient):
    give_consent(patient, cm)
    verified_login(client, cm)
    page = client.post(f"/patients/{patient.pk}/team/", {"q": "訪問看護"}).content.decode()
    assert "八戸 キャロル" in page
    assert "青森 アリス" not in page  # region administrators are never invitees
    assert "八戸 キャロル" in client.post(f"/patients/{patient.pk}/team/", {"q": "看護師"}).content.decode()
    response = client.post(
        f"/patients/{patient.pk}/team/", {"user_id": carol.pk, "team_role": "visiting_nurse"}
    )
    assert response.status_code == 302
    membership = CareTeamMembership.objects.get(patient=patient, user=carol)
    assert membership.team_role == "visiting_nurse"
    assert membership.invited_by == cm
    assert permissions.can_view_patient(carol, patient)


def test_invitation_mail_names_no_patient(client, cm, carol, patient, django_capture_on_commit_callbacks):
    carol.email = "carol@example.invalid"
    carol.save()
    verified_login(client, cm)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/patients/{patient.pk}/team/", {"user_id": carol.pk, "team_role": "visiting_nurse"})
    assert len(mail.outbox) == 1
    assert "架空" not in mail.outbox[0].body + mail.outbox[0].subject


def test_member_cannot_invite_or_remove(client, cm, carol, bob, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    verified_login(client, carol)
    assert (
        client.post(
            f"/patients/{patient.pk}/team/", {"user_id": bob.pk, "team_role": "municipality"}
        ).status_code
        == 403
    )
    owner_membership = CareTeamMembership.objects.get(patient=patient, user=cm)
    assert client.post(f"/patients/{patient.pk}/team/{owner_membership.pk}/remove/").status_code == 403


def test_member_leaves_and_former_member_loses_access_but_keeps_history(client, cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    verified_login(client, carol)
    assert client.post(f"/patients/{patient.pk}/team/leave/").status_code == 302
    assert client.get(f"/patients/{patient.pk}/").status_code == 403
    assert CareTeamMembership.objects.get(patient=patient, user=carol).end_reason == "left"


def test_owner_removes_a_member(client, cm, carol, patient):
    give_consent(patient, cm)
    membership = add_member(patient, cm, carol)
    verified_login(client, cm)
    client.post(f"/patients/{patient.pk}/team/{membership.pk}/remove/")
    assert not permissions.can_view_patient(carol, patient)


def test_last_member_of_the_registering_organisation_cannot_leave(client, cm, patient):
    verified_login(client, cm)
    response = client.post(f"/patients/{patient.pk}/team/leave/", follow=True)
    assert "登録した組織の最後のメンバーはチームから外れられません" in response.content.decode()
    assert permissions.can_view_patient(cm, patient)
